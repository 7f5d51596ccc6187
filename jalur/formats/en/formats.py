"""English formats, still on the Indonesian calendar conventions the office uses."""

DATE_FORMAT = "j F Y"
# dd-mm-yyyy, the way the templates and exports write a date
SHORT_DATE_FORMAT = "d-m-Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
FIRST_DAY_OF_WEEK = 1
