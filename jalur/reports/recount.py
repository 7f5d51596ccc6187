"""The rebuild on PostgreSQL: every summary table recounted by set-based SQL.

The same definitions as facts.py (destination, registration month, age band, stage reached,
first entries, days in a stage), written as a handful of statements over the whole register, so
ten million people are counted in minutes rather than by a Python loop over every person and
every move. The CASE expressions are built from facts.py's own tables (stage groups, age bands),
and a test runs both rebuilds over the same people and compares every cell
(tests/test_recount.py). Elsewhere (SQLite) `services.stats_rebuild` counts in Python.
"""

from django.apps import apps
from django.conf import settings
from django.db import connection

from jalur.candidates.models import Candidate, StageHistory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment

from . import facts
from .bulk import table_of
from .models import CandidateStat, DwellTally, Tally


def _literal(text: str) -> str:
    """A string constant from facts.py's own tables (codes, never input)."""
    return "'" + str(text).replace("'", "''") + "'"


def _group_case(stage: str) -> str:
    arms = " ".join(
        f"WHEN {_literal(s)} THEN {_literal(group)}"
        for s, group in facts.STAGE_GROUP.items()
        if group != facts.PROCESS
    )
    return f"(CASE {stage} {arms} ELSE {_literal(facts.PROCESS)} END)"


def _age_case(birth: str, day: str) -> str:
    """`facts.age_band`: whole years on the day (rules.identity.age_on), then the first band."""
    age = (
        f"(EXTRACT(YEAR FROM {day})::int - EXTRACT(YEAR FROM {birth})::int - "
        f"CASE WHEN (EXTRACT(MONTH FROM {day}), EXTRACT(DAY FROM {day})) < "
        f"(EXTRACT(MONTH FROM {birth}), EXTRACT(DAY FROM {birth})) THEN 1 ELSE 0 END)"
    )
    arms = " ".join(
        f"WHEN {age} >= {low}"
        + (f" AND {age} <= {high}" if high is not None else "")
        + f" THEN {_literal(band)}"
        for low, high, band in facts.AGE_BANDS
    )
    return f"(CASE WHEN {birth} IS NULL THEN '' {arms} ELSE '' END)"


def _district_case(district: str) -> str:
    """`facts.district_counted`: the kecamatan at home, its kab/kota in the home province, else
    its province (params `home` "36.73." and `province` "36.")."""
    return (
        f"(CASE WHEN {district} IS NULL OR {district} = '' THEN '' "
        f"WHEN left({district}, length(%(home)s)) = %(home)s THEN {district} "
        f"WHEN left({district}, length(%(province)s)) = %(province)s THEN left({district}, 5) "
        f"ELSE left({district}, 2) END)"
    )


def _month(moment: str) -> str:
    """`facts.month_of`: the month in the installation's time zone."""
    return f"date_trunc('month', {moment} AT TIME ZONE %(tz)s)::date"


