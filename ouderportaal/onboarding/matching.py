"""Which pupil and which guardian an account request points at. Read-only: the decision is the staff's."""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from ouderportaal.school.models import ContactDetail, Guardianship, Pupil


def normalise_name(value):
    """Compare names as people type them: case, accents, spaces, hyphens, dots and apostrophes do not count.

    "Zoë van den Berg-Smit" → "zoevandenbergsmit"; "’t Hart" → "thart"; "IJsbrand" → "ijsbrand".
    """
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def pupil_matches(pupil, *, first_name, surname):
    """True when the typed names are the pupil's: a first name (roepnaam, one of the voornamen, or all of them)
    and the surname with or without its voorvoegsel. The birth date is compared by the caller's query."""
    first = normalise_name(first_name)
    first_names = {normalise_name(pupil.roepnaam), normalise_name(pupil.first_names)}
    first_names.update(normalise_name(name) for name in pupil.first_names.split())
    surnames = {normalise_name(pupil.surname), normalise_name(f"{pupil.voorvoegsel} {pupil.surname}")}
    return bool(first) and first in first_names and normalise_name(surname) in surnames


@dataclass
class Candidate:
    guardian: object
    guardianship: object
    email_matches: bool

    @property
    def has_account(self):
        return self.guardian.user_id is not None

    @property
    def has_recorded_address(self):
        """Whether the school has any email address for this guardian (then a mismatch means: another address)."""
        return bool(_recorded_addresses(self.guardian))

    @property
    def blocked(self):
        """A guardian with a login who does not have this address: approving would mail their username and a reset
        link to a stranger, so they cannot be chosen (approve_account_request refuses it too)."""
        return self.has_account and not self.email_matches


@dataclass
class Match:
    pupil: object = None
    candidates: list = field(default_factory=list)

    @property
    def email_candidate(self):
        """The guardian whose recorded address is the request's address (the first, should there be two)."""
        return next((c for c in self.candidates if c.email_matches), None)

    @property
    def guardian_has_account(self):
        return self.email_candidate is not None and self.email_candidate.has_account

    @property
    def unknown_address(self):
        """A pupil was found, but none of their guardians has the request's address on record."""
        return self.pupil is not None and self.email_candidate is None

    @property
    def only_reject(self):
        """Nothing matched, or every guardian that could be chosen is blocked."""
        return self.pupil is None or all(c.blocked for c in self.candidates)

    @property
    def any_blocked(self):
        return any(c.blocked for c in self.candidates)

    def candidate(self, guardian_id):
        return next((c for c in self.candidates if c.guardian.pk == guardian_id), None)


def _not_left(today):
    # A child whose first school day is still ahead counts: parents ask for access before it.
    return Q(left_on__isnull=True) | Q(left_on__gte=today)


def match_requests(requests):
    """{request.pk: Match} for many requests in a constant number of queries (the queue page)."""
    requests = list(requests)
    if not requests:
        return {}
    guardianships = Guardianship.objects.select_related("guardian__user").prefetch_related(
        Prefetch(
            "guardian__contacts",
            queryset=ContactDetail.objects.filter(kind=ContactDetail.Kind.EMAIL),
            to_attr="email_contacts",
        )
    )
    pupils = list(
        Pupil.objects.filter(
            school_id__in={r.school_id for r in requests}, birth_date__in={r.child_birth_date for r in requests}
        )
        .filter(_not_left(timezone.localdate()))
        .order_by("birth_date", "pk")
        .prefetch_related(Prefetch("guardianships", queryset=guardianships.order_by("pk")))
    )
    result = {}
    for r in requests:
        # Ordered oldest first: when two children would match, the oldest is the one the parent meant.
        pupil = next(
            (
                p
                for p in pupils
                if p.school_id == r.school_id
                and p.birth_date == r.child_birth_date
                and pupil_matches(p, first_name=r.child_first_name, surname=r.child_surname)
            ),
            None,
        )
        result[r.pk] = _match(pupil, r.email)
    return result


def match_request(account_request):
    return match_requests([account_request])[account_request.pk]


def _match(pupil, email):
    if pupil is None:
        return Match()
    email = email.strip().casefold()
    candidates = [
        Candidate(guardian=g.guardian, guardianship=g, email_matches=email in _recorded_addresses(g.guardian))
        for g in pupil.guardianships.all()
    ]
    return Match(pupil=pupil, candidates=candidates)


def _recorded_addresses(guardian):
    """The guardian's email contacts and their login's address, as compared (services.address_known agrees)."""
    addresses = {c.value.strip().casefold() for c in guardian.email_contacts}
    if guardian.user is not None and guardian.user.email:
        addresses.add(guardian.user.email.strip().casefold())
    return addresses
