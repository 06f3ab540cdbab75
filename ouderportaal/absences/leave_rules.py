"""Every Leerplichtwet rule on leave in one place, with the reasons in plain Dutch.

- Compulsory schooling starts on the first day of the month after the 5th birthday (art. 3): leave for a younger
  child is simply noted.
- Art. 13a, a parent's seasonal job: at most once a school year, at most 10 school days, never in the first two
  weeks of the school year, with an employer's statement. The director decides.
- Art. 14, important circumstances: up to 10 school days the director decides; more goes to the
  leerplichtambtenaar, so the school can only pass it on.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_DIRECTOR_DAYS = 10


def compulsory_from(birth_date):
    """The first day of compulsory schooling: the first day of the month after the 5th birthday."""
    year, month = birth_date.year + 5, birth_date.month + 1
    if month == 13:
        year, month = year + 1, 1
    return date(year, month, 1)


@dataclass
class Assessment:
    """What the rules say about one request: `problems` block it; `outcome` is where it goes if none does."""

    school_days: int = 0
    problems: list = field(default_factory=list)
    outcome: str = "pending"  # pending (the director decides) · forwarded · noted
    notes: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def assess(*, pupil, kind, starts_on, ends_on, calendar, other_13a_this_year=False, has_statement=False):
    """Check one leave request against the law. `calendar` is a SchoolCalendar covering the dates."""
    result = Assessment()
    days = calendar.school_days(starts_on, ends_on)
    result.school_days = len(days)
    if starts_on < compulsory_from(pupil.birth_date):
        result.outcome = "noted"
        result.notes.append(
            _("%(name)s is nog niet leerplichtig (dat is vanaf %(date)s): de school noteert het verlof alleen.")
            % {"name": pupil.roepnaam, "date": date_format(compulsory_from(pupil.birth_date), "j F Y")}
        )
        return result
    if not days:
        result.problems.append(_("In deze periode is er geen school: daarvoor is geen verlof nodig."))
        return result
    if kind == "13a":
        if len(days) > MAX_DIRECTOR_DAYS:
            result.problems.append(
                ngettext(
                    "Verlof voor het beroep van een ouder is hooguit 10 schooldagen; u vraagt %(days)d schooldag.",
                    "Verlof voor het beroep van een ouder is hooguit 10 schooldagen; u vraagt %(days)d schooldagen.",
                    len(days),
                )
                % {"days": len(days)}
            )
        start_year = days[0].year if days[0].month >= 8 else days[0].year - 1
        first, last = calendar.first_two_weeks(start_year)
        if days[0] <= last and days[-1] >= first:
            result.problems.append(
                _(
                    "Verlof voor het beroep van een ouder mag nooit in de eerste twee weken van het schooljaar "
                    "(dit schooljaar tot en met %(date)s)."
                )
                % {"date": date_format(last, "l j F Y")}
            )
        if other_13a_this_year:
            result.problems.append(
                _(
                    "Verlof voor het beroep van een ouder kan maar één keer per schooljaar; "
                    "er is dit schooljaar al een aanvraag."
                )
            )
        if not has_statement:
            result.problems.append(
                _(
                    "Voeg een verklaring van de werkgever toe (PDF) waaruit blijkt dat u in geen enkele "
                    "schoolvakantie weg kunt."
                )
            )
    elif len(days) > MAX_DIRECTOR_DAYS:
        result.outcome = "forwarded"
        result.notes.append(
            _(
                "Meer dan 10 schooldagen verlof kan de directeur niet geven: de leerplichtambtenaar beslist. "
                "De school stuurt uw aanvraag door."
            )
        )
    return result