def _stats_sql() -> str:
    """One CandidateStat row per candidate: `services._destinations` and `facts.fact_build`."""
    through = Candidate.preferred_job_types.through
    q = connection.ops.quote_name
    order = "SELECT NULL::bigint AS candidate_id, ''::text AS country, 0 AS pathway_id, 0 AS job_type_id WHERE false"
    if apps.is_installed("jalur.placement"):
        from jalur.placement.models import Application, JobOrder
        from jalur.placement.states import ApplicationStatus

        order = f"""
            SELECT DISTINCT ON (a.candidate_id) a.candidate_id,
                COALESCE(o.employer_country, '') AS country, COALESCE(o.pathway_id, 0) AS pathway_id,
                COALESCE(o.job_type_id, 0) AS job_type_id
            FROM {table_of(Application)} a JOIN {table_of(JobOrder)} o ON o.id = a.order_id
            WHERE a.status = {_literal(ApplicationStatus.ACCEPTED)}
            ORDER BY a.candidate_id, a.id DESC
        """  # noqa: S608 (names from the models)
    local_day = "(c.created_at AT TIME ZONE %(tz)s)::date"
    first_country = "c.preferred_countries -> 0"
    return f"""
        INSERT INTO {table_of(CandidateStat)} (candidate_id, registered_month, country, pathway_id,
            job_type_id, district, sex, age_band, stage, last_history_id, synced_at)
        WITH accepted AS ({order}),
        assigned AS (
            SELECT DISTINCT ON (pa.candidate_id) pa.candidate_id,
                COALESCE(p.country, '') AS country, COALESCE(pa.pathway_id, 0) AS pathway_id,
                COALESCE(pa.job_type_id, 0) AS job_type_id
            FROM {table_of(PathwayAssignment)} pa JOIN {table_of(Pathway)} p ON p.id = pa.pathway_id
            WHERE pa.is_active ORDER BY pa.candidate_id, pa.assigned_at, pa.id
        ),
        preferred AS (
            SELECT DISTINCT ON (t.{q("candidate_id")}) t.{q("candidate_id")} AS candidate_id,
                t.{q("jobtype_id")} AS job_type_id
            FROM {table_of(through)} t JOIN {table_of(JobType)} j ON j.id = t.{q("jobtype_id")}
            ORDER BY t.{q("candidate_id")}, j.sort_order, j.name, j.id
        ),
        newest AS (
            SELECT candidate_id, max(id) AS id FROM {table_of(StageHistory)} GROUP BY candidate_id
        )
        SELECT c.id, {_month("c.created_at")},
            COALESCE(NULLIF(o.country, ''), NULLIF(a.country, ''),
                CASE WHEN jsonb_typeof({first_country}) = 'string'
                THEN {first_country} #>> '{{}}' END, ''),
            COALESCE(NULLIF(o.pathway_id, 0), NULLIF(a.pathway_id, 0), 0),
            COALESCE(NULLIF(o.job_type_id, 0), NULLIF(a.job_type_id, 0),
                NULLIF(p.job_type_id, 0), 0),
            {_district_case("c.district_id")}, COALESCE(c.sex, ''),
            {_age_case("c.birth_date", local_day)}, c.stage, COALESCE(h.id, 0), %(now)s
        FROM {table_of(Candidate)} c
        LEFT JOIN accepted o ON o.candidate_id = c.id
        LEFT JOIN assigned a ON a.candidate_id = c.id
        LEFT JOIN preferred p ON p.candidate_id = c.id
        LEFT JOIN newest h ON h.candidate_id = c.id
    """  # noqa: S608 (names from the models, codes from facts.py)


def _tally_sql() -> str:
    """Tally cells: the current stage and the breakdowns (from CandidateStat), stages reached and
    first entries (from the history), as `facts.contributions` adds them up."""
    stat, history = table_of(CandidateStat), table_of(StageHistory)
    group = _group_case("s.stage")
    every = ", ".join(_literal(s) for s in sorted(facts.EACH_ENTRY_COUNTED))
    return f"""
        INSERT INTO {table_of(Tally)} (dimension, value, grp, month, country, job_type_id, n)
        WITH entered AS (
            SELECT candidate_id, to_stage, min(created_at) AS first_at, count(*) AS times
            FROM {history} GROUP BY candidate_id, to_stage
        ),
        cells AS (
            SELECT d.dimension, d.value, d.grp, s.registered_month AS month, s.country,
                s.job_type_id, count(*) AS n
            FROM {stat} s CROSS JOIN LATERAL (VALUES
                ('stage', s.stage, ''),
                ('country', s.country, {group}),
                ('pathway', s.pathway_id::text, {group}),
                ('job_type', s.job_type_id::text, {group}),
                ('district', s.district, {group}),
                ('sex', s.sex, {group}),
                ('age', s.age_band, {group})
            ) AS d(dimension, value, grp)
            GROUP BY 1, 2, 3, 4, 5, 6
            UNION ALL
            SELECT 'reached', e.to_stage, '', s.registered_month, s.country, s.job_type_id, count(*)
            FROM entered e JOIN {stat} s ON s.candidate_id = e.candidate_id
            GROUP BY 2, 4, 5, 6
            UNION ALL
            SELECT 'reached', s.stage, '', s.registered_month, s.country, s.job_type_id, count(*)
            FROM {stat} s WHERE NOT EXISTS (
                SELECT 1 FROM entered e WHERE e.candidate_id = s.candidate_id AND e.to_stage = s.stage
            )
            GROUP BY 2, 4, 5, 6
            UNION ALL
            SELECT 'first', e.to_stage, '', {_month("e.first_at")}, s.country, s.job_type_id, count(*)
            FROM entered e JOIN {stat} s ON s.candidate_id = e.candidate_id
            WHERE e.to_stage NOT IN ({every})
            GROUP BY 2, 4, 5, 6
            UNION ALL
            SELECT 'first', h.to_stage, '', {_month("h.created_at")}, s.country, s.job_type_id, count(*)
            FROM {history} h JOIN {stat} s ON s.candidate_id = h.candidate_id
            WHERE h.to_stage IN ({every})
            GROUP BY 2, 4, 5, 6
        )
        SELECT dimension, value, grp, month, country, job_type_id, sum(n) FROM cells
        GROUP BY 1, 2, 3, 4, 5, 6
    """  # noqa: S608 (names from the models, codes from facts.py)


