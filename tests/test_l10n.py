"""core/l10n.py: each remembered text is the one Django writes, per value, zone, format and language."""

import datetime
import zoneinfo
from decimal import Decimal

from django.template import defaultfilters
from django.utils import translation

from ouderportaal.core import l10n
from ouderportaal.school.models import ContactDetail, Guardianship

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NY = zoneinfo.ZoneInfo("America/New_York")


def test_numbers_and_calendar_dates_as_django_writes_them():
    for language, score, day in (("nl", "101,1", "15 januari 2022"), ("en", "101.1", "15 January 2022")):
        with translation.override(language):
            assert l10n.number(Decimal("101.1")) == score
            assert l10n.date(datetime.date(2022, 1, 15), "j F Y") == day


def test_a_moment_is_written_in_the_zone_it_carries():
    """The same instant in two zones: equal as datetimes, so the zone is part of what is remembered."""
    in_amsterdam = datetime.datetime(2026, 12, 1, 18, 30, tzinfo=AMS)
    in_new_york = in_amsterdam.astimezone(NY)
    assert in_amsterdam == in_new_york
    with translation.override("nl"):
        first = l10n.date(in_amsterdam, "j F Y H:i")
        second = l10n.date(in_new_york, "j F Y H:i")
        assert (first, second) == ("1 december 2026 18:30", "1 december 2026 12:30")
        assert first == defaultfilters.date(in_amsterdam, "j F Y H:i")
        assert l10n.date(in_amsterdam, "DATETIME_FORMAT") == defaultfilters.date(in_amsterdam, "DATETIME_FORMAT")
    with translation.override("en"):
        assert l10n.date(in_amsterdam, "j F Y H:i") == "1 December 2026 18:30"


def test_a_choice_label_follows_the_language_and_the_value():
    ship = Guardianship(relation=Guardianship.Relation.MOTHER)
    contact = ContactDetail(kind="email", value="a@example.com")
    with translation.override("nl"):
        assert l10n.label(ship, "relation") == ship.get_relation_display() == "moeder"
        assert contact.display_label == contact.get_kind_display()
    with translation.override("en"):
        assert l10n.label(ship, "relation") == ship.get_relation_display()
        assert l10n.label(ship, "relation") != "moeder"
    ship.relation = Guardianship.Relation.FATHER
    with translation.override("nl"):
        assert l10n.label(ship, "relation") == "vader"
    ship.relation = "onbekend"  # not a choice: the value itself, as Django shows it
    assert l10n.label(ship, "relation") == "onbekend"


def test_a_templates_text_follows_the_language():
    for language in ("nl", "en"):
        with translation.override(language):
            assert l10n.gettext("Uitloggen") == translation.gettext("Uitloggen")
    with translation.override("en"):
        assert l10n.gettext("Uitloggen") != "Uitloggen"
