from django.utils.functional import SimpleLazyObject

from ouderportaal.accounts.sessions import has_staff_role
from ouderportaal.backoffice.access import office_schools
from ouderportaal.changes.models import ChangeRequest


def staff_link(request):
    """`is_school_staff` for the navigation's Beheer link."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {"is_school_staff": SimpleLazyObject(lambda: signed_in and has_staff_role(request))}


def pending_changes(request):
    """`pending_change_count` for the Beheer link: pending change requests at the schools where this user decides;
    queried only when a template asks (the navigation asks only for staff)."""
    user = getattr(request, "user", None)

    def count():
        if not (user and user.is_authenticated):
            return 0
        return ChangeRequest.objects.pending().filter(school__in=office_schools(user)).count()

    return {"pending_change_count": SimpleLazyObject(count)}
