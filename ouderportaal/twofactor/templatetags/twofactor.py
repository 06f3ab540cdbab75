"""The Account tab's two-factor card, so that `accounts` never imports `twofactor`."""

from django import template
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.twofactor.policy import passkeys_of, required_for

register = template.Library()


@register.inclusion_tag("twofactor/includes/account_card.html", takes_context=True)
def twofactor_card(context):
    user = context["request"].user
    return {
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "passkeys": passkeys_of(user).count(),
        "required": required_for(user),
    }
