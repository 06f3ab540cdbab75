"""The demo data (`manage.py seed_demo`, `demo.build.build_demo`): built once for this module, checked read-only;
tests that change it run inside their own transaction, which is rolled back."""

from collections import defaultdict
from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory, override_settings
from django.utils import timezone
from stdnum.nl import bsn, postcode

from ouderportaal.absences.models import EXCUSED_BY_DEFAULT, Absence, Reason
from ouderportaal.accounts.models import User
from ouderportaal.demo.build import build_demo, delete_demo
from ouderportaal.demo.catalogue import DEMO_LOGINS, DemoDataError
from ouderportaal.results.models import Assessment, ResultsClosure, TestResult
from ouderportaal.school.models import (
    Board,
    ContactDetail,
    Enrolment,
    Group,
    Guardian,
    Household,
    MedicalInfo,
    Pupil,
    SchoolYear,
    StaffRole,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pupil_fingerprint():
    return list(
        Pupil.objects.order_by("pk").values_list(
            "roepnaam", "first_names", "voorvoegsel", "surname", "birth_date", "bsn"
        )
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        built = build_demo()
        built.fingerprint = pupil_fingerprint()
    yield built
    with django_db_blocker.unblock():
        delete_demo()


def current_enrolment(pupil):
    return pupil.enrolments.select_related("group").get(
        school_year__start_year=SchoolYear.start_year_for(timezone.localdate())
    )


@pytest.mark.django_db
def test_demo_logins_authenticate(demo):
    request = RequestFactory().post("/inloggen/")
    for login in DEMO_LOGINS:
        user = authenticate(request, username=login.username, password=login.password)
        assert user is not None, login.username
        assert user.first_name and user.last_name and user.email
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    office = User.objects.get(username="administratie")
    assert not office.is_staff and not office.is_superuser
    assert list(StaffRole.objects.filter(user=office).values_list("school", "role")) == [
        (demo.schools[0].pk, StaffRole.Role.ADMINISTRATION)
    ]
    assert set(User.objects.values_list("username", flat=True)) == {login.username for login in DEMO_LOGINS}


@pytest.mark.django_db
def test_parent_sees_two_children_in_different_groups(demo):
    parent = User.objects.get(username="ouder")
    children = list(Pupil.objects.for_guardian(parent))
    assert sorted(c.pk for c in children) == sorted(c.pk for c in demo.parent_children)
    assert len(children) == 2
    groups = [current_enrolment(c).group for c in children]
    assert groups[0] != groups[1]
    assert any(g.is_combination for g in groups)
    assert all(c.school == demo.schools[0] for c in children)
    for child in children:
        assert TestResult.objects.filter(pupil=child, assessment__nationally_normed=True).exists()
        assert Absence.objects.filter(pupil=child).exists()
        assert MedicalInfo.objects.filter(pupil=child).exists()
    guardianship = parent.guardian.guardianships.first()
    assert guardianship.relation == "moeder" and guardianship.is_main_caretaker and guardianship.has_authority


@pytest.mark.django_db
def test_coparent_lives_apart_with_secret_address(demo):
    parent, coparent = User.objects.get(username="ouder"), User.objects.get(username="ouder2")
    assert demo.coparent_guardian.user == coparent
    assert set(Pupil.objects.for_guardian(coparent)) & set(demo.parent_children)
    assert coparent.guardian.household != parent.guardian.household
    assert coparent.guardian.household.address_secret
    assert coparent.guardian.contacts.filter(kind=ContactDetail.Kind.PHONE, secret=True).exists()
    outsider = User.objects.get(username="ouder3")
    assert {p.school for p in Pupil.objects.for_guardian(outsider)} == {demo.schools[1]}


@pytest.mark.django_db
def test_guardian_without_authority_sees_nothing(demo):
    guardian = demo.no_authority_guardian
    assert guardian.user is None
    assert not guardian.guardianships.filter(has_authority=True).exists()
    assert not guardian.guardianships.filter(may_view=True).exists()
    guardian.user = User.objects.create(username="zonder_gezag")
    guardian.save()
    assert not Pupil.objects.for_guardian(guardian.user).exists()


@pytest.mark.django_db
def test_most_guardians_have_no_account_and_the_onboarding_example_works(demo):
    guardians = Guardian.objects.filter(board=demo.board)
    assert guardians.filter(user__isnull=True).count() > 0.9 * guardians.count()
    example = demo.onboarding
    assert example.guardian.user is None
    assert example.guardian.contacts.filter(kind=ContactDetail.Kind.EMAIL, value=example.email).exists()
    oldest = Pupil.objects.filter(guardianships__guardian=example.guardian, school=example.school).order_by(
        "birth_date"
    )
    assert oldest.first() == example.pupil
    assert example.text.startswith(f"Account aanvragen (demo): school {demo.schools[0].name}, oudste kind ")
    assert f"geboren {example.pupil.birth_date:%d-%m-%Y}, e-mail {example.email}" in example.text


@pytest.mark.django_db
def test_groups_and_enrolments(demo):
    current = demo.current_year
    for school in demo.schools:
        assert 180 <= Enrolment.objects.filter(pupil__school=school, school_year=current).count() <= 220
        levels = set(Group.objects.filter(school=school, school_year=current).values_list("year_levels", flat=True))
        assert {int(level) for value in levels for level in value.split("/")} == set(range(1, 9))
        for group in Group.objects.filter(school=school):
            assert 1 <= group.teachers.count() <= 2
    combination = demo.combination_group
    assert combination.is_combination and combination.school_year == current
    levels = set(combination.enrolments.values_list("year_level", flat=True))
    assert levels == set(combination.levels)
    assert Enrolment.objects.filter(pupil__school__board=demo.board).values("school_year").distinct().count() == 3

    history = defaultdict(list)
    for enrolment in Enrolment.objects.select_related("pupil", "group", "school_year"):
        assert enrolment.year_level in enrolment.group.levels
        assert enrolment.group.school_year == enrolment.school_year
        assert enrolment.pupil.enrolled_on <= enrolment.school_year.ends_on
        assert enrolment.pupil.enrolled_on >= enrolment.pupil.birth_date.replace(
            year=enrolment.pupil.birth_date.year + 4
        )
        history[enrolment.pupil_id].append((enrolment.school_year.start_year, enrolment.year_level))
    for rows in history.values():
        rows.sort()
        for (year_a, level_a), (year_b, level_b) in zip(rows, rows[1:], strict=False):
            assert year_b == year_a + 1 and level_b in (level_a, level_a + 1)
            assert level_b == level_a + 1 or level_a == 1
    # Leavers went on to secondary school after group 8.
    left = Pupil.objects.filter(school__board=demo.board, left_on__isnull=False)
    assert left.exists()
    assert not Enrolment.objects.filter(pupil__in=left, school_year=current).exists()


@pytest.mark.django_db
def test_identifiers_are_valid(demo):
    pupils = Pupil.objects.filter(school__board=demo.board)
    numbers = list(pupils.values_list("bsn", flat=True))
    assert len(set(numbers)) == len(numbers) and all(bsn.is_valid(n) for n in numbers)
    codes = [s.postcode for s in demo.schools]
    codes += list(Household.objects.values_list("postcode", flat=True))
    codes += list(pupils.values_list("postcode", flat=True))
    assert all(postcode.is_valid(code) for code in codes)
    phones = [s.phone for s in demo.schools]
    phones += list(ContactDetail.objects.filter(kind=ContactDetail.Kind.PHONE).values_list("value", flat=True))
    phones += [p for p in Household.objects.values_list("phone", flat=True) if p]
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p, "NL")) for p in phones)
    mobiles = ContactDetail.objects.filter(kind=ContactDetail.Kind.PHONE, label="mobiel").values_list(
        "value", flat=True
    )
    assert all(m.startswith("06") for m in mobiles)
    assert pupils.filter(address_secret=True).exists() and pupils.exclude(voorvoegsel="").exists()
    assert pupils.values("general_practitioner").distinct().count() < pupils.count() / 10


