from django.contrib.auth import views as auth_views
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.accounts.forms import SetPasswordForm
from ouderportaal.accounts.lockout import unlock
from ouderportaal.core.audit import log_action
from ouderportaal.core.clientip import client_ip
from ouderportaal.core.pages import public_page
from ouderportaal.core.securitylog import event
from ouderportaal.onboarding import services, tokens
from ouderportaal.onboarding.forms import AccountRequestForm, PasswordForgottenForm
from ouderportaal.school.models import School


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def request_account(request):
    schools = School.objects.order_by("name")
    if not schools.exists():
        raise Http404("Geen scholen")
    form = AccountRequestForm(request.POST or None, schools=schools)
    if form.is_valid():
        data = form.cleaned_data
        services.request_account(
            school=data["school"],
            email=data["email"],
            child_first_name=data["child_first_name"],
            child_surname=data["child_surname"],
            child_birth_date=data["child_birth_date"],
            language=get_language(),
            ip_address=client_ip(request),
        )
        # Whatever happened (new request, existing account, rate limit): the same answer.
        return redirect("account_request_sent")
    return render(request, "onboarding/request.html", {"form": form})


@public_page
@require_safe
def request_sent(request):
    return render(request, "onboarding/request_sent.html")


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The link opens a page with a button: mail scanners that fetch every link in a message confirm nothing."""
    try:
        if request.method != "POST":
            tokens.read_confirm_token(token)
            return render(request, "onboarding/confirm.html")
        account_request = services.confirm_account_request(token=token)
    except signing.SignatureExpired:
        # A page for a person who clicked a link in a mail: it explains and offers a new request (status 200).
        return render(request, "onboarding/confirm_failed.html", {"expired": True})
    except signing.BadSignature:
        return render(request, "onboarding/confirm_failed.html", {"expired": False})
    return render(request, "onboarding/confirmed.html", {"school": account_request.school})


@public_page
@require_http_methods(["GET", "HEAD", "POST"])
def password_forgotten(request):
    form = PasswordForgottenForm(request.POST or None)
    if form.is_valid():
        # The lookup and the mail happen in a background task: the answer takes as long whatever was typed.
        services.request_password_reset(login=form.cleaned_data["login"], ip_address=client_ip(request))
        return redirect("password_reset_sent")
    return render(request, "onboarding/password_forgotten.html", {"form": form})


@public_page
@require_safe
def password_reset_sent(request):
    return render(request, "onboarding/password_reset_sent.html")


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link from the approval mail ("Kies uw wachtwoord") and from "forgot password"."""

    template_name = "onboarding/set_password.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("password_reset_complete")
    title = _("Nieuw wachtwoord kiezen")
    invalid_title = _("Deze link werkt niet meer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Django sets its own title ("Wachtwoordherinitialisatie mislukt") for an invalid link.
        context["title"] = self.title if context.get("validlink") else self.invalid_title
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        # A parent locked out by failed logins who just proved they own the mailbox may try again at once.
        unlock(user)
        log_action(user, "account.password_set", user, school_id=None)
        event("password.set", self.request, user=user)
        return response


@public_page
@require_safe
def password_reset_complete(request):
    return render(request, "onboarding/password_set.html")


form_methods = require_http_methods(["GET", "HEAD", "POST"])
choose_password = public_page(form_methods(SetPasswordView.as_view(title=_("Kies uw wachtwoord"))))
reset_password = public_page(form_methods(SetPasswordView.as_view()))
