"""Indonesian date and number formats (overrides Django's where the programme's paperwork differs)."""

DATE_FORMAT = "j F Y"
# dd-mm-yyyy, the way the templates and exports write a date
SHORT_DATE_FORMAT = "d-m-Y"
DATETIME_FORMAT = "j F Y, H.i"
SHORT_DATETIME_FORMAT = "d-m-Y H.i"
TIME_FORMAT = "H.i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
