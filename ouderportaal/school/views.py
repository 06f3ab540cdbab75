from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ouderportaal.school.access import visible_pupils


@login_required
def home(request):
    return render(request, "school/home.html", {"pupils": visible_pupils(request.user)})
