"""Reading a worker's reply: SOS words, numbered answers however they are spaced, and what to fix."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalur.crisis.replies import ANSWERS, SOS, UNREADABLE, read_reply
from jalur.rules.checkins import BY_NUMBER

FULL = {
    "wage_on_time": True,
    "passport_held": True,
    "housing_ok": False,
    "health_ok": True,
    "need_help": False,
}


@pytest.mark.parametrize(
    "text",
    ["TOLONG", "tolong saya", "Sos", "saya butuh BANTUAN segera", "pak, tolonglah", "bantu!!"],
)
def test_sos_words_in_any_case_with_words_around(text):
    assert read_reply(text).kind == SOS


@pytest.mark.parametrize("text", ["sosis enak", "ostolong", "kosong"])
def test_words_that_only_contain_sos_letters_are_not_an_sos(text):
    assert read_reply(text).kind != SOS


@pytest.mark.parametrize(
    "text",
    [
        "1 ya 2 ya 3 tidak 4 ya 5 tidak",
        "1y 2y 3t 4y 5t",
        "1.ya,2.ya,3.tidak,4.ya,5.tidak",
        "1 ya\n2 ya\n3 tdk\n4 iya\n5 no",
        "1: Ya 2: YES 3) Tidak 4=1 5-0",
    ],
)
def test_numbered_answers_in_the_ways_people_write_them(text):
    reading = read_reply(text)
    assert reading.kind == ANSWERS, reading.problems
    assert reading.answers == FULL


def test_figures_with_thousand_separators():
    reading = read_reply("1 ya 2 ya 3 tidak 4 ya 5 tidak 6 2.100.000 7 48")
    assert reading.answers["wage_amount"] == 2100000
    assert reading.answers["hours_per_week"] == 48


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1 ya 2 mungkin 3 ya 4 ya 5 ya", "jawaban nomor 2 harus 'ya' atau 'tidak'"),
        ("1 ya 2 ya 3 ya 4 ya 5 ya 9 ya", "tidak ada pertanyaan nomor 9"),
        ("1 ya 1 tidak 2 ya 3 ya 4 ya 5 ya", "nomor 1 dijawab dua kali"),
        ("1 ya 2 ya", "nomor 3, 4, 5 belum dijawab"),
        ("1 ya 2 ya 3 ya 4 ya 5 ya 6 banyak", "jawaban nomor 6 harus angka"),
        ("halo pak apa kabar", "tidak dikenali"),
        ("   ", "pesan kosong"),
    ],
)
def test_what_cannot_be_read_says_what_to_fix(text, problem):
    reading = read_reply(text)
    assert reading.kind == UNREADABLE
    assert any(problem in p for p in reading.problems), reading.problems


_gap = st.sampled_from([" ", "  ", "\n", ",", ", ", ";", "\n\n", " , "])
_sep = st.sampled_from(["", " ", ".", ". ", ":", ") ", "="])
_yes = st.sampled_from(["ya", "Y", "iya", "YES", "1"])
_no = st.sampled_from(["tidak", "T", "tdk", "No", "0"])


@given(
    answers=st.lists(st.booleans(), min_size=5, max_size=5),
    gaps=st.lists(_gap, min_size=6, max_size=6),
    seps=st.lists(_sep, min_size=5, max_size=5),
    yes=_yes,
    no=_no,
)
def test_odd_spacing_never_changes_what_was_answered(answers, gaps, seps, yes, no):
    parts = [
        f"{n}{seps[n - 1]}{yes if answer else no}"
        for n, answer in zip(range(1, 6), answers, strict=True)
    ]
    text = gaps[0] + "".join(part + gap for part, gap in zip(parts, gaps[1:], strict=True))
    reading = read_reply(text)
    assert reading.kind == ANSWERS, (text, reading.problems)
    assert reading.answers == {
        BY_NUMBER[n].key: a for n, a in zip(range(1, 6), answers, strict=True)
    }


@given(st.text(max_size=200))
def test_any_text_is_read_without_error(text):
    reading = read_reply(text)
    assert reading.kind in {SOS, ANSWERS, UNREADABLE}
    if reading.kind == UNREADABLE:
        assert reading.problems


def test_answers_written_without_spaces_read_one_digit_per_question():
    reading = read_reply("10 20 31 40 50 62100000")
    assert reading.kind == ANSWERS, reading.problems
    assert reading.answers["housing_ok"] is True and reading.answers["wage_on_time"] is False
    assert reading.answers["wage_amount"] == 2100000
