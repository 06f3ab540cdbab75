"""Staff roles: the director of a school adds and removes its administration, teachers and directors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.backoffice.forms import StaffRoleForm
from ouderportaal.onboarding import staff_roles
from ouderportaal.school.models import School, StaffRole
from ouderportaal.twofactor.reset import reset_second_step


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def staff(request):
    # The office sees who works at its schools; only a director changes it.
    office = list(office_schools(request.user).order_by("name"))
    if not office:
        raise Http404("Geen school waar u op kantoor werkt")
    schools = School.objects.filter(staff_roles__user=request.user, staff_roles__role=StaffRole.Role.DIRECTOR)
    schools = schools.distinct().order_by("name")
    if request.method == "POST" and not schools.exists():
        raise PermissionDenied
    roles = StaffRole.objects.filter(school__in=schools).select_related("user", "school")
    if request.method == "POST" and "reset_twofactor" in request.POST:
        # A lost phone without recovery codes: the director removes the colleague's second step (audited, mailed).
        key = request.POST["reset_twofactor"]
        staff_role = get_object_or_404(roles, pk=int(key) if key.isdigit() else 0)
        colleague, school = staff_role.user, staff_role.school
        reset_second_step(colleague, acting_user=request.user, request=request, school=school, via="beheer")
        messages.success(
            request,
            _("De tweestapsverificatie is uitgezet; bij de volgende aanmelding stelt de medewerker die opnieuw in."),
        )
        return redirect("backoffice:staff")
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST["remove"]
        staff_role = get_object_or_404(roles, pk=int(remove) if remove.isdigit() else 0)
        try:
            staff_roles.remove_staff_role(staff_role, acting_user=request.user)
            messages.success(request, _("De rol is verwijderd."))
        except staff_roles.StaffRoleError as error:
            messages.error(request, str(error))
        return redirect("backoffice:staff")
    form = StaffRoleForm(request.POST if request.method == "POST" else None, schools=schools)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _role, created = staff_roles.add_staff_role(
                school=data["school"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                acting_user=request.user,
            )
            if created:
                messages.success(request, _("Rol toegevoegd; er is een account gemaakt en een e-mail verstuurd."))
            else:
                messages.success(request, _("Rol toegevoegd aan het bestaande account."))
            return redirect("backoffice:staff")
        except staff_roles.StaffRoleError as error:
            form.add_error(None, str(error))
    roles = StaffRole.objects.filter(school__in=office).select_related("user", "school")
    roles = roles.order_by("school__name", "user__last_name", "user__first_name", "role")
    director_of = {school.pk for school in schools}
    context = {"roles": roles, "form": form, "schools": office, "director_of": director_of}
    return render(request, "backoffice/staff.html", context)
