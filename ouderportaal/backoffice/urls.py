from django.urls import path

from ouderportaal.backoffice import (
    change_views,
    closures,
    imports,
    invitation_views,
    letters,
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
    path("brieven/", letters.letters, name="letters"),
    path("brieven/nieuw/", letters.letter_new, name="letter_new"),
    path("brieven/<str:letter_id>/", letters.letter, name="letter"),
    path("brieven/<str:letter_id>/bewerken/", letters.letter_edit, name="letter_edit"),
    path("brieven/<str:letter_id>/bezorging/", letters.letter_delivery, name="letter_delivery"),
    path("brieven/<str:letter_id>/niet-bereikt/", letters.letter_not_reached, name="letter_not_reached"),
    path("brieven/<str:letter_id>/bijlagen/<str:attachment_id>/", letters.letter_attachment, name="letter_attachment"),
    path("wijzigingen/", change_views.change_requests, name="change_requests"),
    path("wijzigingen/bevestigingen/", change_views.confirmations, name="confirmations"),
    path("wijzigingen/<str:change_id>/", change_views.change_request, name="change_request"),
    path("toetsweken/", closures.closures, name="closures"),
    path("toetsweken/<int:closure_id>/", closures.closure_edit, name="closure_edit"),
    path("toetsweken/<int:closure_id>/verwijderen/", closures.closure_delete, name="closure_delete"),
]
