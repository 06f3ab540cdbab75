from django.urls import path

from ouderportaal.letters import views

app_name = "letters"
urlpatterns = [
    path("berichten/", views.letters, name="letters"),
    path("berichten/<str:letter_id>/", views.letter, name="letter"),
    path("berichten/<str:letter_id>/bijlagen/<str:attachment_id>/", views.attachment, name="attachment"),
]
