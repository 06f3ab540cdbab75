"""The national school holidays per region (Rijksoverheid, "Overzicht schoolvakanties per schooljaar") and the
public holidays on which schools close. They are only defaults: a school copies them into its own calendar and
edits them there (OCW's autumn and spring dates are advice; schools may deviate).

Each holiday runs from a Saturday to a Sunday, both days included, as the Rijksoverheid tables write them.
"""

from datetime import date, timedelta

NOORD, MIDDEN, ZUID = "noord", "midden", "zuid"


def _same(start, end):
    return {NOORD: (start, end), MIDDEN: (start, end), ZUID: (start, end)}


# start year → [(name, {region: (first day, last day)})], in the order autumn, Christmas, spring, May, summer
# (the demo's calendar, ouderportaal/demo/calendar.py, relies on that order).
SCHOOL_HOLIDAYS = {
    2023: [
        (
            "Herfstvakantie",
            {
                NOORD: (date(2023, 10, 21), date(2023, 10, 29)),
                MIDDEN: (date(2023, 10, 14), date(2023, 10, 22)),
                ZUID: (date(2023, 10, 14), date(2023, 10, 22)),
            },
        ),
        ("Kerstvakantie", _same(date(2023, 12, 23), date(2024, 1, 7))),
        (
            "Voorjaarsvakantie",
            {
                NOORD: (date(2024, 2, 17), date(2024, 2, 25)),
                MIDDEN: (date(2024, 2, 10), date(2024, 2, 18)),
                ZUID: (date(2024, 2, 10), date(2024, 2, 18)),
            },
        ),
        ("Meivakantie", _same(date(2024, 4, 27), date(2024, 5, 5))),
        (
            "Zomervakantie",
            {
                NOORD: (date(2024, 7, 20), date(2024, 9, 1)),
                MIDDEN: (date(2024, 7, 13), date(2024, 8, 25)),
                ZUID: (date(2024, 7, 6), date(2024, 8, 18)),
            },
        ),
    ],
    2024: [
        (
            "Herfstvakantie",
            {
                NOORD: (date(2024, 10, 19), date(2024, 10, 27)),
                MIDDEN: (date(2024, 10, 26), date(2024, 11, 3)),
                ZUID: (date(2024, 10, 19), date(2024, 10, 27)),
            },
        ),
        ("Kerstvakantie", _same(date(2024, 12, 21), date(2025, 1, 5))),
        (
            "Voorjaarsvakantie",
            {
                NOORD: (date(2025, 2, 15), date(2025, 2, 23)),
                MIDDEN: (date(2025, 2, 22), date(2025, 3, 2)),
                ZUID: (date(2025, 2, 22), date(2025, 3, 2)),
            },
        ),
        ("Meivakantie", _same(date(2025, 4, 26), date(2025, 5, 4))),
        (
            "Zomervakantie",
            {
                NOORD: (date(2025, 7, 12), date(2025, 8, 24)),
                MIDDEN: (date(2025, 7, 19), date(2025, 8, 31)),
                ZUID: (date(2025, 7, 5), date(2025, 8, 17)),
            },
        ),
    ],
    2025: [
        (
            "Herfstvakantie",
            {
                NOORD: (date(2025, 10, 18), date(2025, 10, 26)),
                MIDDEN: (date(2025, 10, 18), date(2025, 10, 26)),
                ZUID: (date(2025, 10, 11), date(2025, 10, 19)),
            },
        ),
        ("Kerstvakantie", _same(date(2025, 12, 20), date(2026, 1, 4))),
        (
            "Voorjaarsvakantie",
            {
                NOORD: (date(2026, 2, 21), date(2026, 3, 1)),
                MIDDEN: (date(2026, 2, 14), date(2026, 2, 22)),
                ZUID: (date(2026, 2, 14), date(2026, 2, 22)),
            },
        ),
        ("Meivakantie", _same(date(2026, 4, 25), date(2026, 5, 3))),
        (
            "Zomervakantie",
            {
                NOORD: (date(2026, 7, 4), date(2026, 8, 16)),
                MIDDEN: (date(2026, 7, 18), date(2026, 8, 30)),
                ZUID: (date(2026, 7, 11), date(2026, 8, 23)),
            },
        ),
    ],
    2026: [
        ("Herfstvakantie", _same(date(2026, 10, 17), date(2026, 10, 25))),
        ("Kerstvakantie", _same(date(2026, 12, 19), date(2027, 1, 3))),
        (
            "Voorjaarsvakantie",
            {
                NOORD: (date(2027, 2, 13), date(2027, 2, 21)),
                MIDDEN: (date(2027, 2, 20), date(2027, 2, 28)),
                ZUID: (date(2027, 2, 20), date(2027, 2, 28)),
            },
        ),
        ("Meivakantie", _same(date(2027, 4, 24), date(2027, 5, 2))),
        (
            "Zomervakantie",
            {
                NOORD: (date(2027, 7, 24), date(2027, 9, 5)),
                MIDDEN: (date(2027, 7, 10), date(2027, 8, 22)),
                ZUID: (date(2027, 7, 17), date(2027, 8, 29)),
            },
        ),
    ],
    2027: [
        (
            "Herfstvakantie",
            {
                NOORD: (date(2027, 10, 16), date(2027, 10, 24)),
                MIDDEN: (date(2027, 10, 16), date(2027, 10, 24)),
                ZUID: (date(2027, 10, 23), date(2027, 10, 31)),
            },
        ),
        ("Kerstvakantie", _same(date(2027, 12, 25), date(2028, 1, 9))),
        (
            "Voorjaarsvakantie",
            {
                NOORD: (date(2028, 2, 19), date(2028, 2, 27)),
                MIDDEN: (date(2028, 2, 26), date(2028, 3, 5)),
                ZUID: (date(2028, 2, 26), date(2028, 3, 5)),
            },
        ),
        ("Meivakantie", _same(date(2028, 4, 29), date(2028, 5, 7))),
        (
            "Zomervakantie",
            {
                NOORD: (date(2028, 7, 15), date(2028, 8, 27)),
                MIDDEN: (date(2028, 7, 8), date(2028, 8, 20)),
                ZUID: (date(2028, 7, 22), date(2028, 9, 3)),
            },
        ),
    ],
}


def easter_sunday(year):
    """The Gregorian Easter date (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def public_holidays(start_year):
    """Public holidays on school days of the school year starting 1 August `start_year` on which schools close.
    Bevrijdingsdag (5 May) is a day off only once every five years; the school adds it where it closes."""
    year = start_year + 1
    easter = easter_sunday(year)
    kingsday = date(year, 4, 27) if date(year, 4, 27).weekday() != 6 else date(year, 4, 26)
    days = [
        ("Tweede Paasdag", easter + timedelta(days=1)),
        ("Koningsdag", kingsday),
        ("Hemelvaartsdag", easter + timedelta(days=39)),
        ("Tweede Pinksterdag", easter + timedelta(days=50)),
    ]
    if year % 5 == 0:
        days.append(("Bevrijdingsdag", date(year, 5, 5)))
    return days


def defaults(start_year, region):
    """[(name, first day, last day)] for one school year and region: the school holidays (when the table has the
    year) and the public holidays (always: they follow from the date of Easter)."""
    holidays = [(name, *dates[region]) for name, dates in SCHOOL_HOLIDAYS.get(start_year, [])]
    return holidays + [(name, day, day) for name, day in public_holidays(start_year)]
