"""Inviting every family of a group or of the whole school: a preview with counts, then one click to send."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.onboarding import guardian_accounts as accounts
from ouderportaal.school.models import Group, SchoolYear


@require_http_methods(["GET", "HEAD", "POST"])
@staff_page
def invitations(request):
    schools = list(office_schools(request.user).order_by("name"))
    if not schools:
        raise Http404("Geen school waar u ouders uitnodigt")
    data = request.POST if request.method == "POST" else request.GET
    school = next((s for s in schools if str(s.pk) == data.get("school")), schools[0])
    this_year = SchoolYear.start_year_for(timezone.localdate())
    groups = Group.objects.filter(school=school, school_year__start_year=this_year).order_by("year_levels", "name")
    groups = list(groups)
    group = next((g for g in groups if str(g.pk) == data.get("groep")), None)
    if request.method == "POST":
        sent = accounts.invite_all(school=school, group=group, acting_user=request.user)
        if sent:
            messages.success(
                request,
                _("%(count)d uitnodiging(en) verstuurd. Ze gaan via de wachtrij de deur uit.") % {"count": sent},
            )
        else:
            messages.info(request, _("Er was niemand (meer) om uit te nodigen."))
        query = f"?school={school.pk}" + (f"&groep={group.pk}" if group else "")
        return redirect(request.path + query)
    plan = accounts.plan_invitations(school=school, group=group)
    context = {"schools": schools, "school": school, "groups": groups, "group": group, "plan": plan}
    return render(request, "backoffice/invitations.html", context)
