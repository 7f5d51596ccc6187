"""The departure gate on its own: plain facts in, the reasons a worker may not yet go out."""

import dataclasses
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalur.rules.departure import (
    CONTRACT_SIGNING,
    DEPARTURE,
    DepartureFacts,
    ItemFacts,
    gate_problems,
)

DAY = datetime.date(2028, 2, 29)


def item(code, label, **facts):
    return ItemFacts(code=code, label=label, verified=True, **facts)


READY = DepartureFacts(
    departure=DAY,
    contract_months=36,
    items=(
        item("medical", "Pemeriksaan kesehatan", fit=True, valid_until=DAY),
        item("psychological", "Pemeriksaan psikologi", fit=True),
        item("bpjs", "BPJS", jkk=True, jkm=True, valid_until=datetime.date(2031, 3, 1)),
        item("passport", "Paspor", valid_until=datetime.date(2031, 8, 29)),
        item("visa", "Visa kerja", valid_until=datetime.date(2028, 5, 1)),
        item("opp", "OPP"),
    ),
    no_fee_signed=frozenset({CONTRACT_SIGNING}),
)


def changed(facts=READY, **changes):
    return dataclasses.replace(facts, **changes)


def with_item(code, **changes):
    return changed(
        items=tuple(dataclasses.replace(i, **changes) if i.code == code else i for i in READY.items)
    )


def test_a_worker_with_everything_in_order_may_go():
    assert gate_problems(READY) == []


def test_departing_needs_the_second_no_fee_statement():
    assert gate_problems(changed(for_departure=True)) == [
        "Pernyataan tanpa biaya saat keberangkatan belum ditandatangani."
    ]
    assert (
        gate_problems(
            changed(for_departure=True, no_fee_signed=frozenset({CONTRACT_SIGNING, DEPARTURE}))
        )
        == []
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            with_item("visa", verified=False, status="menunggu pemeriksaan"),
            "Visa kerja: menunggu pemeriksaan.",
        ),
        (with_item("medical", fit=False), "Pemeriksaan kesehatan: hasilnya tidak memenuhi syarat."),
        (
            with_item("psychological", fit=None),
            "Pemeriksaan psikologi: hasilnya tidak memenuhi syarat.",
        ),
        (
            with_item("medical", valid_until=datetime.date(2028, 2, 28)),
            "Pemeriksaan kesehatan hanya berlaku sampai 28-02-2028, sebelum tanggal berangkat.",
        ),
        (with_item("bpjs", jkm=False), "BPJS: JKK dan JKM keduanya wajib"),
        (with_item("passport", valid_until=datetime.date(2031, 8, 28)), "sedikitnya 29-08-2031"),
        (with_item("passport", valid_until=None), "Paspor berlaku sampai —;"),
        (changed(contract_undecided=True), "Perjanjian kerja berbeda dari lowongan"),
        (changed(no_fee_signed=frozenset()), "saat penandatanganan kontrak belum ditandatangani"),
        (changed(passport_away=True), "Paspor sedang tidak dipegang pekerja."),
        (
            changed(revoked_certificate=("SRG-1", "Absensi dipalsukan")),
            "SRG-1 dicabut (Absensi dipalsukan)",
        ),
        (changed(open_fee_violation=True), "melanggar aturan dan belum ditindaklanjuti"),
        (changed(undecided_worker_fee=True), "belum diputuskan Disnakertrans"),
    ],
)
def test_each_legal_item_stops_departure_with_its_reason(facts, expected):
    problems = gate_problems(facts)
    assert len(problems) == 1 and expected in problems[0]


@given(
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_the_worker_may_go_only_when_every_fact_holds(
    undecided_contract, passport_away, violation, undecided_fee, signed
):
    facts = changed(
        contract_undecided=undecided_contract,
        passport_away=passport_away,
        open_fee_violation=violation,
        undecided_worker_fee=undecided_fee,
        no_fee_signed=frozenset({CONTRACT_SIGNING}) if signed else frozenset(),
    )
    blocked = undecided_contract or passport_away or violation or undecided_fee or not signed
    problems = gate_problems(facts)
    assert bool(problems) == blocked
    assert len(problems) == sum(
        [undecided_contract, passport_away, violation, undecided_fee, not signed]
    )
