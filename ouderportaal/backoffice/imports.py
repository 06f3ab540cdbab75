"""Imports from the school's administration: upload → preview → apply, for the office staff of that school."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.backoffice.forms import ImportUploadForm
from ouderportaal.imports import services
from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.reading import neutralise


def _runs(request):
    """Runs of the schools where this staff member works in the office (404 for teachers only)."""
    schools = office_schools(request.user)
    return ImportRun.objects.filter(school__in=schools).select_related("school", "actor"), schools


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def imports(request):
    runs, schools = _runs(request)
    if not schools.exists():
        raise Http404("Geen school waar u importeert")
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, schools=schools.order_by("name"), sources=ImportRun.Source.choices
    )
    if request.method == "POST" and form.is_valid():
        run = services.start_import(
            source=form.cleaned_data["source"],
            upload=form.cleaned_data["file"],
            school=form.cleaned_data["school"],
            actor=request.user,
        )
        return redirect("backoffice:import_run", run_id=run.pk)
    return render(request, "backoffice/imports.html", {"form": form, "runs": runs[:20]})


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def import_run(request, run_id):
    runs, _schools = _runs(request)
    run = get_object_or_404(runs, pk=run_id)
    if request.method == "POST":
        try:
            services.request_apply(
                run=run, acting_user=request.user, mark_missing_left=request.POST.get("mark_missing_left") == "on"
            )
            messages.success(request, _("De import wordt verwerkt."))
        except services.ApplyError as error:
            messages.error(request, str(error))
        return redirect("backoffice:import_run", run_id=run.pk)
    missing = any(counts.get("missing") for counts in run.counts.values())
    return render(request, "backoffice/import_run.html", {"run": run, "missing": missing})


@staff_page
@require_safe
def import_errors(request, run_id):
    """The error report as CSV for Excel: every cell neutralised so no formula in an uploaded file can run."""
    runs, _schools = _runs(request)
    run = get_object_or_404(runs, pk=run_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="importfouten-{run.pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("soort"), _("regel"), _("kolom"), _("waarde"), _("melding")])
    for kind, problems in ((_("fout"), run.errors), (_("waarschuwing"), run.warnings)):
        for p in problems:
            writer.writerow([neutralise(v) for v in (kind, p["line"], p["column"], p["value"], p["message"])])
    return response
