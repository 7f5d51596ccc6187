"""The directory of numbers a worker abroad can call: every entry has a source and the date it was
checked, and the host country's police and ambulance numbers are there for Korea and Japan."""

import datetime

import pytest

from jalur.crisis.contacts import contacts_for, directory


def test_every_entry_has_a_web_source_checked_on_a_real_date():
    for contact in directory():
        assert contact.sources, contact.code
        for url, checked_on in contact.sources:
            assert url.startswith(("https://", "http://")), (contact.code, url)
            datetime.date.fromisoformat(checked_on)


@pytest.mark.parametrize(
    ("country", "police", "ambulance"), [("KR", "112", "119"), ("JP", "110", "119")]
)
def test_the_host_countrys_police_and_ambulance_numbers_are_listed(country, police, ambulance):
    numbers = {
        number.number
        for contact in contacts_for(country)
        if contact.kind == "host_emergency"
        for number in contact.numbers
    }
    assert {police, ambulance} <= numbers
