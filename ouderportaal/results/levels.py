"""The level bands' colours (settings.RESULT_LEVEL_COLOURS) as CSS classes: the letter is always shown beside."""

import hashlib
import re

from django.conf import settings

from ouderportaal.results.models import level_band

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
        f".level-{band}{{background-color:{colour};color:{text_colour_for(colour)}}}"
        for band, colour in settings.RESULT_LEVEL_COLOURS.items()
        if band.isalnum() and HEX_COLOUR.fullmatch(colour)
    ]
    return "\n".join(rules) + "\n"


def level_colours_version():
    return hashlib.sha256(level_colours_css().encode()).hexdigest()[:10]


def level_class(level):
    band = level_band(level or "")
    return f"level-{band}" if band in settings.RESULT_LEVEL_COLOURS and band.isalnum() else "level-other"
