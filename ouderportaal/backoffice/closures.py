"""Test weeks (/beheer/toetsweken/): the school's administration closes the parents' results view, scheduled or at
once, and opens it again. The decision whether results are open stays in results/visibility.py."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.results import services
from ouderportaal.results.models import ResultsClosure
from ouderportaal.results.visibility import reopens_at
from ouderportaal.school.models import School

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as the school's clock shows it (Europe/Amsterdam); a time that does not exist or is
    ambiguous at a DST change gets Django's own error."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    default_error_messages = {
        "invalid": gettext_lazy("Vul een geldige datum en tijd in, bijvoorbeeld 26-01-2027 08:00.")
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"], **kwargs)


class ClosureForm(forms.Form):
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Kies een van uw scholen.")},
    )
    starts_at = LocalDateTimeField(label=gettext_lazy("Gesloten vanaf"))
    ends_at = LocalDateTimeField(label=gettext_lazy("Weer open vanaf"))
    reason = forms.CharField(label=gettext_lazy("Reden (alleen voor medewerkers)"), max_length=200, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(pk__in=[s.pk for s in schools]).order_by("name")
        self.only_school = schools[0] if len(schools) == 1 else None
        if self.only_school:
            del self.fields["school"]

    def clean(self):
        data = super().clean()
        if self.only_school:
            data["school"] = self.only_school
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        return data


class CloseNowForm(forms.Form):
    ends_at = LocalDateTimeField(label=gettext_lazy("Weer open vanaf"))
    reason = forms.CharField(label=gettext_lazy("Reden (alleen voor medewerkers)"), max_length=200, required=False)

    def clean_ends_at(self):
        ends_at = self.cleaned_data["ends_at"]
        if ends_at <= timezone.now():
            raise forms.ValidationError(_("Kies een moment in de toekomst."))
        return ends_at


def _schools(request):
    """The schools where this staff member runs the test weeks: its administration and director."""
    schools = list(office_schools(request.user).order_by("name"))
    if not schools:
        raise Http404("Geen school waar u de toetsweken beheert")
    return schools


def _school_from_post(request, schools):
    by_pk = {str(s.pk): s for s in schools}
    school = by_pk.get(request.POST.get("school", ""))
    if school is None:
        raise Http404("Geen school van u")
    return school


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def closures(request):
    schools = _schools(request)
    action = request.POST.get("action") if request.method == "POST" else None
    schedule_form = ClosureForm(request.POST if action == "schedule" else None, schools=schools)
    close_forms = {s.pk: CloseNowForm(prefix=f"nu-{s.pk}") for s in schools}
    if action == "schedule" and schedule_form.is_valid():
        data = schedule_form.cleaned_data
        services.schedule_closure(
            school=data["school"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            acting_user=request.user,
        )
        messages.success(request, _("De toetsweek is ingepland."))
        return redirect("backoffice:closures")
    if action == "close_now":
        school = _school_from_post(request, schools)
        form = close_forms[school.pk] = CloseNowForm(request.POST, prefix=f"nu-{school.pk}")
        if form.is_valid():
            services.close_now(
                school=school,
                until=form.cleaned_data["ends_at"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            messages.success(
                request, _("De toetsresultaten van %(school)s zijn nu gesloten.") % {"school": school.name}
            )
            return redirect("backoffice:closures")
    if action == "open_now":
        school = _school_from_post(request, schools)
        if services.open_now(school=school, acting_user=request.user):
            messages.success(request, _("De toetsresultaten van %(school)s zijn weer open.") % {"school": school.name})
        else:
            messages.info(request, _("De toetsresultaten van %(school)s waren al open.") % {"school": school.name})
        return redirect("backoffice:closures")
    now = timezone.now()
    rows = list(ResultsClosure.objects.filter(school__in=schools).select_related("school").order_by("-starts_at"))
    context = {
        "statuses": [
            {
                "school": s,
                "closed_until": reopens_at([c for c in rows if c.school_id == s.pk], now),
                "form": close_forms[s.pk],
            }
            for s in schools
        ],
        "upcoming": [c for c in rows if c.ends_at > now][::-1],
        "past": [c for c in rows if c.ends_at <= now][:20],
        "now": now,
        "schedule_form": schedule_form,
        "several_schools": len(schools) > 1,
    }
    return render(request, "backoffice/closures.html", context)


def _closure_or_404(request, closure_id):
    return get_object_or_404(
        ResultsClosure.objects.filter(school__in=_schools(request)).select_related("school"), pk=closure_id
    )


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def closure_edit(request, closure_id):
    closure = _closure_or_404(request, closure_id)
    schools = _schools(request)
    initial = {"school": closure.school_id, "starts_at": closure.starts_at, "ends_at": closure.ends_at}
    form = ClosureForm(request.POST or None, schools=schools, initial=initial | {"reason": closure.reason})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_closure(
            closure,
            school=data["school"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            acting_user=request.user,
        )
        messages.success(request, _("De toetsweek is gewijzigd."))
        return redirect("backoffice:closures")
    return render(request, "backoffice/closure_edit.html", {"closure": closure, "form": form})


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def closure_delete(request, closure_id):
    """GET asks for confirmation; POST deletes."""
    closure = _closure_or_404(request, closure_id)
    if request.method != "POST":
        return render(request, "backoffice/closure_delete.html", {"closure": closure})
    when = formats.date_format(timezone.localtime(closure.starts_at), "j F Y H:i")
    services.delete_closure(closure, acting_user=request.user)
    messages.success(request, _("De toetsweek vanaf %(when)s is verwijderd.") % {"when": when})
    return redirect("backoffice:closures")
