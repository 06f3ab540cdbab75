"""The operator's admin cannot be used to find pupils by a medical condition, and its reads are audited."""

import pytest

from ouderportaal.core.models import AuditLogEntry
from ouderportaal.school.models import MedicalInfo
from tests import factories as f


@pytest.fixture
def operator(client, cast):
    MedicalInfo.objects.create(pupil=cast.child1, conditions="Diabetes type 1", allergies="Pinda's")
    client.force_login(f.make_user("operator", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "query",
    [
        "conditions__icontains=diabetes",
        "allergies__contains=Pinda",
        "medication__isnull=False",
        "diet__regex=.",
        "remarks=x",
        "conditions__startswith=D",
    ],
)
def test_lookups_on_medical_fields_are_refused(operator, cast, query):
    response = operator.get(f"/admin/school/medicalinfo/?{query}")
    assert response.status_code == 400
    assert cast.child1.surname not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/school/pupil/?medical_info__conditions__icontains=diabetes",
        "/admin/school/guardian/?guardianships__pupil__medical_info__conditions__icontains=diabetes",
    ],
)
def test_lookups_through_a_relation_are_refused_too(operator, path):
    assert operator.get(path).status_code == 400


def test_the_list_itself_shows_no_medical_text(operator, cast):
    page = operator.get("/admin/school/medicalinfo/").content.decode()
    assert "Diabetes" not in page
    assert "Pinda" not in page


def test_the_history_is_an_audited_read(operator, cast):
    info = MedicalInfo.objects.get()
    assert operator.get(f"/admin/school/medicalinfo/{info.pk}/history/").status_code == 200
    entry = AuditLogEntry.objects.get(action="pupil.medical.read")
    assert entry.object_id == str(cast.child1.pk) and entry.data == {"via": "admin-history"}
