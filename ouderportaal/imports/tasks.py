from django.tasks import task

from ouderportaal.imports import services
from ouderportaal.imports.models import ImportRun


@task()
def check_import(run_id: int) -> str:
    run = ImportRun.objects.select_related("school").get(pk=run_id)
    return services.check_stored(run).status


@task()
def apply_import_task(run_id: int) -> str:
    run = ImportRun.objects.select_related("school", "actor").get(pk=run_id)
    return services.apply_stored(run).status
