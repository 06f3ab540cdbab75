# English pages write dates the way the Dutch ones do, in English words: "30 July 2017", "1 December 2026 03:02".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
