from django.urls import path

from ouderportaal.absences import report_views, views

urlpatterns = [
    path("kind/<str:public_id>/absenten/", views.absences, name="pupil_absences"),
    path("kind/<str:public_id>/verlof/", report_views.request_leave, name="request_leave"),
    path("ziekmelden/", report_views.report_sick, name="report_sick"),
    path("verlof/<str:leave_id>/besluit.pdf", report_views.leave_letter, name="leave_letter"),
]
