"""The level bands' colours (settings.RESULT_LEVEL_COLOURS) as CSS classes: the letter is always shown beside."""

import hashlib
import re

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ouderportaal.core.l10n import once_per_language
from ouderportaal.results.models import Assessment, level_band

# What each band means, in plain Dutch: (band, share of all Dutch pupils of the same year level in percent,
# meaning). Shares after Cito's parent FAQ ("Wat is een vaardigheidsniveau?"); a level says where a child stands
# among all pupils of the same year level, not whether the result is good or sufficient.
BANDS = {
    Assessment.LevelScheme.I_TO_V: [
        ("I", 20, _("hoogste %(share)s%%"), _("hoort bij de %(share)s%% leerlingen die het hoogst scoren")),
        (
            "II",
            20,
            _("%(share)s%% net boven het gemiddelde"),
            _("hoort bij de %(share)s%% leerlingen die net boven het landelijk gemiddelde scoren"),
        ),
        (
            "III",
            20,
            _("%(share)s%% rond het gemiddelde"),
            _("hoort bij de %(share)s%% leerlingen die rond het landelijk gemiddelde scoren"),
        ),
        (
            "IV",
            20,
            _("%(share)s%% net onder het gemiddelde"),
            _("hoort bij de %(share)s%% leerlingen die net onder het landelijk gemiddelde scoren"),
        ),
        ("V", 20, _("laagste %(share)s%%"), _("hoort bij de %(share)s%% leerlingen die het laagst scoren")),
    ],
    Assessment.LevelScheme.A_TO_E: [
        ("A", 25, _("hoogste %(share)s%%"), _("hoort bij de %(share)s%% leerlingen die het hoogst scoren")),
        (
            "B",
            25,
            _("%(share)s%% net boven het gemiddelde"),
            _("hoort bij de %(share)s%% leerlingen die net boven het landelijk gemiddelde scoren"),
        ),
        (
            "C",
            25,
            _("%(share)s%% net onder het gemiddelde"),
            _("hoort bij de %(share)s%% leerlingen die net onder het landelijk gemiddelde scoren"),
        ),
        (
            "D",
            15,
            _("%(share)s%% ruim onder het gemiddelde"),
            _("hoort bij de %(share)s%% leerlingen die ruim onder het landelijk gemiddelde scoren"),
        ),
        ("E", 10, _("laagste %(share)s%%"), _("hoort bij de %(share)s%% leerlingen die het laagst scoren")),
    ],
}


@once_per_language
def _meanings():
    return {
        (scheme, short): [
            (band, str(brief if short else sentence) % {"share": share}) for band, share, brief, sentence in bands
        ]
        for scheme, bands in BANDS.items()
        for short in (True, False)
    }


def band_meanings(scheme, *, short=False):
    """[(band, meaning)] of a scheme in the active language: short for the legend, a sentence for the popover."""
    return list(_meanings().get((scheme, short), []))


def level_meaning(level, scheme):
    """'II+' in I–V → 'II+: hoort bij de 20 % … scoren, in de bovenste helft van dat niveau.'"""
    level = level.strip()
    band = level_band(level)
    meaning = dict(band_meanings(scheme)).get(band)
    if meaning is None:
        return gettext("%(level)s: een niveau dat de toets zelf geeft.") % {"level": level}
    text = f"{level}: {meaning}"
    if level.endswith("+"):
        text += gettext(", in de bovenste helft van dat niveau")
    elif level.endswith("-"):
        text += gettext(", in de onderste helft van dat niveau")
    return text + "."


HEX_COLOUR = re.compile(r"#?(?:[0-9a-fA-F]{3}){1,2}")


def text_colour_for(hex_colour):
    """Black or white, whichever contrasts more with the background (WCAG relative luminance): ≥ 4.5:1."""
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def level_colours_css():
    rules = [
        # The badge, and the point in the growth chart (SVG) of the same level.
        f".level-{band}{{background-color:{colour};color:{text_colour_for(colour)}}}\n.point.level-{band}{{fill:{colour}}}"
        for band, colour in settings.RESULT_LEVEL_COLOURS.items()
        if band.isalnum() and HEX_COLOUR.fullmatch(colour)
    ]
    return "\n".join(rules) + "\n"


def level_colours_version():
    return hashlib.sha256(level_colours_css().encode()).hexdigest()[:10]


def level_class(level):
    band = level_band(level or "")
    return f"level-{band}" if band in settings.RESULT_LEVEL_COLOURS and band.isalnum() else "level-other"
