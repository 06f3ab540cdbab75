from django.urls import path

from ouderportaal.backoffice import change_views, imports, invitation_views, pupil_views, staff_views, views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("aanvragen/", views.account_requests, name="account_requests"),
    path("aanvragen/<str:public_id>/", views.account_request, name="account_request"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:run_id>/", imports.import_run, name="import_run"),
    path("imports/<int:run_id>/fouten.csv", imports.import_errors, name="import_errors"),
    path("leerlingen/", pupil_views.pupils, name="pupils"),
    path("leerlingen/<str:public_id>/", pupil_views.pupil, name="pupil"),
    path("leerlingen/<str:public_id>/medisch/", pupil_views.pupil_medical, name="pupil_medical"),
    path("uitnodigen/", invitation_views.invitations, name="invitations"),
    path("medewerkers/", staff_views.staff, name="staff"),
    path("wijzigingen/", change_views.change_requests, name="change_requests"),
    path("wijzigingen/bevestigingen/", change_views.confirmations, name="confirmations"),
    path("wijzigingen/<str:change_id>/", change_views.change_request, name="change_request"),
]
