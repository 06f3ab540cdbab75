"""Wording and formats as a Dutch parent and a school office read them: dates in the back-office, the guardian tags
on a request, the year level beside a group, translated contact labels, the Django admin's names, form details."""

import datetime
import re
import zoneinfo

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import translation

from ouderportaal.onboarding import tokens
from ouderportaal.onboarding.models import AccountRequest
from ouderportaal.school.models import ContactDetail, Enrolment
from tests import factories as f

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
ENGLISH_MONTHS = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")


def staff_page(cast, path, language="nl"):
    client = Client()
    client.cookies["django_language"] = language
    client.force_login(cast.staff)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def account_request(cast):
    moment = datetime.datetime(2026, 12, 1, 3, 2, tzinfo=AMSTERDAM)
    request = AccountRequest.objects.create(
        school=cast.school,
        email="aanvrager@example.org",
        child_first_name=cast.child1.roepnaam,
        child_surname=cast.child1.surname,
        child_birth_date=datetime.date(2017, 7, 30),
        confirmed_at=moment,
    )
    AccountRequest.objects.filter(pk=request.pk).update(created_at=moment - datetime.timedelta(minutes=5))
    cast.child1.birth_date = datetime.date(2017, 7, 30)
    cast.child1.save()
    return request


def test_back_office_dates_are_dutch(cast, account_request):
    queue = staff_page(cast, "/beheer/aanvragen/")
    assert "1 december 2026 03:02" in queue
    assert "30 juli 2017" in queue
    detail = staff_page(cast, f"/beheer/aanvragen/{account_request.public_id}/")
    assert "1 december 2026 02:57" in detail and "1 december 2026 03:02" in detail
    assert detail.count("30 juli 2017") == 2  # as asked and as found
    for html in (queue, detail):
        assert not re.search(r"\b\d{2}-\d{2}-\d{4}\b", html), "a date as dd-mm-yyyy"
        assert not ENGLISH_MONTHS.search(html.split("<main", 1)[1]), "an English month"


def test_back_office_dates_in_english(cast, account_request):
    detail = staff_page(cast, f"/beheer/aanvragen/{account_request.public_id}/", language="en")
    assert "1 December 2026 03:02" in detail and "30 July 2017" in detail


def test_guardian_tags_say_whose_address_is_unknown(cast):
    with_address = cast.coparent_guardian  # has a login: not choosable, tagged as such
    without_login = f.make_guardian(cast.school.board, [cast.child1], first_name="Kees", surname="Visser")
    f.add_contact(without_login, "email", "kees@example.org")
    f.make_guardian(cast.school.board, [cast.child1], first_name="Ria", surname="Visser")  # no address on record
    request = AccountRequest.objects.create(
        school=cast.school,
        email="iemand-anders@example.org",
        child_first_name=cast.child1.roepnaam,
        child_surname=cast.child1.surname,
        child_birth_date=cast.child1.birth_date,
        confirmed_at=datetime.datetime(2026, 12, 1, 3, 2, tzinfo=AMSTERDAM),
    )
    html = staff_page(cast, f"/beheer/aanvragen/{request.public_id}/")
    assert "e-mailadres niet bekend" not in html

    def row(name):
        start = html.index(name)
        return html[start : html.index("</tr>", start)]

    assert "bij ons staat een ander e-mailadres dan in deze aanvraag" in row("Kees Visser")
    assert "bij ons staat geen e-mailadres" in row("Ria Visser")
    assert "heeft al een account met een ander e-mailadres" in row(with_address.full_name)


@pytest.mark.parametrize(
    ("group_name", "year_levels", "level", "shown"),
    [
        ("Groep 7", "7", 7, False),
        ("groep  7", "7", 7, False),
        ("Groep 6/7", "6/7", 7, True),
        ("De Uilen", "6", 6, True),
    ],
)
def test_year_level_only_where_the_group_name_does_not_say_it(client, cast, group_name, year_levels, level, shown):
    type(cast.other_group).objects.filter(pk=cast.other_group.pk).update(name=group_name, year_levels=year_levels)
    Enrolment.objects.filter(pupil=cast.child2).update(year_level=level)
    client.force_login(cast.parent)
    start = client.get("/").content.decode()
    personalia = client.get(f"/kind/{cast.child2.public_id}/personalia/").content.decode()
    group_tab = client.get(f"/kind/{cast.child2.public_id}/groep/").content.decode()
    assert (f"jaargroep {level}" in start) is shown
    assert (f"(jaargroep {level})" in personalia) is shown
    assert (f"zit in jaargroep {level}" in group_tab) is shown


