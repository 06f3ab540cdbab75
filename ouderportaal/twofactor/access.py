from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from ouderportaal.core.pages import STAFF, mark
from ouderportaal.twofactor.policy import required_for, uses_second_step


def twofactor_page(view):
    """The second step's own pages: login required, for staff and operators only (others: 404); reachable before
    the second step is passed, which every other staff page requires (backoffice.access.staff_page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not required_for(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return mark(never_cache(login_required(wrapper)), STAFF)


def second_step_page(view):
    """The second step itself and the recovery codes it shows: staff and operators, and every account that turned
    two-factor on (others: 404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not uses_second_step(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return mark(never_cache(login_required(wrapper)), STAFF)
