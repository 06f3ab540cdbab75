"""Imports from the school's administration: upload → preview → apply, for the office staff of that school."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from ouderportaal.backoffice.access import office_schools, staff_page
from ouderportaal.backoffice.forms import ImportUploadForm
from ouderportaal.imports import services, uploads
from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.reading import neutralise


def _runs(request):
    """Runs of the schools where this staff member works in the office (404 for teachers only)."""
    schools = office_schools(request.user)
    return ImportRun.objects.filter(school__in=schools).select_related("school", "actor"), schools


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
@csrf_exempt  # checked in _imports below, once the upload limit is in place (Django's pattern for upload handlers)
def imports(request):
    runs, schools = _runs(request)
    if not schools.exists():
        raise Http404("Geen school waar u importeert")
    if request.method == "POST" and uploads.too_large(request):
        # Refused on the request's length: the body is never read, so nothing is kept in memory or on disk.
        return _page(request, _form(None, schools), runs, refused=True)
    limit = uploads.LimitedUpload(request)
    request.upload_handlers.insert(0, limit)
    return _imports(request, runs, schools, limit)


def _form(request, schools):
    data = (request.POST or None, request.FILES or None) if request else (None, None)
    return ImportUploadForm(*data, schools=schools.order_by("name"), sources=ImportRun.Source.choices)


def _page(request, form, runs, *, refused=False):
    context = {"form": form, "runs": runs[:20], "refused": uploads.refusal() if refused else ""}
    return render(request, "backoffice/imports.html", context, status=413 if refused else 200)


@csrf_protect
def _imports(request, runs, schools, limit):
    form = _form(request, schools)
    if limit.exceeded:
        return _page(request, _form(None, schools), runs, refused=True)
    if request.method == "POST" and form.is_valid():
        run = services.start_import(
            source=form.cleaned_data["source"],
            upload=form.cleaned_data["file"],
            school=form.cleaned_data["school"],
            actor=request.user,
        )
        return redirect("backoffice:import_run", run_id=run.pk)
    return _page(request, form, runs)


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def import_run(request, run_id):
    runs, _schools = _runs(request)
    run = get_object_or_404(runs, pk=run_id)
    if request.method == "POST" and "discard" in request.POST:
        try:
            services.discard_import(run=run, acting_user=request.user)
            messages.success(request, _("De import is niet verwerkt; het bestand is verwijderd."))
        except services.ApplyError as error:
            messages.error(request, str(error))
        return redirect("backoffice:import_run", run_id=run.pk)
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
