"""Every URL's view carries one of these markers; the URL sweep test fails on a view without one.

`public_page` is for pages anyone may open. The parent and staff markers live beside their access rules:
`school.access.parent_page` and `backoffice.access.staff_page`.
"""

PUBLIC, PARENT, STAFF = "public", "parent", "staff"


def mark(view, kind):
    view.page_kind = kind
    return view


def public_page(view):
    return mark(view, PUBLIC)
