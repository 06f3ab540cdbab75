"""reverse() for the addresses a parent page draws by the dozen (its tabs, the child switcher, the layout's links):
the address of a URL name is worked out once per process, with a mark in each argument's place, and later calls put
the arguments in. Worked out by reverse() itself, so the URL patterns stay the one place that says what an address is.
"""

import re

from django.urls import NoReverseMatch, get_script_prefix, reverse

PLAIN = re.compile(r"[A-Za-z0-9_.~-]+")  # arguments that reverse() would put in unquoted (a public id, a number)
_patterns = {}


def mark(i):
    return "{" + str(i) + "}"  # reverse() quotes the braces: no plain argument can contain what it makes of them


def cached_reverse(name, *args):
    """reverse(name, args=args)."""
    if not all(PLAIN.fullmatch(str(arg)) for arg in args):
        return reverse(name, args=args)
    key = (get_script_prefix(), name, len(args))
    pattern = _patterns.get(key)
    if pattern is None:
        try:
            pattern = reverse(name, args=[mark(i) for i in range(len(args))])
        except NoReverseMatch:  # a converter that refuses the mark (an int, a uuid): reverse() every time
            pattern = ""
        _patterns[key] = pattern
    if not pattern:
        return reverse(name, args=args)
    for i, arg in enumerate(args):
        pattern = pattern.replace(reverse_quoted(i), str(arg))
    return pattern


def reverse_quoted(i):
    return mark(i).replace("{", "%7B").replace("}", "%7D")
