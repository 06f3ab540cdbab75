"""Hooks for the parent pages of the school app (which may not import this app), reached from their Jinja2 templates
through ouderportaal/jinja.py: the proposals block on a tab and the pending-changes badges. Each costs at most a fixed
number of queries per page."""

from django.db import connection
from django.db.models import Q

from ouderportaal.changes.display import proposal_rows, visible_requests
from ouderportaal.changes.models import ChangeRequest, Section, shown_since
from ouderportaal.school.access import guardian_children
from ouderportaal.school.privacy import viewer_guardian

FAMILY_PAGE_SECTIONS = [Section.GP, Section.EMERGENCY, Section.HOUSEHOLD, Section.CONTACTS]
TAB_SECTIONS = {"pupil_personalia": Section.PERSONAL, "pupil_medical": Section.MEDICAL}


def _family_filter(children, guardian):
    """Family-page proposals this user may see: the children's GP and emergency numbers (`children`: the guardian's
    own, from school.access), the own household's address (never another household's), the own contact details
    (never another guardian's). Each branch is one indexed column against known values: PostgreSQL reads the
    indexes instead of every proposal of the board."""
    q = Q(section__in=[Section.GP, Section.EMERGENCY], pupil__in=[child.pk for child in children])
    if guardian is not None:
        q |= Q(section=Section.CONTACTS, guardian=guardian)
        if guardian.household_id:
            q |= Q(section=Section.HOUSEHOLD, household=guardian.household_id)
    return q


NO_PROPOSALS = {"proposals": []}


def proposals_for(request, pupil=None, section=None, address_visible=True):
    """The proposals block of a child's section (`pupil`, `section`), or of the family page (no pupil): the rows
    of each proposal; a child's address and phone stay hidden when the page hides them."""
    key = "family" if pupil is None else (section, pupil.pk)
    if key not in _family_requests(request)["shown"]:
        return NO_PROPOSALS  # the request's one query found none: no second query for the list
    if pupil is None:
        guardian = viewer_guardian(request.user)
        requests = visible_requests(ChangeRequest.objects.filter(_family_filter(guardian_children(request), guardian)))
    else:
        requests = visible_requests(ChangeRequest.objects.filter(pupil=pupil, section=section))
    return {
        "proposals": [proposal_rows(r, address_visible=address_visible) for r in requests],
        "user": request.user,
        "show_subject": pupil is None,
    }


# The one query a parent page spends on proposals, as plain SQL: it runs on every parent page, and building it with
# the ORM cost more than the database's answer (docs/benchmarks.md). The children come from the one authorisation
# path (school.access). It reads the status of every proposal the user may see that a page shows (the rule of
# ChangeRequest.objects.shown_to_parents(), tests/test_changes.py holds the two together): the pending ones make the
# badges, and a section without any proposal skips the list's own queries.
# Each branch names one indexed column with a single value (a user has at most one guardian record): PostgreSQL reads
# the three indexes, where `IN (subquery)` made it scan every proposal of the board on every page (8.5 ms with 30,000
# proposals, 0.08 ms this way: docs/benchmarks.md).
FAMILY_REQUESTS_SQL = (
    "SELECT section, pupil_id, status FROM changes_changerequest"
    " WHERE (status = %s OR (decided_at >= %s AND status <> %s)) AND ("
    "(section = %s AND guardian_id = (SELECT id FROM school_guardian WHERE user_id = %s))"
    " OR (section = %s AND household_id = (SELECT household_id FROM school_guardian WHERE user_id = %s))"
    "{children})"
)
CHILD_BADGE_SECTIONS = [*TAB_SECTIONS.values(), Section.GP, Section.EMERGENCY]


def _family_requests(request):
    """{"pending": {section or (section, pupil id): count}, "shown": the same keys of every visible proposal,
    pending or decided}; one query per request."""
    cached = getattr(request, "_family_change_requests", None)
    if cached is not None:
        return cached
    user = request.user
    pending, shown = {}, set()
    if user.is_authenticated:
        child_ids = [child.pk for child in guardian_children(request)]
        # ChangeRequest.objects.shown_to_parents(): pending, or decided in the last 90 days and not withdrawn.
        since = connection.ops.adapt_datetimefield_value(shown_since())
        params = [ChangeRequest.Status.PENDING, since, ChangeRequest.Status.WITHDRAWN]
        params += [Section.CONTACTS, user.pk, Section.HOUSEHOLD, user.pk]
        children = ""
        if child_ids:
            children = " OR (section IN ({}) AND pupil_id IN ({}))".format(
                ", ".join(["%s"] * len(CHILD_BADGE_SECTIONS)), ", ".join(["%s"] * len(child_ids))
            )
            params += [*CHILD_BADGE_SECTIONS, *child_ids]
        with connection.cursor() as cursor:
            cursor.execute(FAMILY_REQUESTS_SQL.format(children=children), params)
            rows = cursor.fetchall()
        for section, pupil_id, status in rows:
            key = (section, pupil_id) if section in TAB_SECTIONS.values() else "family"
            shown.add(key)
            if status == ChangeRequest.Status.PENDING:
                pending[key] = pending.get(key, 0) + 1
    request._family_change_requests = {"pending": pending, "shown": shown}
    return request._family_change_requests


def pending_for(request, where, pupil=None):
    """The number of pending proposals for a child's tab (`where` is its URL name) or "family"; 0 when none."""
    if request is None or (where != "family" and where not in TAB_SECTIONS):
        return 0
    counts = _family_requests(request)["pending"]
    if where == "family":
        return counts.get("family", 0)
    return counts.get((TAB_SECTIONS[where], pupil.pk), 0) if pupil is not None else 0
