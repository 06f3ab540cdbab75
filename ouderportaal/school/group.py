"""What Start, Personalia and Groep read about the children's groups: queries whose SQL is built once per process
(core/prepared.py), each about a child the view has from `school.access` (the guardian's own) or about all of the
guardian's children through `school.access.visible_pupils`."""

from django.db.models import F, Value
from django.utils import timezone

from ouderportaal.core.prepared import Prepared
from ouderportaal.school.access import user_probe, visible_pupils
from ouderportaal.school.models import CompositeGroup, Enrolment, Pupil, Teacher
from ouderportaal.school.pages import current_start_year

COMPOSITE, TEACHER, CLASSMATE = 0, 1, 2


def _enrolment(pupil, start_year):
    return Enrolment.objects.filter(pupil=pupil, school_year__start_year=start_year)


_enrolments = Prepared(Enrolment, _enrolment, related=("group", "school_year"), probe=lambda pk: Pupil(pk=pk))


def current_enrolment(pupil):
    """The child's enrolment this school year (one at most), with its group and school year; None without one."""
    return next(iter(_enrolments(pupil, current_start_year())), None)


def _children_enrolments(user, start_year):
    return Enrolment.objects.filter(pupil__in=visible_pupils(user), school_year__start_year=start_year)


_guardian_enrolments = Prepared(Enrolment, _children_enrolments, related=("group",), probe=user_probe)


def attach_current_enrolments(user, pupils):
    """`pupil.current_enrolments` (this school year's, with the group) for each of the guardian's children, in one
    query over the same children as `school.access` gives them."""
    enrolments = {}
    for enrolment in _guardian_enrolments(user, current_start_year()):
        enrolments.setdefault(enrolment.pupil_id, []).append(enrolment)
    for pupil in pupils:
        pupil.current_enrolments = enrolments.get(pupil.pk, [])


def _names_rows(queryset, kind, sort, then, first, middle, last):
    """Rows (kind, sort key, second sort key, three name parts) that the three lists share in one UNION; each
    argument names a field, or None for an empty text."""
    columns = {"sort": sort, "then": then, "first": first, "middle": middle, "last": last}
    columns = {f"row_{key}": F(name) if name else Value("") for key, name in columns.items()}
    return queryset.order_by().annotate(row_kind=Value(kind), **columns).values_list("row_kind", *columns)


def _names(pupil, start_year, today):
    """Names only, in one query: the composite groups the child is in this year (by name), the teachers of its group
    (by surname, first name) and the pupils enrolled in it today, the child too (by roepnaam, surname)."""
    group = _enrolment(pupil, start_year).values("group")
    composite = CompositeGroup.objects.filter(pupils=pupil, school_year__start_year=start_year)
    teachers = Teacher.objects.filter(groups__in=group)
    classmates = Pupil.objects.enrolled(today).filter(enrolments__group__in=group)
    return (
        _names_rows(composite, COMPOSITE, "name", None, "name", None, None)
        .union(
            _names_rows(teachers, TEACHER, "surname", "first_name", "first_name", "voorvoegsel", "surname"),
            _names_rows(classmates, CLASSMATE, "roepnaam", "surname", "roepnaam", "voorvoegsel", "surname"),
            all=True,
        )
        .order_by("row_kind", "row_sort", "row_then")
    )


_group_names = Prepared(Pupil, _names)


def group_names(pupil):
    """The names around the child's group this school year: (composite groups, teachers, classmates). Classmates are
    dicts of their names only, for `person_name`; teachers read as `Teacher.__str__` makes them."""
    composite, teachers, classmates = [], [], []
    for kind, _sort, _then, first, middle, last in _group_names(pupil, current_start_year(), timezone.localdate()):
        if kind == COMPOSITE:
            composite.append(first)
        elif kind == TEACHER:
            teachers.append(str(Teacher(first_name=first, voorvoegsel=middle, surname=last)))
        else:
            classmates.append({"roepnaam": first, "voorvoegsel": middle, "surname": last})
    return composite, teachers, classmates
