"""The administration's pages. Every query starts from the staff member's own schools."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.backoffice.dashboard import add_dashboard
from ouderportaal.backoffice.forms import ApproveForm, RejectForm
from ouderportaal.letters.access import sender_schools
from ouderportaal.onboarding import services
from ouderportaal.onboarding.matching import match_request, match_requests
from ouderportaal.onboarding.models import AccountRequest
from ouderportaal.school.models import StaffRole


@staff_page
def home(request):
    schools = request.staff_schools.order_by("name")
    pending = dict(
        AccountRequest.objects.pending()
        .filter(school__in=schools)
        .values_list("school")
        .annotate(count=Count("pk"))
        .order_by()
    )
    office = set(office_schools(request.user).values_list("pk", flat=True))
    roles = {}
    for role in StaffRole.objects.filter(user=request.user):
        roles.setdefault(role.school_id, []).append(role.get_role_display())
    rows = [
        {"school": s, "pending_requests": pending.get(s.pk, 0), "roles": roles.get(s.pk, []), "office": s.pk in office}
        for s in schools
    ]
    add_dashboard(rows, request.user)
    context = {"rows": rows, "office": bool(office), "director": any(r["director"] for r in rows)}
    context["letters"] = sender_schools(request.user).exists()
    return render(request, "backoffice/home.html", context)


def _account_requests(request):
    """Confirmed requests at the schools where this staff member decides; unconfirmed ones are never shown."""
    schools = office_schools(request.user)
    if not schools.exists():
        raise Http404("Geen school waar u aanvragen beoordeelt")
    return AccountRequest.objects.confirmed().filter(school__in=schools).select_related("school"), schools


@staff_page
def account_requests(request):
    requests, schools = _account_requests(request)
    pending = list(requests.pending().order_by("confirmed_at"))
    matches = match_requests(pending)
    decided = requests.decided().select_related("decided_by").order_by("-decided_at")[:20]
    context = {
        "pending": [(r, matches[r.pk]) for r in pending],
        "decided": decided,
        "several_schools": schools.count() > 1,
    }
    return render(request, "backoffice/account_requests.html", context)


@staff_page
def account_request(request, public_id):
    requests, _schools = _account_requests(request)
    account_request = get_object_or_404(
        requests.select_related("guardian", "pupil", "user", "decided_by"), public_id=public_id
    )
    decision = request.POST.get("decision") if request.method == "POST" else None
    if decision and not account_request.is_pending:
        messages.error(request, _("Deze aanvraag is al behandeld."))
        return redirect("backoffice:account_request", public_id=account_request.public_id)
    match = match_request(account_request) if account_request.is_pending else None
    approve_form = ApproveForm(request.POST if decision == "approve" else None, match=match)
    reject_form = RejectForm(request.POST if decision == "reject" else None)
    form = approve_form if decision == "approve" else reject_form if decision == "reject" else None
    if form is not None and form.is_valid():
        try:
            if form is approve_form:
                user = services.approve_account_request(
                    account_request, acting_user=request.user, guardian=form.cleaned_data["guardian"]
                )
                done = _("Goedgekeurd: %(username)s krijgt een e-mail met de gebruikersnaam en een wachtwoordlink.")
                messages.success(request, done % {"username": user.username})
            else:
                services.reject_account_request(
                    account_request, acting_user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Afgewezen: de ouder krijgt een e-mail met uw reden."))
            return redirect("backoffice:account_requests")
        except services.DecisionError as error:
            form.add_error(None, str(error))
    context = {"account_request": account_request, "match": match, "approve_form": approve_form}
    context["reject_form"] = reject_form
    return render(request, "backoffice/account_request.html", context)
