"""The demo, built through the front door: `build_demo()` plans a board's worth of pupils and families, writes them
as the EDEX and CSV files a school's administration would export, and imports those files with the same pipeline a
real school uses. Only what no export carries is added directly: the board and its schools, the demo logins and
staff role, the test catalogue, medical information, emergency contacts and the planned test-week closure.

Deterministic: Faker("nl_NL") and random.Random share one fixed seed, so two builds on an empty database give the
same names, dates and numbers (only the opaque public ids differ). Dates are relative to today and fall on school
days of the school's holiday region, so the demo always shows the current school year and the two before it.
"""

import datetime
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ouderportaal.absences.demo import add_demo_absences
from ouderportaal.absences.models import Absence
from ouderportaal.accounts.models import User
from ouderportaal.changes.demo import add_demo_changes
from ouderportaal.demo.calendar import SchoolCalendar
from ouderportaal.demo.catalogue import (
    BOARD_NAME,
    DEMO_LOGINS,
    DEMO_TOTP_KEY,
    DEMO_USERNAMES,
    SCHOOL_SPECS,
    DemoDataError,
    assessment_specs,
)
from ouderportaal.demo.exports import write_exports
from ouderportaal.demo.planner import Planner
from ouderportaal.imports.models import ImportRun
from ouderportaal.imports.services import import_file
from ouderportaal.letters.demo import add_demo_letters
from ouderportaal.results.demo import add_demo_results
from ouderportaal.results.models import Assessment, ResultsClosure, TestResult
from ouderportaal.school.models import (
    Board,
    ContactDetail,
    EmergencyContact,
    Enrolment,
    GeneralPractitioner,
    Group,
    Guardian,
    Household,
    MedicalInfo,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
    Teacher,
)
from ouderportaal.twofactor.policy import required_for

SCHOOL_FIELDS = ("name", "brin", "street", "postcode", "city", "phone", "email", "admin_email", "website", "director")
PEOPLE = {
    "ouder": ("Eva", "Jansen", "eva.jansen@example.com"),
    "ouder2": ("Mark", "de Vries", "mark.devries@example.net"),
    "ouder3": ("Jeroen", "Bakker", "jeroen.bakker@example.org"),
    "administratie": ("Ingrid", "Hoekstra", "i.hoekstra@demijlpaal.example"),
    "directeur": ("Marleen", "Visser", "m.visser@demijlpaal.example"),
    "leerkracht": ("", "", ""),  # becomes the imported teacher of Daan's group: see add_demo_teacher
    "admin": ("Demo", "Beheerder", "beheer@ouderportaal.example"),
}


@dataclass
class OnboardingExample:
    school: School
    pupil: Pupil
    guardian: Guardian
    email: str

    @property
    def text(self):
        surname = " ".join(p for p in (self.pupil.voorvoegsel, self.pupil.surname) if p)
        return (
            f"Account aanvragen (demo): school {self.school.name}, oudste kind {self.pupil.roepnaam} {surname} "
            f"geboren {self.pupil.birth_date:%d-%m-%Y}, e-mail {self.email}"
        )


@dataclass
class Demo:
    board: Board
    schools: list
    school_years: list  # oldest first; the last is the current one
    users: dict  # username → User
    parent_children: list  # the two children of `ouder`
    coparent_guardian: Guardian
    no_authority_guardian: Guardian  # has_authority=False, may_view=False, no account
    combination_group: Group
    closure: ResultsClosure
    onboarding: OnboardingExample
    counts: dict = field(default_factory=dict)

    @property
    def current_year(self):
        return self.school_years[-1]


def demo_board():
    return Board.objects.filter(name=BOARD_NAME).first()


def foreign_boards():
    return Board.objects.exclude(name=BOARD_NAME)


