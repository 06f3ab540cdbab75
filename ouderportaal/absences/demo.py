"""Demo data for sick reports and leave: this morning's reports at the first school, one child of the demo parent
ill, and a pending leave request for the director."""

import datetime
import random

from django.utils import timezone

from ouderportaal.absences import services
from ouderportaal.absences.models import LeaveRequest, SickReport
from ouderportaal.school.models import Pupil, StaffRole
from ouderportaal.schoolcalendar.calendar import SchoolCalendar

REMARKS = ["Koorts", "Buikgriep", "", "Hoofdpijn, blijft vandaag thuis", "", "Waterpokken"]


def add_demo_absences(*, school, parent_children, director, today=None, seed=12):
    """Call at the end of the demo build (in its transaction); `director` gets the director's role at `school`."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    StaffRole.objects.create(user=director, school=school, role=StaffRole.Role.DIRECTOR)
    calendar = SchoolCalendar.covering(school, today, today + datetime.timedelta(days=60))
    day = today
    while not calendar.is_school_day(day):
        day += datetime.timedelta(days=1)
    morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 45)))
    others = list(Pupil.objects.enrolled(day).filter(school=school).exclude(pk__in=[p.pk for p in parent_children]))
    ill = rng.sample(others, min(6, len(others)))
    for index, pupil in enumerate(ill):
        late = morning + datetime.timedelta(minutes=70) if index == 2 else morning  # one report after the cut-off
        report = SickReport(pupil=pupil, starts_on=day, part_of_day="ochtend" if index == 4 else "dag")
        report.remark, report.late = REMARKS[index], services.is_late(school, day, late)
        report.save()
    if parent_children:
        child = parent_children[-1]
        SickReport.objects.create(pupil=child, starts_on=day, remark="Verkouden, komt morgen waarschijnlijk weer")
        days = calendar.school_days(today + datetime.timedelta(days=21), today + datetime.timedelta(days=60))[:2]
        if len(days) == 2:
            LeaveRequest.objects.create(
                pupil=parent_children[0],
                kind=LeaveRequest.Kind.CIRCUMSTANCES,
                starts_on=days[0],
                ends_on=days[1],
                explanation="Bruiloft van mijn zus in Groningen; we reizen de dag ervoor.",
                school_days=2,
                requested_by=parent_children[0].guardians.filter(user__isnull=False).first().user,
            )
