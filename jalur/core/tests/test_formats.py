"""The project's date formats (jalur/formats): a short date reads dd-mm-yyyy in both languages."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format


@pytest.mark.parametrize(
    ("language", "moment"), [("id", "28-11-2026 16.54"), ("en", "28-11-2026 16:54")]
)
def test_short_dates_read_day_month_year_with_dashes(language, moment):
    at = timezone.make_aware(datetime.datetime(2026, 11, 28, 16, 54))
    with translation.override(language):
        assert date_format(datetime.date(2026, 12, 5), "SHORT_DATE_FORMAT") == "05-12-2026"
        assert date_format(timezone.localtime(at), "SHORT_DATETIME_FORMAT") == moment
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"d": datetime.date(2026, 12, 5)})
        )
        assert rendered == "05-12-2026"
