import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ouderportaal.absences.models import Absence
from ouderportaal.results.models import Assessment, TestResult, level_band
from ouderportaal.school.models import Group, SchoolYear
from ouderportaal.school.validators import validate_brin, validate_bsn, validate_phone, validate_postcode
from tests import factories as f


def test_school_year_runs_from_august_to_july():
    assert SchoolYear.start_year_for(datetime.date(2026, 7, 31)) == 2025
    assert SchoolYear.start_year_for(datetime.date(2026, 8, 1)) == 2026
    year = SchoolYear(start_year=2025)
    assert (str(year), year.starts_on, year.ends_on) == (
        "2025-2026",
        datetime.date(2025, 8, 1),
        datetime.date(2026, 7, 31),
    )


def test_combination_group_has_several_levels():
    assert Group(year_levels="4/5").levels == [4, 5]
    assert Group(year_levels="4/5").is_combination
    assert not Group(year_levels="7").is_combination


@pytest.mark.parametrize("level, band", [("III+", "III"), ("v-", "V"), (" A ", "A"), ("I", "I")])
def test_level_band_ignores_splits(level, band):
    assert level_band(level) == band


@pytest.mark.parametrize(
    "validator, good, bad",
    [
        (validate_bsn, "111222333", "123456789"),
        (validate_brin, "05KO", "5KO"),
        (validate_postcode, "1234 AB", "0123 AB"),
        (validate_phone, "06 12345678", "12345"),
    ],
)
def test_dutch_validators(validator, good, bad):
    validator(good)
    with pytest.raises(ValidationError):
        validator(bad)


def test_bsn_is_shown_masked(cast):
    assert cast.child1.masked_bsn == "•••••2333"


def test_absence_takes_excused_from_its_reason_unless_given(cast):
    day = datetime.date(2026, 9, 1)
    assert Absence.objects.create(pupil=cast.child1, date=day, reason="ziek").excused is True
    assert Absence.objects.create(pupil=cast.child1, date=day, part_of_day="te_laat", reason="te_laat").excused is False


def test_one_absence_per_part_of_day_and_one_result_per_moment(cast):
    day = datetime.date(2026, 9, 1)
    Absence.objects.create(pupil=cast.child1, date=day, reason="ziek")
    with pytest.raises(IntegrityError), transaction.atomic():
        Absence.objects.create(pupil=cast.child1, date=day, reason="arts")
    test = Assessment.objects.create(supplier="Cito", subject="Spelling", name="Spelling", level_scheme="IV")
    result = {
        "pupil": cast.child1,
        "assessment": test,
        "school_year": f.current_year(),
        "moment": "M5",
        "taken_on": day,
    }
    TestResult.objects.create(**result)
    with pytest.raises(IntegrityError), transaction.atomic():
        TestResult.objects.create(**result)


def test_operator_reading_medical_info_in_the_admin_is_audited(client, cast):
    from ouderportaal.core.models import AuditLogEntry
    from ouderportaal.school.models import MedicalInfo

    info = MedicalInfo.objects.create(pupil=cast.child1, allergies="Pinda's")
    client.force_login(f.make_user(is_staff=True, is_superuser=True))
    assert client.get(f"/admin/school/medicalinfo/{info.pk}/change/").status_code == 200
    entry = AuditLogEntry.objects.get(action="pupil.medical.read")
    assert entry.object_id == str(cast.child1.pk) and entry.data == {"via": "admin"}
