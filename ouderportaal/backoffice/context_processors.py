from django.utils.functional import SimpleLazyObject


def staff_link(request):
    """`is_school_staff` for the navigation's Beheer link; queried only when a template asks."""
    user = getattr(request, "user", None)
    return {
        "is_school_staff": SimpleLazyObject(lambda: bool(user and user.is_authenticated and user.staff_roles.exists()))
    }
