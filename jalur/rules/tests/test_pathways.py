"""Whether a pathway can be used, and by whom: plain values, no database."""

import datetime

from jalur.rules import pathways as rules
from jalur.rules.registry import REGISTRY

TODAY = datetime.date(2026, 6, 1)
E8 = {
    "name": "Korea E-8 musiman",
    "reason": "Korea menangguhkan pekerja musiman dari Indonesia",
    "basis": "Program pekerja musiman Korea",
}


def test_an_open_pathway_has_no_problem():
    assert rules.pathway_open_problem(state=rules.OPEN, on=TODAY, **E8) == ""
    assert rules.pathway_state(state=rules.OPEN, reason="", on=TODAY) == (True, "dibuka")


def test_a_suspended_pathway_says_its_reason_its_basis_and_what_to_do():
    message = rules.pathway_open_problem(state=rules.SUSPENDED, on=TODAY, **E8)
    assert message.startswith(
        'Skema "Korea E-8 musiman" ditangguhkan: Korea menangguhkan pekerja musiman dari Indonesia '
        "(Program pekerja musiman Korea). Pilih skema lain yang dibuka"
    )


def test_a_phased_out_pathway_closes_on_its_day_not_before():
    phased = {**E8, "closes_on": datetime.date(2027, 4, 1)}
    on_eve = datetime.date(2027, 3, 31)
    assert rules.pathway_open_problem(state=rules.OPEN, on=on_eve, **phased) == ""
    assert rules.pathway_state(
        state=rules.OPEN, reason="", closes_on=phased["closes_on"], on=on_eve
    )[0]
    message = rules.pathway_open_problem(state=rules.OPEN, on=phased["closes_on"], **phased)
    assert "ditutup sejak 01-04-2027: Korea menangguhkan" in message
    assert not rules.pathway_is_open(
        state=rules.OPEN, closes_on=phased["closes_on"], on=phased["closes_on"]
    )


def test_a_missing_reason_or_a_dash_for_basis_is_left_out_not_printed_empty():
    message = rules.pathway_open_problem(
        state=rules.CLOSED, name="Pengasuh", reason="", basis="—", on=TODAY
    )
    assert message.startswith('Skema "Pengasuh" ditutup. Pilih skema lain')
    assert rules.pathway_state(state=rules.SUSPENDED, reason=" ", on=TODAY) == (
        False,
        "skema ditangguhkan",
    )


def test_only_a_p_to_p_pathway_takes_a_p3mi():
    assert rules.p3mi_may_place(rules.P3MI)
    for party in (
        rules.GOVERNMENT,
        rules.LOCAL_GOVERNMENT,
        rules.MANNING_AGENCY,
        rules.NO_INTERMEDIARY,
    ):
        assert not rules.p3mi_may_place(party)
    assert rules.placing_problem(placing_party=rules.P3MI, name="Korea E-7") == ""
    message = rules.placing_problem(placing_party=rules.GOVERNMENT, name="Korea EPS (E-9) G to G")
    assert "yang boleh menempatkan hanya Pemerintah pusat (BP2MI/KP2MI, G to G)" in message
    assert "P3MI tidak boleh mengajukan lowongan" in message
    assert (
        rules.placing_problem(
            placing_party=rules.GOVERNMENT, name="Korea EPS", party=rules.GOVERNMENT
        )
        == ""
    )


def test_both_rules_are_registered_with_the_law_on_who_places():
    for code in ("pathways.pathway_open_problem", "pathways.placing_problem"):
        assert "UU 18/2017 Pasal 49" in [s.cite() for s in REGISTRY[code].sources]


def test_a_stored_reason_or_basis_ending_in_a_full_stop_does_not_end_the_sentence_twice():
    message = rules.pathway_open_problem(
        state=rules.SUSPENDED,
        name="Korea E-8",
        reason="Ditangguhkan Korea sejak akhir 2024.",
        basis="Surat Kemenhub.",
        on=datetime.date(2026, 12, 7),
    )
    assert "(Surat Kemenhub)." in message
    assert ".)" not in message and ".." not in message


def test_the_advice_can_be_left_out_where_there_is_no_pathway_to_choose():
    kwargs = {"state": rules.SUSPENDED, "name": "E-8", "reason": "Ditangguhkan", "basis": ""}
    on = datetime.date(2026, 12, 7)
    full = rules.pathway_open_problem(**kwargs, on=on)
    short = rules.pathway_open_problem(**kwargs, on=on, advice=False)
    assert full.startswith(short) and "Pilih skema lain" in full
    assert "Pilih skema lain" not in short
