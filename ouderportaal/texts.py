"""Texts with a plural for Jinja2 templates: `makemessages` finds ngettext() in Python, not in a Jinja2 template."""

from django.utils.translation import ngettext


def pending_badge(count, staff=False):
    """What a badge's number means, for screen readers."""
    if staff:
        return ngettext("%(counter)s wijziging te verwerken", "%(counter)s wijzigingen te verwerken", count) % {
            "counter": count
        }
    return ngettext("%(counter)s wijziging in behandeling", "%(counter)s wijzigingen in behandeling", count) % {
        "counter": count
    }


def passkeys(count):
    """The Account page's two-factor card: "2 passkeys"."""
    return ngettext("%(counter)s passkey", "%(counter)s passkeys", count) % {"counter": count}


def unread_letters(count):
    """The Berichten page's summary."""
    return ngettext("%(counter)s ongelezen bericht", "%(counter)s ongelezen berichten", count) % {"counter": count}


def times_absent(count, excused):
    """The Absenten tab's totals: '… keer (on)geoorloofd afwezig' (the number stands before it)."""
    if excused:
        return ngettext("keer geoorloofd afwezig", "keer geoorloofd afwezig", count) % {"counter": count}
    return ngettext("keer ongeoorloofd afwezig", "keer ongeoorloofd afwezig", count) % {"counter": count}


def dayparts_together(count):
    return ngettext("samen %(counter)s dagdeel", "samen %(counter)s dagdelen", count) % {"counter": count}


def minutes_together(count):
    return ngettext("samen %(counter)s minuut", "samen %(counter)s minuten", count) % {"counter": count}


def minutes(count):
    return ngettext("%(counter)s minuut", "%(counter)s minuten", count) % {"counter": count}
