from django.utils.functional import SimpleLazyObject

from ouderportaal.backoffice.access import office_schools
from ouderportaal.changes.models import ChangeRequest

SESSION_KEY = "is_school_staff"


def is_school_staff(request):
    """Whether the user holds a staff role, kept in the session at login so that pages do not query it.

    Only the navigation reads this; the back-office's access rule (`staff_page`) always asks the database."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return False
    session = request.session
    if SESSION_KEY not in session:
        session[SESSION_KEY] = user.staff_roles.exists()
    return session[SESSION_KEY]


def remember_staff_role(sender, request, user, **kwargs):
    """user_logged_in: a role granted or withdrawn shows in the navigation from the next login on."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user.staff_roles.exists()


def staff_link(request):
    """`is_school_staff` for the navigation's Beheer link."""
    return {"is_school_staff": SimpleLazyObject(lambda: is_school_staff(request))}


def pending_changes(request):
    """`pending_change_count` for the Beheer link: pending change requests at the schools where this user decides;
    queried only when a template asks (the navigation asks only for staff)."""
    user = getattr(request, "user", None)

    def count():
        if not (user and user.is_authenticated):
            return 0
        return ChangeRequest.objects.pending().filter(school__in=office_schools(user)).count()

    return {"pending_change_count": SimpleLazyObject(count)}
