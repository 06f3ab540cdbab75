"""Operators reset a user's second step from Django's admin (the user list's actions), audited like the director's."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ouderportaal.accounts.admin import UserAdmin
from ouderportaal.accounts.models import User
from ouderportaal.twofactor.reset import reset_second_step


class SecondStepUserAdmin(UserAdmin):
    actions = ["reset_second_step"]

    @admin.action(description=_("Tweestapsverificatie herstellen (apparaten verwijderen, gebruiker mailen)"))
    def reset_second_step(self, request, queryset):
        done = sum(
            bool(reset_second_step(user, acting_user=request.user, request=request, via="admin")) for user in queryset
        )
        self.message_user(
            request,
            ngettext(
                "Tweestapsverificatie van %(count)d account hersteld.",
                "Tweestapsverificatie van %(count)d accounts hersteld.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )


admin.site.unregister(User)
admin.site.register(User, SecondStepUserAdmin)
# django-otp's plain-text recovery codes are no longer used (twofactor.models): none can be made in the admin.
import django_otp.plugins.otp_static.admin  # noqa: E402, F401  (registers StaticDevice first)
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402

admin.site.unregister(StaticDevice)
