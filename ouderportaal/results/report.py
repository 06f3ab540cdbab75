"""What the Toetsen tab shows, computed from one list of a pupil's visible results (no further queries): the
school year as a table per subject with its test moments side by side, and per subject the growth of the ability
score across all years, split where the scale changes."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ouderportaal.core.l10n import number, once_per_language
from ouderportaal.results.levels import level_meaning

SUFFIX = re.compile(r"^(?P<name>.*?)\s*\((?P<suffix>[^()]+)\)\s*$")
# Two tests further apart than this (a school year and a bit) have a test moment missing between them.
GAP_DAYS = 270


def split_name(name):
    """'Spelling (Leerling in beeld)' → ('Spelling', 'Leerling in beeld'); a name without suffix → (name, '')."""
    match = SUFFIX.match(name)
    return (match["name"], match["suffix"]) if match else (name, "")


def moment_key(result):
    return (result.taken_on, result.moment)


def levels_on_page(results):
    """Each distinct (scheme, level) shown, with its explanation: the popovers that a tap on a level opens."""
    seen = {}
    for r in results:
        if r.level and (r.assessment.level_scheme, r.level) not in seen:
            seen[(r.assessment.level_scheme, r.level)] = {
                "id": level_id(r.assessment.level_scheme, r.level),
                "level": r.level,
                "meaning": level_meaning(r.level, r.assessment.level_scheme),
            }
    return list(seen.values())


def level_id(scheme, level):
    return "niveau-" + scheme + "-" + level.strip().upper().replace("+", "plus").replace("-", "min")


@dataclass
class YearTable:
    columns: list  # moment labels in the order taken ("M4", "E4")
    rows: list  # [{"name", "subject", "cells": [result or None]}]
    common_suffix: str  # e.g. "Leerling in beeld", shown once above the table
    supplier: str


def year_table(results):
    """The chosen year's results: a row per test (subject), a column per test moment, in the order taken."""
    results = sorted(results, key=moment_key)
    columns = list(dict.fromkeys(r.moment for r in results))
    suffixes = {split_name(r.assessment.name)[1] for r in results}
    common = suffixes.pop() if len(suffixes) == 1 else ""
    suppliers = {r.assessment.supplier for r in results}
    rows = {}
    for r in results:
        name = split_name(r.assessment.name)[0] if common else r.assessment.name
        row = rows.setdefault(
            (r.assessment.subject, name), {"name": name, "subject": r.assessment.subject, "cells": {}}
        )
        if r.moment in row["cells"]:  # two tests of one name at one moment: each keeps a row of its own
            name = r.assessment.name
            row = rows.setdefault(
                (r.assessment.subject, name, r.assessment_id),
                {"name": name, "subject": r.assessment.subject, "cells": {}},
            )
        row["cells"][r.moment] = r
    ordered = sorted(rows.values(), key=lambda row: (row["subject"].casefold(), row["name"].casefold()))
    for row in ordered:
        row["cells"] = [row["cells"].get(moment) for moment in columns]
        row["show_subject"] = row["subject"].casefold() not in row["name"].casefold()
    return YearTable(
        columns=columns,
        rows=ordered,
        common_suffix=common,
        supplier=suppliers.pop() if common and len(suppliers) == 1 else "",
    )


@dataclass
class Point:
    result: object
    score: Decimal
    change: str = ""  # in words, against the previous test of this subject


@dataclass
class Series:
    """Results of one subject on one scale, in the order taken; `runs` are the stretches without a gap."""

    name: str
    points: list = field(default_factory=list)

    @property
    def runs(self):
        runs, run = [], []
        for point in self.points:
            if run and (point.result.taken_on - run[-1].result.taken_on).days > GAP_DAYS:
                runs.append(run)
                run = []
            run.append(point)
        return runs + ([run] if run else [])


@dataclass
class Subject:
    name: str
    series: list  # one per scale, in the order first taken
    latest_change: str
    rows: list  # every result of the subject, oldest first, with its change in words


def format_points(value):
    """1 → '1', 2.5 → '2,5' (the locale's decimal separator)."""
    value = abs(value).quantize(Decimal("0.1"))
    return number(value.normalize() if value == value.to_integral() else value)


@once_per_language
def _change_phrases():
    """The sentences of change_in_words, translated once (a page says one per result)."""
    return {
        "first": _("Eerste toets van dit leergebied."),
        "other": _("Andere toets dan in %(moment)s: de scores zijn niet te vergelijken."),
        "same": _("Even hoog als in %(moment)s."),
        "higher": _("%(points)s punten hoger dan in %(moment)s."),
        "lower": _("%(points)s punten lager dan in %(moment)s."),
    }


def change_in_words(previous, current):
    phrases = _change_phrases()
    if previous is None:
        return phrases["first"]
    if previous.assessment.scale_key != current.assessment.scale_key:
        return phrases["other"] % {"moment": previous.moment}
    if previous.ability_score is None or current.ability_score is None:
        return ""
    difference = current.ability_score - previous.ability_score
    if difference.quantize(Decimal("0.1")) == 0:
        return phrases["same"] % {"moment": previous.moment}
    points = format_points(difference)
    if difference > 0:
        return phrases["higher"] % {"points": points, "moment": previous.moment}
    return phrases["lower"] % {"points": points, "moment": previous.moment}


def growth(results):
    """Per subject: its results over all years with the change in words, and the series to draw (one per scale;
    results without an ability score are listed but not drawn)."""
    by_subject = {}
    for r in sorted(results, key=moment_key):
        by_subject.setdefault(r.assessment.subject, []).append(r)
    subjects = []
    for name in sorted(by_subject, key=str.casefold):
        rows, series, last_on_scale, previous = [], {}, {}, None
        for r in by_subject[name]:
            # Compared with the last test on the same scale; only a subject's first test on a new scale says so.
            change = change_in_words(last_on_scale.get(r.assessment.scale_key, previous), r)
            rows.append({"result": r, "change": change})
            if r.ability_score is not None:
                label = split_name(r.assessment.name)[1] or r.assessment.name
                s = series.setdefault(r.assessment.scale_key, Series(name=label))
                s.points.append(Point(result=r, score=r.ability_score, change=change))
            last_on_scale[r.assessment.scale_key] = previous = r
        subjects.append(Subject(name=name, series=list(series.values()), latest_change=rows[-1]["change"], rows=rows))
    return subjects
