"""The raw SQL aggregates the leadership dashboard needs, straight from the base tables (PostgreSQL).

The baseline of bench_dashboard.py: what the same figures cost without the summary tables, one
query per figure, each as a reviewer would write it by hand (with the indexes the apps have).
Parameters: %(start)s and %(end)s (aware timestamps, end exclusive), %(zone)s (the installation's
time zone), %(today)s and %(horizon)s (dates).
"""

# The destination rule of jalur/reports/facts.py, as a join: accepted offer, else active pathway
# assignment, else first preferred country and first preferred job type.
DESTINATION = """
    LEFT JOIN LATERAL (
        SELECT o.employer_country AS country, o.pathway_id, o.job_type_id
        FROM placement_application a JOIN placement_joborder o ON o.id = a.order_id
        WHERE a.candidate_id = c.id AND a.status = 'accepted' LIMIT 1
    ) acc ON true
    LEFT JOIN LATERAL (
        SELECT p.country, pa.pathway_id, pa.job_type_id
        FROM pathways_pathwayassignment pa JOIN pathways_pathway p ON p.id = pa.pathway_id
        WHERE pa.candidate_id = c.id AND pa.is_active ORDER BY pa.assigned_at LIMIT 1
    ) asg ON true
    LEFT JOIN LATERAL (
        SELECT j.id AS job_type_id
        FROM candidates_candidate_preferred_job_types t JOIN pathways_jobtype j ON j.id = t.jobtype_id
        WHERE t.candidate_id = c.id ORDER BY j.sort_order, j.name, j.id LIMIT 1
    ) pref ON true
"""

QUERIES = {
    "funnel: now at each stage": """
        SELECT stage, count(*) FROM candidates_candidate
        WHERE created_at >= %(start)s AND created_at < %(end)s GROUP BY stage
    """,
    "funnel: ever reached each stage": """
        SELECT h.to_stage, count(DISTINCT h.candidate_id)
        FROM candidates_stagehistory h JOIN candidates_candidate c ON c.id = h.candidate_id
        WHERE c.created_at >= %(start)s AND c.created_at < %(end)s GROUP BY h.to_stage
    """,
    "first arrivals per stage and month (departures, registrations)": """
        SELECT to_stage, date_trunc('month', first_at AT TIME ZONE %(zone)s), count(*)
        FROM (SELECT candidate_id, to_stage, min(created_at) AS first_at
              FROM candidates_stagehistory GROUP BY candidate_id, to_stage) f
        WHERE first_at >= %(start)s AND first_at < %(end)s GROUP BY 1, 2
    """,
    "breakdowns: destination, pathway, job type, kecamatan, sex, age band": f"""
        SELECT country, pathway_id, job_type_id, district_id, sex, band, grp, count(*)
        FROM (
            SELECT COALESCE(NULLIF(acc.country, ''), NULLIF(asg.country, ''),
                            c.preferred_countries ->> 0, '') AS country,
                   COALESCE(acc.pathway_id, asg.pathway_id, 0) AS pathway_id,
                   COALESCE(acc.job_type_id, asg.job_type_id, pref.job_type_id, 0) AS job_type_id,
                   c.district_id, c.sex,
                   CASE WHEN age < 18 THEN '<18' WHEN age < 25 THEN '18-24'
                        WHEN age < 30 THEN '25-29' WHEN age < 35 THEN '30-34'
                        WHEN age < 40 THEN '35-39' WHEN age < 45 THEN '40-44' ELSE '45+' END AS band,
                   CASE WHEN c.stage IN ('departed', 'returned') THEN 'departed'
                        WHEN c.stage IN ('rejected', 'withdrawn') THEN 'stopped'
                        ELSE 'process' END AS grp
            FROM candidates_candidate c
            CROSS JOIN LATERAL (SELECT date_part('year', age(
                (c.created_at AT TIME ZONE %(zone)s)::date, c.birth_date)) AS age) a
            {DESTINATION}
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s
        ) d
        GROUP BY GROUPING SETS ((country, grp), (pathway_id, grp), (job_type_id, grp),
                                (district_id, grp), (sex, grp), (band, grp))
    """,
    "days per stage: average and 90th percentile": """
        SELECT to_stage, count(*), avg(seconds) / 86400,
               percentile_disc(0.9) WITHIN GROUP (ORDER BY floor(seconds / 86400))
        FROM (
            SELECT to_stage, next_at,
                   extract(epoch FROM next_at - created_at) AS seconds
            FROM (SELECT to_stage, created_at,
                         lead(created_at) OVER (PARTITION BY candidate_id ORDER BY created_at, id)
                         AS next_at
                  FROM candidates_stagehistory) s
            WHERE next_at >= %(start)s AND next_at < %(end)s
        ) d GROUP BY to_stage
    """,
    "training: enrolments per cohort": """
        SELECT e.cohort_id, e.status, count(*)
        FROM training_enrolment e JOIN training_cohort c ON c.id = e.cohort_id
        WHERE c.start_date >= %(start)s::date AND c.start_date < %(end)s::date
        GROUP BY 1, 2
    """,
    "training: attendance per cohort": """
        SELECT s.cohort_id, count(*), count(*) FILTER (WHERE a.status IN ('present', 'late'))
        FROM training_attendance a JOIN training_session s ON s.id = a.session_id
        JOIN training_cohort c ON c.id = s.cohort_id
        WHERE c.start_date >= %(start)s::date AND c.start_date < %(end)s::date
        GROUP BY 1
    """,
    "language score histogram": """
        SELECT test, CASE WHEN test = 'eps_topik' THEN least(180, score / 20 * 20)::text
                          WHEN test = 'jft_basic' THEN band
                          ELSE jlpt_level || ':' || passed::int END, count(*)
        FROM training_assessment
        WHERE kind = 'official' AND test IN ('eps_topik', 'jft_basic', 'jlpt')
          AND taken_on >= %(start)s::date AND taken_on < %(end)s::date
        GROUP BY 1, 2
    """,
    "grievances: open and overdue": """
        SELECT count(*) FILTER (WHERE status <> 'closed'),
               count(*) FILTER (WHERE status <> 'closed' AND due_at < now())
        FROM protection_grievance
    """,
    "documents expiring in 60 days": """
        SELECT i.code, count(*) FROM departure_checklistitem i
        JOIN departure_departurecase d ON d.id = i.case_id
        WHERE d.status IN ('open', 'ready') AND i.valid_until BETWEEN %(today)s AND %(horizon)s
        GROUP BY i.code
    """,
}
