"""Demo additions of the results app: test weeks in the past and ahead, one scale per Cito subject for the growth
chart, and a third school year of results for the demo parent's older child. Called once at the end of the demo
build; deterministic (no randomness)."""

import datetime
import re
from decimal import Decimal

from django.utils import timezone

from ouderportaal.results.models import Assessment, ResultsClosure, TestResult
from ouderportaal.school.models import SchoolYear

MOMENT = re.compile(r"^([ME])([0-9])$")


def add_demo_results(*, board, parent_username="ouder", today=None):
    today = today or timezone.localdate()
    _share_cito_scales()
    _test_weeks(board, today)
    _earlier_year(board, parent_username)


def _share_cito_scales():
    """The demo's Cito products (LOVS, then Leerling in beeld) report on one continuous scale per subject, so the
    growth chart draws one line across the change of product."""
    for assessment in Assessment.objects.filter(supplier="Cito", nationally_normed=True, scale=""):
        assessment.scale = f"Cito {assessment.subject}"
        assessment.save(update_fields=["scale"])


def _at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _last(month, day, today):
    """The most recent month/day strictly before today."""
    candidate = datetime.date(today.year, month, day)
    return candidate if candidate < today else candidate.replace(year=today.year - 1)


def _test_weeks(board, today):
    """Each school: its past test weeks (midden in January, eind in June) and the next January's ahead."""
    for school in board.schools.order_by("pk"):
        for month, day, weeks, reason in ((1, 12, 4, "Toetsweken midden (M)"), (5, 25, 4, "Toetsweken eind (E)")):
            start = _last(month, day, today - datetime.timedelta(days=7 * weeks))
            ResultsClosure.objects.create(
                school=school,
                starts_at=_at(start, 8),
                ends_at=_at(start + datetime.timedelta(weeks=weeks), 8),
                reason=reason,
            )
        upcoming = _last(1, 12, today).replace(year=_last(1, 12, today).year + 1)
        if not school.results_closures.filter(starts_at__gte=_at(today, 0)).exists():
            ResultsClosure.objects.create(
                school=school,
                starts_at=_at(upcoming, 8),
                ends_at=_at(upcoming + datetime.timedelta(weeks=4), 8),
                reason="Toetsweken midden (M)",
            )


def _earlier_year(board, parent_username):
    """For each child of the demo parent whose first tested year was not groep 3: the year before, a year of growth
    lower, with the levels of that first year (the child's results start one year earlier)."""
    results = TestResult.objects.filter(
        pupil__school__board=board,
        pupil__guardianships__guardian__user__username=parent_username,
        assessment__nationally_normed=True,
        ability_score__isnull=False,
    ).select_related("school_year", "assessment")
    by_pupil = {}
    for result in results.order_by("taken_on"):
        by_pupil.setdefault(result.pupil_id, []).append(result)
    rows = []
    for pupil_results in by_pupil.values():
        first_year = pupil_results[0].school_year.start_year
        first = [r for r in pupil_results if r.school_year.start_year == first_year]
        earlier_year, _ = SchoolYear.objects.get_or_create(start_year=first_year - 1)
        for result in first:
            match = MOMENT.match(result.moment)
            if not match or int(match[2]) <= 3:
                continue
            same_subject = [r for r in first if r.assessment_id == result.assessment_id]
            half_year = same_subject[-1].ability_score - same_subject[0].ability_score
            growth = 2 * (half_year if half_year > 0 else Decimal("8.0"))
            rows.append(
                TestResult(
                    pupil_id=result.pupil_id,
                    assessment=result.assessment,
                    school_year=earlier_year,
                    moment=f"{match[1]}{int(match[2]) - 1}",
                    taken_on=result.taken_on - datetime.timedelta(days=364),
                    score=str(round(result.ability_score - growth)) if result.score else "",
                    ability_score=result.ability_score - growth,
                    level=result.level,
                )
            )
    TestResult.objects.bulk_create(rows)