def _dwell_sql() -> str:
    """Finished stays: from each move to the next (in time, then id order), counted in the month
    the stay ended; whole days capped at DWELL_DAYS_CAP, seconds rounded half to even as Python's
    round() does."""
    micro = "(EXTRACT(EPOCH FROM (m.next_at - m.created_at)) * 1000000)::bigint"
    return f"""
        INSERT INTO {table_of(DwellTally)} (stage, month, country, job_type_id, days, n, seconds)
        SELECT m.to_stage, {_month("m.next_at")}, s.country, s.job_type_id,
            LEAST(m.us / 86400000000, {facts.DWELL_DAYS_CAP}), count(*),
            sum(m.us / 1000000 + CASE WHEN m.us %% 1000000 > 500000
                OR (m.us %% 1000000 = 500000 AND (m.us / 1000000) %% 2 = 1) THEN 1 ELSE 0 END)
        FROM (
            SELECT m.candidate_id, m.to_stage, m.next_at, GREATEST({micro}, 0) AS us
            FROM (
                SELECT candidate_id, to_stage, created_at,
                    lead(created_at) OVER (PARTITION BY candidate_id ORDER BY created_at, id)
                    AS next_at
                FROM {table_of(StageHistory)}
            ) m WHERE m.next_at IS NOT NULL
        ) m JOIN {table_of(CandidateStat)} s ON s.candidate_id = m.candidate_id
        GROUP BY 1, 2, 3, 4, 5
    """  # noqa: S608 (names from the models, codes from facts.py)


def recount(now, log=lambda _text: None) -> int:
    """Fill the emptied CandidateStat, Tally and DwellTally (inside the caller's transaction, which
    holds the rebuild's lock). Returns the number of candidates counted."""
    home = facts.home_region()
    params = {"tz": settings.TIME_ZONE, "now": now, "home": f"{home}.", "province": f"{home[:2]}."}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem TO '256MB'")
        cursor.execute("SET LOCAL jit TO off")  # seconds of compiling for a one-off statement
        cursor.execute(_stats_sql(), params)
        total = cursor.rowcount
        log("candidate facts")
        cursor.execute(f"ANALYZE {table_of(CandidateStat)}")
        cursor.execute(_tally_sql(), params)
        log("tallies")
        cursor.execute(_dwell_sql(), params)
        log("days per stage")
        # The tables were emptied and filled in this transaction: without fresh statistics the
        # planner expects a handful of rows until autovacuum comes by, and reads a year of
        # days-per-stage cells by index, one heap fetch each (3 x slower at 300,000 people).
        cursor.execute(f"ANALYZE {table_of(Tally)}, {table_of(DwellTally)}")
    return total
