from django.utils.functional import SimpleLazyObject

from ouderportaal.school.models import Guardian


def guardian_link(request):
    """`is_guardian` for the navigation's parent sections; queried only when a template asks (staff, mostly)."""
    user = getattr(request, "user", None)
    return {
        "is_guardian": SimpleLazyObject(
            lambda: bool(user and user.is_authenticated and Guardian.objects.filter(user=user).exists())
        )
    }
