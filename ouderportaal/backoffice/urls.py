from django.urls import path

from ouderportaal.backoffice import (
    absence_settings_views,
    absence_views,
    attendance_views,
    calendar_views,
    imports,
    invitation_views,
    pupil_views,
    staff_views,
    views,
)

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
    path("ziekmeldingen/", absence_views.morning_list, name="morning_list"),
    path("absenties/", attendance_views.attendance, name="attendance"),
    path("verlof/", absence_views.leave_requests, name="leave_requests"),
    path("verlof/<str:leave_id>/", absence_views.leave_request, name="leave_request"),
    path("verlof/<str:leave_id>/<str:what>.pdf", absence_views.leave_file, name="leave_file"),
    path("verzuim/", absence_views.truancy_list, name="truancy"),
    path("kalender/", calendar_views.school_calendar, name="calendar"),
    path("absenties/instellingen/", absence_settings_views.absence_settings, name="absence_settings"),
]
