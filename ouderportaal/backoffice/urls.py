from django.urls import path

from ouderportaal.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("aanvragen/", views.account_requests, name="account_requests"),
    path("aanvragen/<str:public_id>/", views.account_request, name="account_request"),
]
