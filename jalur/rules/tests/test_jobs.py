"""The shared vocabulary: job types, the ten zero-cost positions, countries, education ranks."""

from jalur.rules import jobs
from jalur.rules.registry import REGISTRY


def test_the_ten_zero_cost_positions_of_perban_9_2020():
    assert len(jobs.ZERO_COST_POSITIONS) == 10
    assert {"pengasuh lansia", "sopir keluarga", "awak kapal perikanan migran"} <= set(
        jobs.ZERO_COST_POSITIONS
    )


def test_each_zero_cost_job_type_names_its_positions_and_its_source():
    for spec in jobs.JOB_TYPES:
        assert set(spec.zero_cost_positions) <= set(jobs.ZERO_COST_POSITIONS), spec.code
        assert spec.kbji and all(len(code) == 4 and code.isdigit() for code in spec.kbji)
    caregiver = jobs.JOB_TYPES_BY_CODE["caregiver"]
    assert (
        caregiver.zero_cost and caregiver.zero_cost_basis == "Perban BP2MI 9/2020: pengasuh lansia"
    )
    industrial = jobs.JOB_TYPES_BY_CODE["industrial"]
    assert not industrial.zero_cost and industrial.zero_cost_basis == ""


def test_a_zero_cost_position_cannot_lose_its_mark_but_any_job_may_gain_it():
    problem = jobs.zero_cost_problem(code="driver", name="Sopir", zero_cost=False)
    assert 'Jenis pekerjaan "Sopir" termasuk jabatan bebas biaya penempatan' in problem
    assert "sopir keluarga" in problem
    assert jobs.zero_cost_problem(code="driver", name="Sopir", zero_cost=True) == ""
    assert jobs.zero_cost_problem(code="welder", name="Juru las", zero_cost=False) == ""
    assert jobs.zero_cost_problem(code="welder", name="Juru las", zero_cost=True) == ""
    assert jobs.zero_cost_problem(code="new-job", name="Baru", zero_cost=False) == ""


def test_the_rules_page_lists_which_job_types_are_each_position():
    header, *rows = REGISTRY["jobs.zero_cost_problem"].table()
    by_position = dict(rows)
    assert by_position["pengasuh lansia"] == "`caregiver`"
    assert by_position["juru masak"] == "—"


def test_country_names():
    assert jobs.country_name("JP") == "Jepang"
    assert jobs.country_name("XX") == "XX"
    assert [code for code, _ in jobs.COUNTRY_CHOICES] == ["KR", "JP"]
