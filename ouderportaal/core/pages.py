"""Every URL's view carries one of these markers; the URL sweep test fails on a view without one.

`public_page` is for pages anyone may open. The parent and staff markers live beside their access rules:
`school.access.parent_page` and `backoffice.access.staff_page`.
"""

from django.http import Http404

PUBLIC, PARENT, STAFF = "public", "parent", "staff"


def mark(view, kind):
    view.page_kind = kind
    return view


def public_page(view):
    return mark(view, PUBLIC)


def refuse_nul(url_args):
    """404 for a URL argument with a NUL byte (%00): it names no record, and PostgreSQL refuses NUL in a query (a
    server error otherwise). The parent and staff markers ask this before their view reads anything."""
    if any("\x00" in value for value in url_args.values() if isinstance(value, str)):
        raise Http404("Geen pagina")
