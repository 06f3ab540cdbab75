"""Hooks for the parent pages of the school app (which may not import this app): the proposals block on a tab and
the pending-changes badges. Each costs at most a fixed number of queries per page."""

from django import template
from django.db import connection
from django.db.models import Q

from ouderportaal.changes.display import proposal_rows, visible_requests
from ouderportaal.changes.models import ChangeRequest, Section
from ouderportaal.school.access import guardian_children, visible_pupils
from ouderportaal.school.privacy import viewer_guardian

register = template.Library()

FAMILY_PAGE_SECTIONS = [Section.GP, Section.EMERGENCY, Section.HOUSEHOLD, Section.CONTACTS]
TAB_SECTIONS = {"pupil_personalia": Section.PERSONAL, "pupil_medical": Section.MEDICAL}


def _family_filter(user, guardian):
    """Family-page proposals this user may see: the children's GP and emergency numbers, the own household's
    address (never another household's), the own contact details (never another guardian's)."""
    q = Q(section__in=[Section.GP, Section.EMERGENCY], pupil__in=visible_pupils(user))
    if guardian is not None:
        q |= Q(section=Section.CONTACTS, guardian=guardian)
        if guardian.household_id:
            q |= Q(section=Section.HOUSEHOLD, household=guardian.household_id)
    return q


@register.inclusion_tag("changes/includes/proposals.html", takes_context=True)
def child_proposals(context, pupil, section):
    """Proposals about this child's section; the child's address and phone stay hidden when the page hides them."""
    request = context["request"]
    address_visible = context.get("address", {}) is not None
    requests = visible_requests(ChangeRequest.objects.filter(pupil=pupil, section=section))
    return {
        "proposals": [proposal_rows(r, address_visible=address_visible) for r in requests],
        "user": request.user,
        "show_subject": False,
    }


@register.inclusion_tag("changes/includes/proposals.html", takes_context=True)
def family_proposals(context):
    request = context["request"]
    guardian = viewer_guardian(request.user)
    requests = visible_requests(ChangeRequest.objects.filter(_family_filter(request.user, guardian)))
    return {"proposals": [proposal_rows(r) for r in requests], "user": request.user, "show_subject": True}


# The badges' one query, as plain SQL: it runs on every parent page, and building it with the ORM cost more than
# the database's answer (docs/benchmarks.md). The children come from the one authorisation path (school.access).
PENDING_SQL = (
    "SELECT section, pupil_id FROM changes_changerequest WHERE status = %s AND ("
    "(section = %s AND guardian_id IN (SELECT id FROM school_guardian WHERE user_id = %s))"
    " OR (section = %s AND household_id IN (SELECT household_id FROM school_guardian WHERE user_id = %s))"
    "{children})"
)
CHILD_BADGE_SECTIONS = [*TAB_SECTIONS.values(), Section.GP, Section.EMERGENCY]


def _pending_counts(request):
    """{section or (section, pupil id): count} of pending proposals this user may see; one query per request."""
    cached = getattr(request, "_pending_change_counts", None)
    if cached is not None:
        return cached
    user = request.user
    counts = {}
    if user.is_authenticated:
        child_ids = [child.pk for child in guardian_children(request)]
        params = [ChangeRequest.Status.PENDING, Section.CONTACTS, user.pk, Section.HOUSEHOLD, user.pk]
        children = ""
        if child_ids:
            children = " OR (section IN ({}) AND pupil_id IN ({}))".format(
                ", ".join(["%s"] * len(CHILD_BADGE_SECTIONS)), ", ".join(["%s"] * len(child_ids))
            )
            params += [*CHILD_BADGE_SECTIONS, *child_ids]
        with connection.cursor() as cursor:
            cursor.execute(PENDING_SQL.format(children=children), params)
            rows = cursor.fetchall()
        for section, pupil_id in rows:
            key = (section, pupil_id) if section in TAB_SECTIONS.values() else "family"
            counts[key] = counts.get(key, 0) + 1
    request._pending_change_counts = counts
    return counts


@register.simple_tag(takes_context=True)
def pending_changes(context, where, pupil=None):
    """The number of pending proposals for a child's tab (`where` is its URL name) or "family"; 0 when none."""
    request = context.get("request")
    if request is None or (where != "family" and where not in TAB_SECTIONS):
        return 0
    counts = _pending_counts(request)
    if where == "family":
        return counts.get("family", 0)
    return counts.get((TAB_SECTIONS[where], pupil.pk), 0) if pupil is not None else 0
