from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from ouderportaal.core.pages import STAFF, mark
from ouderportaal.twofactor.policy import required_for


def twofactor_page(view):
    """The second step's own pages: login required, for staff and operators only (others: 404); reachable before
    the second step is passed, which every other staff page requires (backoffice.access.staff_page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not required_for(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return mark(never_cache(login_required(wrapper)), STAFF)
