from django.urls import path

from ouderportaal.backoffice import closures, imports, views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("aanvragen/", views.account_requests, name="account_requests"),
    path("aanvragen/<str:public_id>/", views.account_request, name="account_request"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:run_id>/", imports.import_run, name="import_run"),
    path("imports/<int:run_id>/fouten.csv", imports.import_errors, name="import_errors"),
    path("toetsweken/", closures.closures, name="closures"),
    path("toetsweken/<int:closure_id>/", closures.closure_edit, name="closure_edit"),
    path("toetsweken/<int:closure_id>/verwijderen/", closures.closure_delete, name="closure_delete"),
]