@pytest.mark.django_db
def test_absences(demo):
    today = timezone.localdate()
    absences = Absence.objects.filter(pupil__school__board=demo.board)
    assert not absences.filter(date__gte=today).exists()
    for reason, excused in absences.values_list("reason", "excused").distinct():
        assert excused == EXCUSED_BY_DEFAULT[reason]
    late = absences.filter(reason=Reason.LATE)
    assert late.exists() and not late.filter(minutes_late__isnull=True).exists()
    years = {SchoolYear.start_year_for(d) for d in absences.values_list("date", flat=True)}
    assert years == {y.start_year for y in demo.school_years}


@pytest.mark.django_db
def test_results(demo):
    today = timezone.localdate()
    oldest, *later = demo.school_years
    normed = TestResult.objects.filter(assessment__nationally_normed=True, pupil__school__board=demo.board)
    assert set(normed.filter(school_year=oldest).values_list("assessment__level_scheme", flat=True)) == {"AE"}
    assert set(normed.filter(school_year__in=later).values_list("assessment__level_scheme", flat=True)) == {"IV"}
    assert set(normed.filter(school_year=oldest).values_list("level", flat=True)) == set("ABCDE")
    assert set(normed.filter(school_year__in=later).values_list("level", flat=True)) == {"I", "II", "III", "IV", "V"}
    assert TestResult.objects.filter(assessment__nationally_normed=False).exists()
    assert Assessment.objects.filter(supplier="Cito", nationally_normed=True).count() == 10
    assert not TestResult.objects.filter(taken_on__gt=today).exists()
    series = defaultdict(list)
    for pupil_id, subject, moment, taken_on, score in normed.values_list(
        "pupil", "assessment__subject", "moment", "taken_on", "ability_score"
    ):
        assert moment[0] in "ME" and 3 <= int(moment[1:]) <= 8 and moment != "E8"
        assert taken_on.month in ((1, 2) if moment[0] == "M" else (5, 6))
        series[(pupil_id, subject)].append((taken_on, score))
    for scores in series.values():
        scores.sort()
        assert all(a[1] < b[1] for a, b in zip(scores, scores[1:], strict=False))


