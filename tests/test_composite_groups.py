"""Samengestelde groepen (EDEX composite groups) as parents and the office see them: named, never their members."""

from django.urls import reverse

from ouderportaal.school.models import CompositeGroup, SchoolYear


def make_composite(cast, name, pupils, start_year=None):
    year = SchoolYear.objects.get(start_year=start_year) if start_year else cast.group.school_year
    composite = CompositeGroup.objects.create(school=cast.school, school_year=year, source_key=name, name=name)
    composite.pupils.set(pupils)
    return composite


def test_group_tab_names_the_childs_composite_groups_only(cast, client):
    make_composite(cast, "Plusklas", [cast.child1])
    make_composite(cast, "Leesclub", [cast.child2])  # Daan's, not Sanne's
    old = SchoolYear.objects.create(start_year=cast.group.school_year.start_year - 1)
    CompositeGroup.objects.create(school=cast.school, school_year=old, source_key="O", name="Vorig jaar").pupils.add(
        cast.child1
    )
    client.force_login(cast.parent)
    page = client.get(reverse("pupil_group", args=[cast.child1.public_id])).content.decode()
    assert "Ook in" in page and "Plusklas" in page
    assert "Leesclub" not in page and "Vorig jaar" not in page
    page = client.get(reverse("pupil_group", args=[cast.child2.public_id])).content.decode()
    assert "Leesclub" in page and "Plusklas" not in page


def test_group_tab_without_composite_groups_says_nothing(cast, client):
    client.force_login(cast.parent)
    page = client.get(reverse("pupil_group", args=[cast.child1.public_id])).content.decode()
    assert "Ook in" not in page


def test_pupil_record_lists_composite_groups_per_year(cast, client):
    make_composite(cast, "Plusklas", [cast.child1])
    client.force_login(cast.staff)
    page = client.get(reverse("backoffice:pupil", args=[cast.child1.public_id])).content.decode()
    assert "Samengestelde groepen" in page and f"{cast.group.school_year.name}: Plusklas" in page
