"""Two-factor on the Account tab: optional for parents (an app, passkeys, or both; recovery codes; turning it off
with the password), the same overview for staff (who cannot turn it off)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.core.audit import log_action
from ouderportaal.core.emails import queue_mail
from ouderportaal.core.prepared import Prepared
from ouderportaal.core.securitylog import event
from ouderportaal.school.access import parent_page
from ouderportaal.twofactor.forms import PasswordConfirmForm
from ouderportaal.twofactor.policy import has_device, is_verified, passkeys_of, remove_devices, required_for
from ouderportaal.twofactor.views import enrol_app, manage, overview

form_methods = require_http_methods(["GET", "HEAD", "POST"])


def _unverified(request):
    """An account with a second step changes it only after passing it in this session."""
    if has_device(request.user) and not is_verified(request.user):
        return redirect(reverse("twofactor_verify") + "?" + urlencode({"next": request.get_full_path()}))
    return None


@parent_page
@form_methods
def twofactor(request):
    back = reverse("account_twofactor")
    if (response := _unverified(request)) is not None:
        return response
    required = required_for(request.user)
    if request.method == "POST":
        return manage(request, back=back, may_remove_last=not required)
    context = overview(request, back=back) | {"required": required, "section": "account"}
    return render(request, "twofactor/account.html", context)


@parent_page
@form_methods
def app(request):
    if (response := _unverified(request)) is not None:
        return response
    extra = {"for_account": True, "section": "account"}
    return enrol_app(request, next_url=reverse("account_twofactor"), template="twofactor/setup.html", extra=extra)


@parent_page
@form_methods
def disable(request):
    """Off again, after the password: every device goes; the user gets a mail (someone else may have done it)."""
    if required_for(request.user) or not has_device(request.user):
        # Nothing to turn off (staff cannot): the page says so.
        if request.method == "POST":
            return redirect("account_twofactor")
        context = {"required": required_for(request.user), "section": "account"}
        return render(request, "twofactor/disable.html", context)
    if (response := _unverified(request)) is not None:
        return response
    form = PasswordConfirmForm(request.POST or None, request=request)
    if request.method == "POST":
        with transaction.atomic():
            valid = form.is_valid()
        if valid:
            user = request.user
            with transaction.atomic():
                removed = remove_devices(user)
                log_action(user, "account.twofactor.disabled", user, school_id=None, devices=removed)
                if user.email:
                    context = {"username": user.get_username(), "school": None, "staff": False, "by_self": True}
                    queue_mail("twofactor-reset", to=user.email, language=user.language, context=context)
            event("twofactor.disabled", request)
            messages.success(request, _("Tweestapsverificatie staat uit. U logt voortaan in met alleen uw wachtwoord."))
            return redirect("account")
        if getattr(request, "axes_locked_out", False):
            logout(request)  # axes answers with its lockout page
    return render(request, "twofactor/disable.html", {"form": form, "on": True, "section": "account"})


# The Account page's card asks both in one query, with its SQL built once per process (core/prepared.py).
_second_steps = Prepared(
    get_user_model(),
    lambda user: (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            has_app=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            passkeys=Coalesce(
                Subquery(
                    passkeys_of(OuterRef("pk")).order_by().values("user").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .values_list("has_app", "passkeys")
    ),
    probe=lambda pk: get_user_model()(pk=pk),
)


def account_card(request):
    """The Account page's two-factor card (jinja2/twofactor/account_card.html, drawn through the Jinja2 global
    `twofactor_card` so that `accounts` never imports `twofactor`): is an app set up, how many passkeys."""
    has_app, passkeys = next(iter(_second_steps(request.user)), (False, 0))
    return {"has_app": bool(has_app), "passkeys": passkeys}
