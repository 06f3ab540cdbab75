"""core/reverse.py answers exactly as reverse() does, for every kind of argument."""

import pytest
from django.urls import reverse, set_script_prefix

from ouderportaal.core.reverse import cached_reverse


@pytest.mark.parametrize(
    "name, args",
    [
        ("home", ()),
        ("family", ()),
        ("pupil_results", ("Ab3_x-Yz",)),
        ("pupil_medical", ("Ab3_x-Yz",)),
        ("pupil_medical", ("with space é",)),  # quoted by reverse(): not a plain argument
        ("pupil_medical", ("{0}",)),  # looks like the mark
        ("pupil_medical", ("%7B0%7D",)),  # looks like the quoted mark
    ],
)
def test_address_is_reverse(name, args):
    for _ in range(2):  # worked out, then from what was kept
        assert cached_reverse(name, *args) == reverse(name, args=args)


def test_address_follows_the_script_prefix():
    try:
        set_script_prefix("/portaal/")
        assert (
            cached_reverse("pupil_medical", "abc")
            == reverse("pupil_medical", args=["abc"])
            == "/portaal/kind/abc/medisch/"
        )
    finally:
        set_script_prefix("/")
    assert cached_reverse("pupil_medical", "abc") == "/kind/abc/medisch/"
