"""Validators for Dutch identifiers, backed by python-stdnum and phonenumbers."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import brin, bsn, onderwijsnummer, postcode


def validate_bsn(value):
    try:
        bsn.validate(value)
    except StdnumError:
        raise ValidationError(_("Dit is geen geldig burgerservicenummer (BSN)."), code="bsn") from None


def validate_onderwijsnummer(value):
    try:
        onderwijsnummer.validate(value)
    except StdnumError:
        raise ValidationError(_("Dit is geen geldig onderwijsnummer."), code="onderwijsnummer") from None


def validate_brin(value):
    try:
        brin.validate(value)
    except StdnumError:
        raise ValidationError(_("Dit is geen geldige BRIN-code."), code="brin") from None


def validate_postcode(value):
    try:
        postcode.validate(value)
    except StdnumError:
        raise ValidationError(_("Dit is geen geldige postcode (bijvoorbeeld 1234 AB)."), code="postcode") from None


def validate_phone(value):
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Dit is geen geldig telefoonnummer."), code="phone")


def validate_year_levels(value):
    levels = value.split("/")
    if not levels or any(level not in "12345678" or len(level) != 1 for level in levels):
        raise ValidationError(_("Geef jaargroepen op als 1 t/m 8, gescheiden door /, bijvoorbeeld 4/5."))
