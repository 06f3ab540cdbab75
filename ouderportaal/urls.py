from django.contrib import admin
from django.urls import include, path

from ouderportaal.accounts import views as accounts_views
from ouderportaal.core import views as core_views
from ouderportaal.twofactor.urls import account_urlpatterns as account_twofactor_urls

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("beheer/", include("ouderportaal.backoffice.urls")),
    path("tweestaps/", include("ouderportaal.twofactor.urls")),
    path("account/tweestaps/", include(account_twofactor_urls)),
    path("", include("ouderportaal.accounts.urls")),
    path("", include("ouderportaal.onboarding.urls")),
    path("", include("ouderportaal.school.urls")),
    path("", include("ouderportaal.absences.urls")),
    path("", include("ouderportaal.results.urls")),
    path("", include("ouderportaal.letters.urls")),
    path("", include("ouderportaal.changes.urls")),
]
