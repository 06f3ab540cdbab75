# The project's date formats (settings.FORMAT_MODULE_PATH): templates write {{ value|date }} for a date and
# {{ value|date:"DATETIME_FORMAT" }} for a moment, and read "30 juli 2017" and "1 december 2026 03:02".
# Everything not named here comes from Django's own Dutch formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
