"""The one authorisation path of the parent pages: a guardian reaches only their own children."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.cache import never_cache

from ouderportaal.core.pages import PARENT, mark
from ouderportaal.core.prepared import Prepared
from ouderportaal.core.securitylog import event
from ouderportaal.school.models import Pupil


def visible_pupils(user):
    return Pupil.objects.for_guardian(user)


# The query every parent page runs, with its SQL built once per process from visible_pupils (core/prepared.py).
_children = Prepared(Pupil, visible_pupils, related=("school", "household"), probe=lambda pk: get_user_model()(pk=pk))


def guardian_children(request, *related):
    """The guardian's own children, loaded once a request: the access check, the child switcher, the start and
    school pages and the navigation's badges share them. `related`: more foreign keys to join when this is the
    first call of the request (the family page's doctor)."""
    if not hasattr(request, "_guardian_children"):
        if related or not request.user.is_authenticated:
            children = list(visible_pupils(request.user).select_related("school", "household", *related))
        else:
            children = _children(request.user)
        request._guardian_children = children
    return request._guardian_children


def parent_page(view):
    """Login required; a `public_id` URL argument becomes `pupil`, the guardian's own child, or 404."""

    @wraps(view)
    def wrapper(request, *args, public_id=None, **kwargs):
        if public_id is not None:
            # One query for all of the guardian's children (a family has a handful) instead of one for the
            # child and another for the switcher.
            pupil = next((c for c in guardian_children(request) if c.public_id == public_id), None)
            if pupil is None:
                event("access.denied", request)  # another family's child, or a made-up address
                raise Http404("Geen leerling")
            kwargs["pupil"] = pupil
        return view(request, *args, **kwargs)

    # Personal data: never kept in a browser's or proxy's cache.
    return mark(never_cache(login_required(wrapper)), PARENT)
