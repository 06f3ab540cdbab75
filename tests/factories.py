"""A tiny hand-written test factory: each make_* creates one valid record with overridable fields."""

import datetime
import itertools

from django.utils import timezone

from ouderportaal.accounts.models import User
from ouderportaal.school.models import (
    Board,
    ContactDetail,
    Enrolment,
    Group,
    Guardian,
    Guardianship,
    Household,
    Pupil,
    School,
    SchoolYear,
    StaffRole,
)

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"
# Valid BRIN codes (stdnum.nl.brin) for test schools.
_BRINS = itertools.cycle(["05KO", "12AB", "31XY", "07QZ", "22CD", "18EF"])


def make_board(**kw):
    return Board.objects.create(**{"name": f"Stichting {next(_seq)}", **kw})


def make_school(board=None, **kw):
    n = next(_seq)
    defaults = dict(
        board=board or make_board(),
        name=f"Basisschool {n}",
        brin=f"{next(_BRINS)}{n:02d}"[:6],
        street="Schoolstraat 1",
        postcode="1234 AB",
        city="Utrecht",
        phone="030 123 4567",
        email=f"info{n}@school.example",
        admin_email=f"administratie{n}@school.example",
        director="M. de Directeur",
        website="https://school.example",
    )
    return School.objects.create(**{**defaults, **kw})


def current_year():
    year, _ = SchoolYear.objects.get_or_create(start_year=SchoolYear.start_year_for(timezone.localdate()))
    return year


def make_group(school, year_levels="5", **kw):
    return Group.objects.create(
        **{
            "school": school,
            "school_year": current_year(),
            "name": f"Groep {year_levels} {next(_seq)}",
            "year_levels": year_levels,
            **kw,
        }
    )


def make_pupil(school, group=None, year_level=None, **kw):
    n = next(_seq)
    defaults = dict(
        school=school,
        first_names=f"Anna Maria {n}",
        roepnaam=f"Anna{n}",
        surname=f"Jansen{n}",
        birth_date=datetime.date(2017, 3, 14),
        enrolled_on=datetime.date(2021, 8, 20),
        bsn="111222333",
    )
    pupil = Pupil.objects.create(**{**defaults, **kw})
    if group is not None:
        Enrolment.objects.create(
            pupil=pupil, group=group, school_year=group.school_year, year_level=year_level or group.levels[0]
        )
    return pupil


def make_user(username=None, password=PASSWORD, *, two_factor=None, **kw):
    """An account; operators (is_staff, is_superuser) get an enrolled authenticator app unless two_factor=False."""
    username = username or f"user{next(_seq)}"
    user = User(username=username, email=kw.pop("email", f"{username}@example.com"), **kw)
    user.set_password(password)
    user.save()
    if two_factor or (two_factor is None and (user.is_staff or user.is_superuser)):
        add_totp_device(user)
    return user


def add_totp_device(user):
    """An enrolled authenticator app; tests compute its codes with totp_code()."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Testtelefoon", confirmed=True)


def totp_code(device, offset=0):
    """The code the app shows now (offset: steps later or earlier), computed from the device's key."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):0{device.digits}d}"


def make_guardian(board, pupils=(), user=None, household=None, **kw):
    n = next(_seq)
    guardianship_kw = {
        k: kw.pop(k) for k in ("relation", "has_authority", "may_view", "receives_mail", "is_main_caretaker") if k in kw
    }
    guardian = Guardian.objects.create(
        **{
            "board": board,
            "first_name": f"Piet{n}",
            "surname": f"Jansen{n}",
            "user": user,
            "household": household,
            **kw,
        }
    )
    for pupil in pupils:
        Guardianship.objects.create(guardian=guardian, pupil=pupil, **{"relation": "vader", **guardianship_kw})
    return guardian


def make_household(board, **kw):
    return Household.objects.create(
        **{
            "board": board,
            "name": f"Gezin {next(_seq)}",
            "street": "Dorpsstraat 2",
            "postcode": "1234 AB",
            "city": "Utrecht",
            **kw,
        }
    )


def add_contact(guardian, kind, value, **kw):
    return ContactDetail.objects.create(guardian=guardian, kind=kind, value=value, **kw)


def make_staff(school, role="administratie", *, two_factor=True, **kw):
    """A staff member with an enrolled authenticator app (two_factor=False: one who has yet to enrol)."""
    user = make_user(two_factor=two_factor, **kw)
    StaffRole.objects.create(user=user, school=school, role=role)
    return user
