"""Parents' sick reports and leave requests, and the director's decision: keyword-only functions that check the
rules, write the records and the audit row, and queue mail, in one transaction."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ouderportaal.absences import leave_rules, letters
from ouderportaal.absences.models import (
    EXCUSED_BY_DEFAULT,
    Absence,
    AttendanceSettings,
    LeaveRequest,
    Reason,
    SickReport,
)
from ouderportaal.core import emails
from ouderportaal.core.audit import log_action
from ouderportaal.school.models import Guardianship, new_public_id
from ouderportaal.schoolcalendar.calendar import SchoolCalendar


class RuleError(Exception):
    """A request the rules refuse; the message is plain Dutch for the parent."""


def may_report(user, pupil):
    """Who may report a child sick or ask leave: a setting per school (guardians who may view, or only those
    with parental authority). `pupil` already came through the parent access path."""
    settings = AttendanceSettings.for_school(pupil.school)
    links = Guardianship.objects.filter(pupil=pupil, guardian__user=user, may_view=True)
    if settings.reporters == AttendanceSettings.Reporters.AUTHORITY:
        links = links.filter(has_authority=True)
    return links.exists()


def is_late(school, day, now=None):
    now = timezone.localtime(now)
    return day <= now.date() and now.time() > AttendanceSettings.for_school(school).report_cutoff


def _sick_absence(report, day, part):
    Absence.objects.get_or_create(
        pupil=report.pupil,
        date=day,
        part_of_day=part,
        defaults={
            "reason": Reason.ILLNESS,
            "excused": True,
            "sick_report": report,
            "note": _("ziek gemeld door ouder"),
        },
    )


@transaction.atomic
def report_sick(*, pupils, acting_user, starts_on, part_of_day, remark="", now=None):
    """Report one or more children ill from `starts_on`; all or none are written. Returns the reports."""
    reports = []
    for pupil in pupils:
        calendar = SchoolCalendar.covering(pupil.school, starts_on)
        why = calendar.why_no_school(starts_on)
        if why:
            raise RuleError(why + " " + _("Een ziekmelding is alleen nodig voor een schooldag."))
        open_report = SickReport.objects.filter(pupil=pupil, ends_on__isnull=True).first()
        if open_report is not None:
            raise RuleError(
                _("%(name)s is al ziek gemeld sinds %(date)s; meld %(name)s eerst beter.")
                % {"name": pupil.roepnaam, "date": open_report.starts_on.strftime("%d-%m-%Y")}
            )
        report = SickReport.objects.create(
            pupil=pupil,
            starts_on=starts_on,
            part_of_day=part_of_day,
            remark=remark,
            reported_by=acting_user,
            late=is_late(pupil.school, starts_on, now),
        )
        _sick_absence(report, starts_on, part_of_day)
        log_action(
            acting_user,
            "pupil.sick.report",
            report,
            school_id=pupil.school_id,
            pupil=pupil.pk,
            starts_on=str(starts_on),
            part_of_day=part_of_day,
            late=report.late,
        )
        reports.append(report)
    return reports


@transaction.atomic
def report_better(*, report, acting_user, back_on):
    """End a sick report: the child is back at school on `back_on`. The school days of the period become
    absences (ill, excused) on the child's Absenten tab."""
    report = SickReport.objects.select_for_update().select_related("pupil__school").get(pk=report.pk)
    if not report.is_open:
        raise RuleError(_("Deze ziekmelding is al beëindigd."))
    if back_on < report.starts_on:
        raise RuleError(_("De datum van beter melden kan niet vóór de eerste ziektedag liggen."))
    report.ends_on = max(report.starts_on, back_on - timedelta(days=1))
    report.ended_by = acting_user
    report.ended_at = timezone.now()
    report.save(update_fields=["ends_on", "ended_by", "ended_at"])
    calendar = SchoolCalendar.covering(report.pupil.school, report.starts_on, report.ends_on)
    for day in calendar.school_days(report.starts_on + timedelta(days=1), report.ends_on):
        _sick_absence(report, day, Absence.PartOfDay.WHOLE_DAY)
    log_action(acting_user, "pupil.sick.better", report, school_id=report.pupil.school_id, ends_on=str(report.ends_on))
    return report


def assess_leave(*, pupil, kind, starts_on, ends_on, has_statement, exclude=None):
    calendar = SchoolCalendar.covering(pupil.school, starts_on, ends_on)
    start_year = starts_on.year if starts_on.month >= 8 else starts_on.year - 1
    earlier = LeaveRequest.objects.filter(
        pupil=pupil,
        kind=LeaveRequest.Kind.PARENTS_WORK,
        starts_on__range=(f"{start_year}-08-01", f"{start_year + 1}-07-31"),
        status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.GRANTED],
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude.pk)
    return leave_rules.assess(
        pupil=pupil,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        calendar=calendar,
        other_13a_this_year=kind == LeaveRequest.Kind.PARENTS_WORK and earlier.exists(),
        has_statement=has_statement,
    )