@pytest.mark.django_db
def test_future_closure(demo):
    now = timezone.now()
    closure = demo.closure
    assert closure.starts_at > now and closure.ends_at > closure.starts_at
    assert ResultsClosure.objects.filter(school=demo.schools[0], ends_at__lt=now).exists()
    assert not ResultsClosure.objects.active().exists()


@pytest.mark.django_db
def test_command_when_demo_exists_prints_logins_and_exits_cleanly(demo):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "Demodata staan er al" in text
    for login in DEMO_LOGINS:
        assert f"{login.username} " in text and login.password in text
    assert demo.onboarding.text in text
    assert Board.objects.count() == 1


@pytest.mark.django_db
def test_reset_rebuilds_the_same_data(demo):
    out = StringIO()
    call_command("seed_demo", "--reset", stdout=out)
    text = out.getvalue()
    assert "aangemaakt" in text and "leerlingen" in text and "Account aanvragen (demo)" in text
    for login in DEMO_LOGINS:
        assert login.username in text and login.password in text
    assert pupil_fingerprint() == demo.fingerprint
    assert Board.objects.count() == 1 and User.objects.count() == len(DEMO_LOGINS)


@pytest.mark.django_db
def test_refuses_a_database_with_another_board(demo):
    Board.objects.create(name="Stichting Echte Scholen")
    with pytest.raises(CommandError, match="ander schoolbestuur"):
        call_command("seed_demo", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", "--reset", stdout=StringIO())
    assert Board.objects.count() == 2


@pytest.mark.django_db
def test_build_demo_refuses_a_second_build_and_delete_removes_it(demo):
    with pytest.raises(DemoDataError):
        build_demo()
    delete_demo()
    assert not Board.objects.exists() and not User.objects.exists() and not Pupil.objects.exists()
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_command_builds_on_an_empty_database(demo):
    delete_demo()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demodata aangemaakt" in out.getvalue()
    assert pupil_fingerprint() == demo.fingerprint


@pytest.mark.django_db
def test_demo_dates_fall_on_school_days_of_the_schools_region(demo):
    from ouderportaal.demo.calendar import SchoolCalendar
    from ouderportaal.demo.catalogue import SCHOOL_SPECS

    for school, spec in zip(demo.schools, SCHOOL_SPECS, strict=True):
        calendar = SchoolCalendar(spec["region"])
        days = set(Absence.objects.filter(pupil__school=school).values_list("date", flat=True))
        days |= set(TestResult.objects.filter(pupil__school=school).values_list("taken_on", flat=True))
        assert days and all(calendar.is_school_day(day) for day in days)
        summer = [calendar.holiday_periods(day)[-1] for day in days]
        assert not any(first <= day <= last for day, (first, last) in zip(days, summer, strict=True))
        middle = TestResult.objects.filter(
            pupil__school=school, moment__startswith="M", assessment__nationally_normed=True
        )
        for taken_on, start_year in middle.values_list("taken_on", "school_year__start_year"):
            christmas = calendar.christmas(start_year)
            assert taken_on.month in (1, 2) and taken_on > christmas[1]
    closure = demo.closure
    calendar = SchoolCalendar(SCHOOL_SPECS[0]["region"])
    first_day = timezone.localtime(closure.starts_at).date()
    assert calendar.is_school_day(first_day)
    christmas = calendar.christmas(SchoolYear.start_year_for(first_day))
    assert not christmas[0] <= first_day <= christmas[1]


def test_school_calendar_published_and_usual_years():
    import datetime

    from ouderportaal.demo.calendar import SchoolCalendar

    midden, noord = SchoolCalendar("midden"), SchoolCalendar("noord")
    assert midden.first_school_day(2026) == datetime.date(2026, 8, 31)  # summer 2026 in Midden: 18 July – 30 August
    assert noord.first_school_day(2026) == datetime.date(2026, 8, 17)
    assert not midden.is_school_day(datetime.date(2026, 1, 2)) and midden.is_school_day(datetime.date(2026, 1, 5))
    for region in ("noord", "midden", "zuid"):
        calendar = SchoolCalendar(region)
        for year in range(2026, 2035):  # years without a published list follow the usual pattern
            first, last = calendar.christmas(year)
            assert first.month == 12 and last.month == 1 and (last - first).days == 15
            assert 30 <= (calendar.first_school_day(year + 1) - calendar.last_school_day(year)).days <= 50
            window = calendar.test_window(year, "M")
            assert window[0] > last and window[1].month in (1, 2) and window[0] < window[1]


@pytest.mark.django_db
def test_demo_has_sick_reports_and_a_pending_leave_request(demo):
    from ouderportaal.absences.models import LeaveRequest, SickReport

    assert SickReport.objects.filter(pupil__school=demo.schools[0], ends_on__isnull=True).count() >= 5
    assert SickReport.objects.filter(pupil__in=demo.parent_children).exists()
    leave = LeaveRequest.objects.get(status="pending")
    assert leave.pupil in demo.parent_children
    director = User.objects.get(username="directeur")
    assert StaffRole.objects.filter(user=director, school=demo.schools[0], role="directeur").exists()


@pytest.mark.django_db
def test_teacher_login_sees_only_the_pupils_of_own_group(demo):
    from ouderportaal.backoffice.access import visible_pupils

    teacher = User.objects.get(username="leerkracht")
    daan = demo.parent_children[-1]
    group = daan.enrolments.get(school_year=demo.current_year).group
    assert teacher.email in {t.email for t in group.teachers.all()}
    assert StaffRole.objects.filter(user=teacher, role=StaffRole.Role.TEACHER, school=group.school).exists()
    seen = set(visible_pupils(teacher).values_list("pk", flat=True))
    assert daan.pk in seen
    assert seen <= set(group.enrolments.values_list("pupil_id", flat=True)) | set(
        Enrolment.objects.filter(group__teachers__email=teacher.email).values_list("pupil_id", flat=True)
    )
    assert len(seen) < Pupil.objects.filter(school=group.school).count() / 3