def test_contact_labels_the_project_writes_are_translated(client, cast):
    f.add_contact(cast.guardian, "phone", "06 1111 0001", label="mobiel")
    f.add_contact(cast.guardian, "email", "eva@example.com", label="privé")
    f.add_contact(cast.guardian, "phone", "06 1111 0003", label="Opa's huis")
    f.add_contact(cast.guardian, "phone", "06 1111 0004")
    client.cookies["django_language"] = "en"
    client.force_login(cast.parent)
    html = client.get("/gezin/").content.decode()
    assert "Mobile:" in html and "Personal:" in html and "Phone:" in html
    assert "Opa&#39;s huis:" in html  # typed by the school: shown as typed (escaped by Jinja2)
    assert "Mobiel" not in html and "Privé" not in html
    with translation.override("nl"):
        assert ContactDetail(label=" Mobiel ").display_label == "mobiel"


def test_birth_date_field_brings_up_the_numeric_keypad(client, cast):
    html = client.get("/aanvragen/").content.decode()
    field = re.search(r"<input[^>]*name=\"child_birth_date\"[^>]*>", html).group(0)
    assert 'inputmode="numeric"' in field


def test_birth_date_typed_as_digits_only_is_understood(cast):
    from ouderportaal.onboarding.forms import AccountRequestForm

    form = AccountRequestForm(
        {
            "email": "a@example.org",
            "child_first_name": "Sanne",
            "child_surname": "Visser",
            "child_birth_date": "14032017",
        },
        schools=type(cast.school).objects.filter(pk=cast.school.pk),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["child_birth_date"] == datetime.date(2017, 3, 14)


@pytest.mark.parametrize("page", ["set-password", "change"])
def test_a_weak_password_error_stands_under_the_password(client, cast, page):
    weak = "ouder@example.com"  # too much like the username and address
    if page == "set-password":
        url = client.get(tokens.set_password_url(cast.parent, first=True), follow=True).redirect_chain[-1][0]
        response = client.post(url, {"new_password1": weak, "new_password2": weak})
    else:
        client.force_login(cast.parent)
        data = {"old_password": f.PASSWORD, "new_password1": weak, "new_password2": weak}
        response = client.post("/account/wachtwoord/", data)
    form = response.context["form"]
    assert "te veel op de" in " ".join(form.errors["new_password1"])
    assert "new_password2" not in form.errors
    mismatch = {"new_password1": "paarse-olifant-1", "new_password2": "paarse-olifant-2"}
    if page == "change":
        mismatch["old_password"] = f.PASSWORD
    form = client.post(url if page == "set-password" else "/account/wachtwoord/", mismatch).context["form"]
    assert "new_password2" in form.errors and "new_password1" not in form.errors


# The Django admin, for operators


@pytest.fixture
def operator_client(db):
    client = Client()
    client.force_login(f.make_user("operator", is_staff=True, is_superuser=True))
    return client


def test_admin_index_names_apps_and_models_in_dutch(operator_client):
    html = operator_client.get("/admin/").content.decode()
    for dutch in (
        "Absenties",
        "Toetsresultaten",
        "Schooladministratie",
        "Accountaanvragen",
        "Logboek en e-mail",
        "Inlogbeveiliging",
        "Achtergrondtaken",
        "Inlogpogingen",
        "Taakresultaten",
    ):
        assert dutch in html, dutch
    for english in ("Absences", ">Axes<", "Tasks Database Backend", "Task Results", "Access attempts", ">School<"):
        assert english not in html, english


def test_every_project_model_has_a_dutch_name(db):
    """A model without verbose_name shows its class name ("Test result") in the admin."""
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_config.name.startswith("ouderportaal."):
            assert "verbose_name" in meta.original_attrs, f"{meta.label}: give it a Dutch verbose_name"


@pytest.mark.parametrize(
    ("path", "column"),
    [
        ("/admin/school/pupil/", "Naam"),
        ("/admin/school/guardian/", "Naam"),
        ("/admin/school/schoolyear/", "Schooljaar"),
    ],
)
def test_admin_lists_name_their_columns_in_dutch(operator_client, cast, path, column):
    html = operator_client.get(path).content.decode()
    assert "Full name" not in html and ">Name<" not in html
    assert f">{column}<" in html
