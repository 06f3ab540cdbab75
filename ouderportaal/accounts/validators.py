from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with an error message that is translated.

    Django 6.1 changed this message's msgid ("at least %d characters") and its Dutch catalog still has only the
    old one, so Dutch visitors read English. The old msgid is translated in every shipped catalog.
    """

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
