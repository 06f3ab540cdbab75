from django.shortcuts import render

from ouderportaal.school.access import parent_page, visible_pupils


@parent_page
def home(request):
    return render(request, "school/home.html", {"pupils": visible_pupils(request.user)})
