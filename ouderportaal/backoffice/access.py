"""The back-office's access rule: staff see only the schools they hold a StaffRole at."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.views.decorators.cache import never_cache

from ouderportaal.core.pages import STAFF, mark, refuse_nul
from ouderportaal.school.models import Enrolment, Group, Pupil, School, StaffRole
from ouderportaal.twofactor.policy import second_step


def staff_schools(user):
    return School.objects.filter(staff_roles__user=user).distinct()


def staff_page(view):
    """Login required; anyone without a staff role gets 404; staff who have not passed the second step of the login
    (two-factor) are sent there first. Sets request.staff_schools (a queryset)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        refuse_nul(kwargs)
        request.staff_schools = staff_schools(request.user)
        if not request.staff_schools.exists():
            raise Http404
        unverified = second_step(request)
        if unverified is not None:
            return unverified
        return view(request, *args, **kwargs)

    # Personal data: never kept in a browser's or proxy's cache.
    return mark(never_cache(login_required(wrapper)), STAFF)


# Who may decide account requests at a school: its administration and director, not its teachers.
OFFICE_ROLES = [StaffRole.Role.ADMINISTRATION, StaffRole.Role.DIRECTOR]


def office_schools(user):
    return School.objects.filter(staff_roles__user=user, staff_roles__role__in=OFFICE_ROLES).distinct()


def teacher_groups(user):
    """The groups a teacher teaches, at the schools where they hold the teacher role. A login is tied to its Teacher
    record(s) by the email address (the one link the school's export carries); no address, no groups."""
    if not user.email:
        return Group.objects.none()
    return Group.objects.filter(
        school__staff_roles__user=user,
        school__staff_roles__role=StaffRole.Role.TEACHER,
        teachers__email__iexact=user.email,
    ).distinct()


def visible_pupils(user):
    """The pupils a staff member may see: every pupil of the schools where they work in the office (administration,
    director); where they only teach, the pupils placed in one of their own groups (read-only)."""
    own_group = Enrolment.objects.filter(pupil=OuterRef("pk"), group__in=teacher_groups(user).values("pk"))
    return Pupil.objects.filter(Q(school__in=office_schools(user).values("pk")) | Exists(own_group))
