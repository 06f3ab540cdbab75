"""Mail addresses the portal will write to: a domain name, never an address literal or a bare host name."""

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def is_deliverable(address):
    """False for `a@[127.0.0.1]`, `a@[IPv6:::1]`, `a@10.0.0.1` and `a@localhost`: mail to those would go to a
    machine of the sender's choosing (an internal one, say), not to a mailbox at a domain."""
    domain = str(address).rpartition("@")[2].strip().rstrip(".")
    if not domain or domain.startswith("[") or "." not in domain:
        return False
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        return True
    return False


def validate_mail_domain(value):
    if not is_deliverable(value):
        raise ValidationError(
            _("Gebruik een e-mailadres met een domeinnaam, bijvoorbeeld naam@voorbeeld.nl."), code="mail_domain"
        )
