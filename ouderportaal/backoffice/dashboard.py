"""The figures on /beheer/ per school: accounts coverage and failed mails (the office's schools only)."""

from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from ouderportaal.core.models import OutgoingMail
from ouderportaal.school.models import Guardianship, SchoolYear, StaffRole


def add_dashboard(rows, user):
    """Add `families`, `families_with_login`, `failed_mails` and `director` to each row of the home page."""
    office_ids = [row["school"].pk for row in rows if row["office"]]
    today = timezone.localdate()
    # A family is a household; a guardian without one is a family of their own. Counted over the guardians who may
    # view a pupil placed in a group this school year.
    links = (
        Guardianship.objects.filter(
            may_view=True,
            pupil__school__in=office_ids,
            pupil__enrolments__school_year__start_year=SchoolYear.start_year_for(today),
        )
        .filter(pupil__in=_enrolled(today))
        .values_list("pupil__school_id", "guardian_id", "guardian__household_id", "guardian__user__is_active")
        .distinct()
    )
    families, with_login = defaultdict(set), defaultdict(set)
    for school_id, guardian_id, household_id, active in links:
        family = household_id or f"g{guardian_id}"
        families[school_id].add(family)
        if active:
            with_login[school_id].add(family)
    failed = dict(
        OutgoingMail.objects.filter(school_id__in=office_ids, status=OutgoingMail.Status.FAILED)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    directors = set(
        StaffRole.objects.filter(user=user, role=StaffRole.Role.DIRECTOR).values_list("school_id", flat=True)
    )
    for row in rows:
        pk = row["school"].pk
        row.update(
            families=len(families[pk]),
            families_with_login=len(with_login[pk]),
            failed_mails=failed.get(pk, 0),
            director=pk in directors,
        )


def _enrolled(today):
    from ouderportaal.school.models import Pupil

    return Pupil.objects.enrolled(today).values("pk")