def build_demo(today=None):
    """Build the demo data in an empty database; raises DemoDataError when a board or demo login exists."""
    today = today or timezone.localdate()
    if Board.objects.exists():
        raise DemoDataError(
            "De database bevat al een schoolbestuur; de demodata worden alleen in een lege database gezet."
        )
    taken = list(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if taken:
        raise DemoDataError(f"Deze gebruikersnamen bestaan al: {', '.join(sorted(taken))}.")
    with transaction.atomic():
        board = Board.objects.create(name=BOARD_NAME)
        schools = [School.objects.create(board=board, **{k: spec[k] for k in SCHOOL_FIELDS}) for spec in SCHOOL_SPECS]
        users = make_users()
        StaffRole.objects.create(user=users["administratie"], school=schools[0], role=StaffRole.Role.ADMINISTRATION)
        for lookup, defaults in assessment_specs():
            Assessment.objects.get_or_create(**lookup, defaults=defaults)
        planner = Planner(today, board=board, schools=schools, users=users).plan()
        with tempfile.TemporaryDirectory(prefix="ouderportaal-demo-") as directory:
            for school, source, path in write_exports(planner, directory):
                with open(path, "rb") as fileobj:
                    run = import_file(source=source, fileobj=fileobj, file_name=path.name, school=school)
                if run.status != ImportRun.Status.APPLIED:
                    problems = run.message or "; ".join(str(e) for e in run.errors[:3])
                    raise DemoDataError(f"De demo-export {path.name} liet zich niet importeren: {problems}")
        demo = _finish(planner, today)

        add_demo_teacher(users["leerkracht"], demo.parent_children[-1], demo.current_year)
        # Other apps add their demo data here, one call each, after everything above exists.
        add_demo_letters(schools[0], users["administratie"], parent=users["ouder"])
        add_demo_changes(board)
        add_demo_results(board=board, today=today)
        add_demo_absences(
            school=schools[0], parent_children=demo.parent_children, director=users["directeur"], today=today
        )

        add_demo_authenticators(users.values())
        demo.counts = demo_counts(board, today)
    return demo


def add_demo_teacher(user, pupil, school_year):
    """The teacher login is the imported teacher of the pupil's group this year: a login meets its Teacher record
    through the email address, as with a real school's export (backoffice.access.teacher_groups)."""
    group = pupil.enrolments.get(school_year=school_year).group
    teacher = group.teachers.order_by("source_key").first()
    user.first_name, user.last_name, user.email = teacher.first_name, teacher.surname, teacher.email
    user.save(update_fields=["first_name", "last_name", "email"])
    StaffRole.objects.create(user=user, school=group.school, role=StaffRole.Role.TEACHER)


def demo_world():
    """The board, schools and demo logins as unsaved rows: enough for the planner to write the export files."""
    board = Board(name=BOARD_NAME)
    schools = [School(board=board, **{k: spec[k] for k in SCHOOL_FIELDS}) for spec in SCHOOL_SPECS]
    users = {login.username: User(username=login.username, email=PEOPLE[login.username][2]) for login in DEMO_LOGINS}
    return board, schools, users


def add_demo_authenticators(users):
    """Staff and operators pass a second step: give their demo logins the published demo key (DEMO_TOTP_KEY)."""
    for user in users:
        if required_for(user):
            TOTPDevice.objects.create(user=user, name="Demo", key=DEMO_TOTP_KEY, confirmed=True)


def make_users():
    hashes = {}  # one slow hash per distinct password
    users = {}
    for login in DEMO_LOGINS:
        first, last, email = PEOPLE[login.username]
        if login.password not in hashes:
            hashes[login.password] = make_password(login.password)
        is_operator = login.username == "admin"
        users[login.username] = User.objects.create(
            username=login.username,
            first_name=first,
            last_name=last,
            email=email,
            password=hashes[login.password],
            is_staff=is_operator,
            is_superuser=is_operator,
        )
    return users


def _finish(planner, today):
    """What no export carries, attached to the imported rows by their keys."""
    board, schools = planner.board, planner.schools
    pupils = {(p.school_id, p.source_key): p for p in Pupil.objects.filter(school__board=board)}
    guardians = {g.source_key: g for g in Guardian.objects.filter(board=board)}

    def pupil(planned):
        return pupils[(planned.school.pk, planned.source_key)]

    for planned in planner.out[Guardian]:
        if planned.user is not None:
            guardian = guardians[planned.source_key]
            guardian.user = planned.user
            guardian.save(update_fields=["user"])
    EmergencyContact.objects.bulk_create(
        EmergencyContact(pupil=pupil(c.pupil), name=c.name, relation=c.relation, phone=c.phone, position=c.position)
        for c in planner.out[EmergencyContact]
    )
    MedicalInfo.objects.bulk_create(
        MedicalInfo(
            pupil=pupil(m.pupil), allergies=m.allergies, medication=m.medication, conditions=m.conditions,
            diet=m.diet, remarks=m.remarks, last_confirmed_on=m.last_confirmed_on,
        )
        for m in planner.out[MedicalInfo]
    )  # fmt: skip
    closure = _test_week(schools[0], SCHOOL_SPECS[0]["region"], today)
    by_key = {f["key"]: f for f in planner.families if f["key"]}
    combination = (
        Group.objects.filter(school=schools[0], school_year__start_year=planner.current, year_levels__contains="/")
        .exclude(year_levels="1/2")
        .order_by("pk")
        .first()
    )
    return Demo(
        board=board,
        schools=schools,
        school_years=list(SchoolYear.objects.filter(start_year__in=planner.years).order_by("start_year")),
        users=planner.users,
        parent_children=[pupil(c.pupil) for c in by_key["ouder"]["children"]],
        coparent_guardian=guardians[by_key["ouder"]["guardians"][1].source_key],
        no_authority_guardian=guardians[by_key["no_authority"]["guardians"][1].source_key],
        combination_group=combination,
        closure=closure,
        onboarding=onboarding_example(board),
    )


def _test_week(school, region, today):
    """The next test weeks of the school: mid-year in January/February (after the Christmas holiday), else the
    end-of-year tests; never in a holiday, always ahead so the demo shows results now."""
    calendar = SchoolCalendar(region)
    start_year = SchoolYear.start_year_for(today)
    for year, moment in ((start_year, "M"), (start_year, "E"), (start_year + 1, "M")):
        first = calendar.next_school_day(calendar.test_window(year, moment)[0])
        if first > today:
            break
    return ResultsClosure.objects.create(
        school=school,
        starts_at=aware(first),
        ends_at=aware(first + datetime.timedelta(days=12)),
        reason="Toetsweken: de toetsresultaten zijn tijdelijk niet te zien",
    )


def aware(day, hour=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def onboarding_example(board=None):
    """A guardian without an account whose email is known, with the oldest child at the board's first school."""
    board = board or demo_board()
    if board is None:
        return None
    school = board.schools.order_by("pk").first()
    guardians = (
        Guardian.objects.filter(board=board, user__isnull=True, contacts__kind=ContactDetail.Kind.EMAIL)
        .filter(guardianships__has_authority=True, guardianships__may_view=True, guardianships__pupil__school=school)
        .distinct()
        .order_by("pk")
        .prefetch_related("contacts")
    )
    for guardian in guardians[:50]:
        pupils = Pupil.objects.filter(guardianships__guardian=guardian, school=school, left_on__isnull=True).order_by(
            "birth_date", "pk"
        )
        oldest = pupils.first()
        if oldest is None:
            continue
        email = next(c.value for c in guardian.contacts.all() if c.kind == ContactDetail.Kind.EMAIL)
        return OnboardingExample(school=school, pupil=oldest, guardian=guardian, email=email)
    return None


def demo_counts(board, today=None):
    today = today or timezone.localdate()
    current = SchoolYear.objects.current(today)
    pupils = Pupil.objects.filter(school__board=board)
    per_school = {
        school.name: Enrolment.objects.filter(pupil__school=school, school_year=current).count()
        for school in board.schools.order_by("pk")
    }
    return {
        "schools": board.schools.count(),
        "school_years": SchoolYear.objects.filter(group__school__board=board).distinct().count(),
        "groups": Group.objects.filter(school__board=board).count(),
        "groups_current": Group.objects.filter(school__board=board, school_year=current).count(),
        "teachers": Teacher.objects.filter(school__board=board).count(),
        "pupils": pupils.count(),
        "pupils_current": per_school,
        "pupils_left": pupils.filter(left_on__lt=today).count(),
        "enrolments": Enrolment.objects.filter(pupil__school__board=board).count(),
        "households": Household.objects.filter(board=board).count(),
        "guardians": Guardian.objects.filter(board=board).count(),
        "guardians_with_account": Guardian.objects.filter(board=board, user__isnull=False).count(),
        "contacts": ContactDetail.objects.filter(guardian__board=board).count(),
        "general_practitioners": GeneralPractitioner.objects.filter(board=board).count(),
        "emergency_contacts": EmergencyContact.objects.filter(pupil__school__board=board).count(),
        "medical_infos": MedicalInfo.objects.filter(pupil__school__board=board).count(),
        "absences": Absence.objects.filter(pupil__school__board=board).count(),
        "test_results": TestResult.objects.filter(pupil__school__board=board).count(),
        "closures": ResultsClosure.objects.filter(school__board=board).count(),
    }


def _force_delete(queryset, depth=0):
    """Delete, first deleting whatever protects the rows (another app's records about demo pupils, say)."""
    while True:
        try:
            return queryset.delete()
        except (ProtectedError, RestrictedError) as error:
            if depth > 10:
                raise
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            by_model = defaultdict(list)
            for obj in blocking:
                by_model[type(obj)].append(obj.pk)
            for model, pks in by_model.items():
                _force_delete(model._base_manager.filter(pk__in=pks), depth + 1)


def delete_demo():
    """Remove the demo board with everything on it, the demo logins and accounts made for demo guardians."""
    boards = Board.objects.filter(name=BOARD_NAME)
    with transaction.atomic():
        users = User.objects.filter(
            Q(username__in=DEMO_USERNAMES) | Q(guardian__board__in=boards) | Q(staff_roles__school__board__in=boards)
        )
        user_ids = list(users.values_list("pk", flat=True).distinct())
        # The big tables first, as plain deletes; then the rest from the leaves up.
        TestResult.objects.filter(pupil__school__board__in=boards).delete()
        Absence.objects.filter(pupil__school__board__in=boards).delete()
        Enrolment.objects.filter(pupil__school__board__in=boards).delete()
        for queryset in (
            Pupil.objects.filter(school__board__in=boards),
            Guardian.objects.filter(board__in=boards),
            Household.objects.filter(board__in=boards),
            GeneralPractitioner.objects.filter(board__in=boards),
            Group.objects.filter(school__board__in=boards),
            Teacher.objects.filter(school__board__in=boards),
            School.objects.filter(board__in=boards),
            boards,
            User.objects.filter(pk__in=user_ids),
        ):
            _force_delete(queryset)
        names = [lookup["name"] for lookup, _ in assessment_specs()]
        Assessment.objects.filter(name__in=names, testresult__isnull=True).delete()
