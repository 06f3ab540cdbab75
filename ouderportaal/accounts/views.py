"""Logging in and out, the Account tab and changing the password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ouderportaal.accounts.forms import LoginForm, PasswordChangeForm
from ouderportaal.accounts.logins import IP_DAYS, recent_logins
from ouderportaal.accounts.sessions import end_other_sessions
from ouderportaal.core.audit import log_action
from ouderportaal.core.pages import public_page
from ouderportaal.core.securitylog import event
from ouderportaal.school.access import contacts_by_guardian, family_guardianships, parent_page
from ouderportaal.school.privacy import viewer_guardian

form_methods = require_http_methods(["GET", "HEAD", "POST"])

login = public_page(
    form_methods(
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        )
    )
)


class LogoutView(auth_views.LogoutView):
    """POST only (Django answers a GET with 405); back to the login page (LOGOUT_REDIRECT_URL), which says so."""

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.success(request, _("U bent uitgelogd."))
        return response


logout = public_page(require_POST(LogoutView.as_view()))


@parent_page
@require_safe
def account(request):
    """The logged-in guardian's own data, read-only: changes go through the school's administration."""
    # The guardianships of the guardian's children (school.access, loaded once a request) hold the guardian, its
    # own guardianships and the children's main caretakers: one query; the guardian's record only when there
    # are no children.
    ships = family_guardianships(request)
    own = [ship for ship in ships if ship.guardian.user_id == request.user.pk]
    guardian = own[0].guardian if own else viewer_guardian(request.user)
    caretakers = {}
    for ship in ships:
        if ship.is_main_caretaker:
            caretakers.setdefault(ship.pupil_id, []).append(ship.guardian)
    for ship in own:
        ship.main_caretakers = caretakers.get(ship.pupil_id, [])
    context = {
        "guardian": guardian,
        "guardianships": own,
        "contacts": contacts_by_guardian(request, own=True).get(guardian.pk, []) if guardian else [],
        "section": "account",
        "logins": recent_logins(request.user),
        "ip_days": IP_DAYS,
    }
    return render(request, "accounts/account.html", context)


@parent_page
@require_POST
def logout_everywhere(request):
    """Every other session of this account ends (other browsers, a forgotten computer); this one stays."""
    end_other_sessions(request)
    log_action(request.user, "account.sessions.ended", request.user, school_id=None)
    event("session.logout_everywhere", request)
    messages.success(request, _("U bent overal uitgelogd, behalve hier."))
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view: the session of this browser stays, every other session of the account ends."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def form_invalid(self, form):
        # The guesses reached the lockout: this browser is logged out too (axes answers with its lockout page).
        if getattr(self.request, "axes_locked_out", False):
            auth_logout(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        event("password.changed", self.request)
        messages.success(self.request, _("Uw wachtwoord is gewijzigd. Op andere apparaten bent u nu uitgelogd."))
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"section": "account"}


password_change = parent_page(form_methods(PasswordChangeView.as_view()))


@public_page
@require_POST
def set_language(request):
    """Django's language switch, remembered on the account too: mail to this user follows the choice."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language")
    user = request.user
    known = language in dict(settings.LANGUAGES)
    if user.is_authenticated and known and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
    return response