@transaction.atomic
def request_leave(*, pupil, acting_user, kind, starts_on, ends_on, part_of_day, explanation, statement=None):
    """File a leave request after checking every rule; raises RuleError with all reasons when the school
    cannot grant it. Under-5s' leave is noted; art. 14 over 10 days is forwarded to the leerplichtambtenaar."""
    assessment = assess_leave(
        pupil=pupil, kind=kind, starts_on=starts_on, ends_on=ends_on, has_statement=statement is not None
    )
    if not assessment.ok:
        raise RuleError(" ".join(assessment.problems))
    leave = LeaveRequest.objects.create(
        pupil=pupil,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        part_of_day=part_of_day,
        explanation=explanation,
        school_days=assessment.school_days,
        statement=statement.read() if statement is not None else None,
        statement_name=statement.name[:200] if statement is not None else "",
        requested_by=acting_user,
        status=assessment.outcome,
    )
    log_action(
        acting_user,
        "pupil.leave.request",
        leave,
        school_id=pupil.school_id,
        kind=kind,
        starts_on=str(starts_on),
        ends_on=str(ends_on),
        school_days=assessment.school_days,
        status=leave.status,
    )
    return leave, assessment


def guardian_addresses(pupil):
    """(address, language) of every guardian who may view the child and receives mail, with a login address."""
    links = Guardianship.objects.filter(pupil=pupil, may_view=True, receives_mail=True).select_related("guardian__user")
    seen, result = set(), []
    for link in links:
        user = link.guardian.user
        if user is not None and user.email and user.email.lower() not in seen:
            seen.add(user.email.lower())
            result.append((user.email, getattr(user, "language", "") or "nl"))
    return result


@transaction.atomic
def decide_leave(*, leave, acting_user, granted, motivation):
    """The director's decision: the letter as PDF, kept on the request and mailed to the guardians; granted leave
    becomes excused absences on every school day of the period."""
    leave = LeaveRequest.objects.select_for_update().select_related("pupil__school").get(pk=leave.pk)
    if leave.status != LeaveRequest.Status.PENDING:
        raise RuleError(_("Over deze aanvraag is al besloten."))
    leave.status = LeaveRequest.Status.GRANTED if granted else LeaveRequest.Status.REFUSED
    leave.decided_by = acting_user
    leave.decided_at = timezone.now()
    leave.motivation = motivation
    pupil = leave.pupil
    if granted:
        reason = (
            Reason.LEAVE_PARENTS_WORK if leave.kind == LeaveRequest.Kind.PARENTS_WORK else Reason.LEAVE_CIRCUMSTANCES
        )
        calendar = SchoolCalendar.covering(pupil.school, leave.starts_on, leave.ends_on)
        days = calendar.school_days(leave.starts_on, leave.ends_on)
        for day in days:
            part = leave.part_of_day if len(days) == 1 else Absence.PartOfDay.WHOLE_DAY
            Absence.objects.update_or_create(
                pupil=pupil,
                date=day,
                part_of_day=part,
                defaults={"reason": reason, "excused": EXCUSED_BY_DEFAULT[reason], "leave_request": leave},
            )
    leave.letter = letters.decision_letter(leave, director=acting_user)
    leave.save(update_fields=["status", "decided_by", "decided_at", "motivation", "letter"])
    log_action(
        acting_user, "pupil.leave.decide", leave, school_id=pupil.school_id, status=leave.status, motivation=motivation
    )
    addresses = guardian_addresses(pupil)
    if addresses:
        letter = _store_letter(leave)
        for address, language in addresses:
            emails.leave_decision(to=address, language=language, leave=leave, letter=letter)
    return leave


def _store_letter(leave):
    """The decision letter as a file in default storage, where the outbox reads its attachments when sending; one
    file for all the guardians' mails. The stored name is random, never the pupil's name."""
    path = default_storage.save(
        f"leave-letters/{leave.pupil.school_id}/{new_public_id()}.pdf", ContentFile(bytes(leave.letter))
    )
    filename = f"besluit-verlof-{slugify(leave.pupil.roepnaam)}-{leave.starts_on:%Y%m%d}.pdf"
    return {"path": path, "filename": filename, "content_type": "application/pdf"}


@transaction.atomic
def record_attendance(*, day, entries, acting_user, school):
    """Staff record or correct one day's absences: `entries` is [(pupil, part or "", reason, minutes, note)].
    An empty part removes that day's absence; every change is audited with what it replaced."""
    why = SchoolCalendar.covering(school, day).why_no_school(day)
    if why:
        raise RuleError(why)
    changed = 0
    current = {}
    for absence in Absence.objects.filter(pupil__in=[e[0] for e in entries], date=day):
        current.setdefault(absence.pupil_id, []).append(absence)
    for pupil, part, reason, minutes, note in entries:
        before = current.get(pupil.pk, [])
        old = [(a.part_of_day, a.reason, a.minutes_late, a.note) for a in before]
        new = [(part, reason, minutes if part == Absence.PartOfDay.LATE else None, note)] if part else []
        if old == new:
            continue
        Absence.objects.filter(pk__in=[a.pk for a in before]).delete()
        if part:
            Absence.objects.create(
                pupil=pupil,
                date=day,
                part_of_day=part,
                reason=reason,
                excused=EXCUSED_BY_DEFAULT[reason],
                minutes_late=new[0][2],
                note=note,
            )
        log_action(
            acting_user,
            "pupil.absence.record",
            pupil,
            school_id=school.pk,
            date=str(day),
            before=[list(map(str, o)) for o in old],
            after=[list(map(str, n)) for n in new],
        )
        changed += 1
    return changed
