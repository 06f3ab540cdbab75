from django.utils.functional import SimpleLazyObject

from ouderportaal.accounts.sessions import is_guardian


def guardian_link(request):
    """`is_guardian` for the navigation's parent sections, kept in the session; asked only when a template asks."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {"is_guardian": SimpleLazyObject(lambda: signed_in and is_guardian(request))}
