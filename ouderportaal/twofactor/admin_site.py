from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect, resolve_url

from ouderportaal.twofactor.policy import is_verified, second_step


class OperatorAdminSite(admin.AdminSite):
    """Operators log in through the portal's own login page (lockout included) and pass the second step."""

    def has_permission(self, request):
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or resolve_url("admin:index")
        if request.user.is_authenticated and request.user.is_staff:
            return second_step(request) or redirect(next_url)
        return redirect(resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": next_url}))
