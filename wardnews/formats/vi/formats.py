# Django's own vi locale defines output formats but no input formats, so
# "05/07/2024" would fall through to the month-first defaults. Vietnamese
# writes day/month/year.
DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i d/m/Y"
YEAR_MONTH_FORMAT = r"\T\há\n\g n/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/07/2024
    "%d/%m/%y",  # 05/07/24
    "%d-%m-%Y",  # 05-07-2024
    "%d.%m.%Y",  # 05.07.2024
    "%Y-%m-%d",  # 2024-07-05 (ISO, from browsers' date inputs)
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
# Grouped only where asked (the vi_number filter): years and ids stay 2024.
NUMBER_GROUPING = 3
