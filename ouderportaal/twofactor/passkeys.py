"""Passkeys (WebAuthn) as a second step beside the authenticator app, through django-otp-webauthn: its ceremony
views and its JavaScript (served from our own static files, no CDN), under our page markers and with our audit,
security log and recovery codes. A passkey never replaces the password (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN off).
"""

import json

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.middleware import csrf
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from ouderportaal.core.audit import log_action
from ouderportaal.core.pages import PARENT, mark, public_page
from ouderportaal.core.securitylog import event
from ouderportaal.twofactor.policy import PENDING, has_device
from ouderportaal.twofactor.recovery import ensure_recovery_codes


def config(request):
    """What the package's scripts read from the page (json_script "otp_webauthn_config")."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": csrf.get_token(request),
        "beginAuthenticationUrl": reverse("twofactor_passkey_auth_begin"),
        "completeAuthenticationUrl": reverse("twofactor_passkey_auth_complete"),
        "beginRegistrationUrl": reverse("twofactor_passkey_register_begin"),
        "completeRegistrationUrl": reverse("twofactor_passkey_register_complete"),
    }


class CompleteRegistration(webauthn.CompleteCredentialRegistrationView):
    """A new passkey: audited, logged; the account's first device also brings recovery codes (shown next) and
    ends the account's other sessions, which had no second step."""

    def post(self, *args, **kwargs):
        user = self.request.user
        first = not has_device(user)
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            if response.status_code == 200:
                device_id = json.loads(response.content)["id"]
                log_action(user, "account.twofactor.passkey_added", user, school_id=None, device=device_id)
                ensure_recovery_codes(self.request)
        if response.status_code == 200:
            event("twofactor.passkey_added", self.request)
            if first:
                from ouderportaal.accounts.sessions import end_other_sessions

                end_other_sessions(self.request)
        return response


class CompleteAuthentication(webauthn.CompleteCredentialAuthenticationView):
    """The second step passed with a passkey."""

    def complete_auth(self, device):
        super().complete_auth(device)
        self.request.session.pop(PENDING, None)
        event("twofactor.passkey_used", self.request)

    def get_success_url(self):
        return self.get_redirect_url() or reverse("home")


def api(view_class):
    """A JSON step of a passkey ceremony: POST only, for a logged-in account (the package checks the rest: a new
    passkey needs the second step passed when the account has one; a passkey answers only for its own account)."""
    view = mark(never_cache(login_required(require_POST(view_class.as_view()))), PARENT)
    view.json_api = True
    return view


register_begin = api(webauthn.BeginCredentialRegistrationView)
register_complete = api(CompleteRegistration)
auth_begin = api(webauthn.BeginCredentialAuthenticationView)
auth_complete = api(CompleteAuthentication)
# The package's texts for its scripts (Dutch and English), as Django's JavaScript catalog.
i18n = public_page(require_safe(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])))
