"""Proposals as a parent sees them: old → new per field, hiding what that parent may not see."""

from ouderportaal.changes import sections


def proposal_rows(change_request, *, address_visible=True):
    hidden = sections.hidden_keys(change_request, address_visible=address_visible)
    rows = []
    for field in change_request.fields.all():
        is_hidden = field.key in hidden
        rows.append(
            {
                "label": sections.label(field.key),
                "old": "" if is_hidden else sections.display(field.key, field.old_value),
                "new": "" if is_hidden else sections.display(field.key, field.new_value),
                "hidden": is_hidden,
                "added": field.old_value is None,
                "removed": field.new_value is None,
                "status": field.get_status_display(),
                "status_key": field.status,
            }
        )
    return {"change_request": change_request, "rows": rows}


def visible_requests(queryset):
    """The 20 newest proposals a parent page shows: pending, or decided in the last 90 days (withdrawn ones
    disappear)."""
    return (
        queryset.shown_to_parents()
        .select_related("proposed_by", "pupil", "guardian")
        .prefetch_related("fields")
        .order_by("-created_at")[:20]
    )
