"""Figures that other apps' records feed (training, scores, expiries, grievances), the destination
rule, and people who arrive without a stage move (bulk imports): all counted by the refresh."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.candidates.models import (
    Candidate,
    CandidateDocument,
    DocumentStatus,
    DocumentType,
    StageHistory,
)
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.reports.models import CandidateStat, CohortFigures, RefreshState
from jalur.reports.services.refresh import stats_rebuild, stats_refresh

from .conftest import accepted, make_agency, make_order

pytestmark = pytest.mark.django_db
S = Stage


def enrol(cohort, candidate, actor):
    from jalur.training.services import enrolment_create

    return enrolment_create(cohort=cohort, candidate=candidate, actor=actor)


def dashboard(client_for, user, **params):
    response = client_for(user).get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    return response.context


def make_stale():
    RefreshState.objects.update(
        refreshed_at=timezone.now() - datetime.timedelta(minutes=11), requested_at=None
    )


class TestTraining:
    @pytest.fixture
    def cohorts(self, provider, provider_b, manager):
        from jalur.training.models import Attendance, AttendanceStatus, Enrolment
        from jalur.training.tests.factories import (
            CohortFactory,
            ProgrammeFactory,
            ProviderFactory,
            SessionFactory,
        )

        programme = ProgrammeFactory()
        a = CohortFactory(
            programme=programme, provider=ProviderFactory(organisation=provider), capacity=10
        )
        b = CohortFactory(
            programme=programme, provider=ProviderFactory(organisation=provider_b), capacity=10
        )
        people = [CandidateFactory(stage=S.VERIFIED) for _ in range(5)]
        enrolments = [enrol(a, p, manager) for p in people[:4]] + [enrol(b, people[4], manager)]
        statuses = ["completed", "completed", "failed", "enrolled", "failed"]
        for enrolment, status in zip(enrolments, statuses, strict=True):
            Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
        first = SessionFactory(cohort=a, date=a.start_date)
        second = SessionFactory(cohort=a, date=a.start_date + datetime.timedelta(days=1))
        P, L, E, A = (
            AttendanceStatus.PRESENT,
            AttendanceStatus.LATE,
            AttendanceStatus.EXCUSED,
            AttendanceStatus.ABSENT,
        )
        marks = [
            (0, first, P),
            (0, second, P),
            (1, first, L),
            (1, second, A),
            (2, first, E),
            (2, second, P),
            (3, first, P),
        ]
        for index, session, status in marks:
            Attendance.objects.create(session=session, enrolment=enrolments[index], status=status)
        return a, b

    def test_attendance_and_pass_rates_per_provider_and_cohort(self, cohorts, client_for, leader):
        a, b = cohorts
        training = dashboard(client_for, leader)["training"]
        providers = {r["name"]: r for r in training["providers"]}
        row = providers[a.provider.organisation.name]
        # 7 marks, present or late in 5; 2 passed and 1 failed of those who ended
        assert (row["attended"], row["marks"], row["attendance_pct"]) == (5, 7, 71.4)
        assert (row["completed"], row["failed"], row["pass_pct"]) == (2, 1, 66.7)
        other = providers[b.provider.organisation.name]
        assert other["attendance_pct"] is None and other["pass_pct"] == 0.0
        assert training["total"]["pass_pct"] == 50.0
        assert {c["id"] for c in training["cohorts"]} == {a.pk, b.pk}

    def test_destination_and_job_type_filters_keep_the_cohorts_preparing_for_them(
        self, cohorts, client_for, leader, provider
    ):
        from jalur.training.tests.factories import CohortFactory, ProgrammeFactory, ProviderFactory

        a, b = cohorts  # a Japanese course for every job type
        korean = ProgrammeFactory(pathways=[Pathway.objects.get(code="kr-eps-g2g")])
        korean.job_types.set(JobType.objects.filter(code="industrial"))
        k = CohortFactory(programme=korean, provider=ProviderFactory(organisation=provider))

        def shown(**params):
            training = dashboard(client_for, leader, **params)["training"]
            return {c["id"] for c in training["cohorts"]}

        assert shown() == {a.pk, b.pk, k.pk}
        assert shown(country="JP") == {a.pk, b.pk}
        assert shown(country="KR") == {k.pk}
        caregiver = JobType.objects.get(code="caregiver")
        assert shown(job_type=str(caregiver.pk)) == {a.pk, b.pk}
        assert shown(country="-") == set()

    def test_a_closed_cohort_is_computed_once_and_then_kept(self, cohorts, client_for, leader):
        from jalur.training.models import Attendance, Cohort

        a, _b = cohorts
        Cohort.objects.filter(pk=a.pk).update(closed_at=timezone.now())
        stats_refresh()
        assert CohortFigures.objects.get(cohort_id=a.pk).final
        Attendance.objects.filter(enrolment__cohort=a).delete()
        stats_refresh()
        assert CohortFigures.objects.get(cohort_id=a.pk).marks == 7

    def test_new_attendance_shows_after_the_refresh_the_dashboard_asks_for(
        self, cohorts, client_for, leader
    ):
        from jalur.training.models import Attendance

        a, _b = cohorts
        dashboard(client_for, leader)
        Attendance.objects.filter(enrolment__cohort=a, status="absent").update(status="present")
        fresh = dashboard(client_for, leader)["training"]["total"]
        assert fresh["attended"] == 5  # within the refresh interval: the stored figures
        make_stale()
        assert dashboard(client_for, leader)["training"]["total"]["attended"] == 6


def test_language_results_fill_the_score_histograms(client_for, leader):
    from jalur.training.models import Assessment

    today = timezone.localdate()
    person = CandidateFactory(stage=S.TRAINED)
    common = {"candidate": person, "kind": "official", "taken_on": today}
    Assessment.objects.create(test="jft_basic", score=210, band="A2", passed=True, **common)
    Assessment.objects.create(test="jft_basic", score=180, band="A2.1", passed=False, **common)
    Assessment.objects.create(
        test="eps_topik", reading=50, listening=45, score=95, passed=True, **common
    )
    Assessment.objects.create(test="jlpt", score=100, jlpt_level="N4", passed=True, **common)
    Assessment.objects.create(
        test="jft_basic",
        score=230,
        band="A2",
        passed=True,
        candidate=person,
        kind="mock",
        taken_on=today,
    )
    scores = {s["test"]: s for s in dashboard(client_for, leader)["scores"]}
    jft = {r["label"]: r["n"] for r in scores["jft_basic"]["rows"]}
    assert (
        jft["A2 (≥ 200)"] == 1 and jft["A2.1 (175–199)"] == 1 and scores["jft_basic"]["total"] == 2
    )
    eps = {r["label"]: r["n"] for r in scores["eps_topik"]["rows"]}
    assert eps["80–99"] == 1 and scores["eps_topik"]["total"] == 1
    jlpt = {r["label"]: r["n"] for r in scores["jlpt"]["rows"]}
    assert jlpt["N4 lulus"] == 1


def test_documents_agreements_and_licences_ending_within_60_days(
    client_for, leader, agency, verifier
):
    from jalur.departure.models import CaseStatus, ChecklistItem, DepartureCase
    from jalur.placement.models import Agreement

    today = timezone.localdate()
    p3mi = make_agency(agency)
    order = make_order(p3mi)

    def case(status):
        person = CandidateFactory(stage=S.PRE_DEPARTURE)
        return DepartureCase.objects.create(
            application=accepted(order, person),
            candidate=person,
            agency=p3mi,
            status=status,
            departed_on=today if status == CaseStatus.DEPARTED else None,
        )

    def item(case, code, days, status="verified"):
        return ChecklistItem.objects.create(
            case=case,
            code=code,
            status=status,
            valid_until=today + datetime.timedelta(days=days),
            checked_by=verifier if status == "verified" else None,
            checked_at=timezone.now() if status == "verified" else None,
        )

    open_case, gone = case(CaseStatus.OPEN), case(CaseStatus.DEPARTED)
    item(open_case, "passport", 30)
    item(open_case, "medical", 90)
    item(gone, "passport", 10)
    doc_type = DocumentType.objects.create(
        code="sertifikat-uji", name="Sertifikat uji", has_expiry=True
    )
    CandidateDocument.objects.create(
        candidate=CandidateFactory(stage=S.VERIFIED),
        document_type=doc_type,
        file="dokumen/x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        status=DocumentStatus.ACCEPTED,
        expires_on=today + datetime.timedelta(days=10),
    )
    Agreement.objects.create(
        kind="pks",
        number="PKS-UJI-1",
        title="PKS uji",
        parties="Pemkot\nPT A",
        agency=p3mi,
        signed_on=today - datetime.timedelta(days=300),
        starts_on=today - datetime.timedelta(days=300),
        ends_on=today + datetime.timedelta(days=20),
        countries=["JP"],
    )
    expiry = dashboard(client_for, leader)["expiry"]
    documents = {d["key"]: d["n"] for d in expiry["documents"]}
    assert documents == {"item:passport": 1, "doc:sertifikat-uji": 1}
    assert [a["label"] for a in expiry["agreements"]] == [
        "Perjanjian Kerja Sama (PKS) dengan P3MI PKS-UJI-1"
    ]
    assert expiry["agreements"][0]["days"] == 20


def test_open_and_overdue_grievances(client_for, leader):
    from jalur.protection.models import Grievance

    now = timezone.now()

    def grievance(number, status, due_in_days=None, closed=False):
        return Grievance.objects.create(
            number=number,
            reporter_kind="family",
            reporter_name="Keluarga",
            worker_name="Pekerja",
            worker_country="JP",
            category="wages",
            description="Gaji belum dibayar",
            status=status,
            due_at=None if due_in_days is None else now + datetime.timedelta(days=due_in_days),
            opened_at=now - datetime.timedelta(days=3),
            closed_at=now if closed else None,
            closing_reason="resolved" if closed else "",
        )

    grievance("ADU-1", "clarification_1", -2)
    grievance("ADU-2", "assigned", 5)
    grievance("ADU-3", "closed", closed=True)
    figures = dashboard(client_for, leader)["grievances"]
    assert (figures["open"], figures["overdue"], figures["opened"], figures["closed"]) == (
        2,
        1,
        3,
        1,
    )
    assert dashboard(client_for, leader, country="KR")["grievances"]["open"] == 0


class TestDestination:
    def stat(self, person):
        return CandidateStat.objects.get(candidate_id=person.pk)

    def test_preferences_then_pathway_then_accepted_offer(self, walk, manager, agency):
        now = timezone.now()
        person = walk(now - datetime.timedelta(days=3), [], preferred_countries=["KR"])
        person.preferred_job_types.set(JobType.objects.filter(code__in=["welder", "painter"]))
        stats_rebuild()
        stat = self.stat(person)
        assert (stat.country, stat.pathway_id, stat.job_type_id) == (
            "KR",
            0,
            JobType.objects.get(code="welder").pk,
        )
        # given a pathway assignment, it wins over the preferences
        PathwayAssignment.objects.create(
            candidate=person,
            pathway=Pathway.objects.get(code="jp-ssw-p2p"),
            job_type=JobType.objects.get(code="caregiver"),
        )
        stats_refresh()
        stat = self.stat(person)
        assert (stat.country, stat.pathway_id, stat.job_type_id) == (
            "JP",
            Pathway.objects.get(code="jp-ssw-p2p").pk,
            JobType.objects.get(code="caregiver").pk,
        )
        # and an accepted offer wins over both
        accepted(
            make_order(make_agency(agency), country="KR", pathway="kr-e7", job_type="electrician"),
            person,
        )
        stats_refresh()
        stat = self.stat(person)
        assert (stat.country, stat.pathway_id, stat.job_type_id) == (
            "KR",
            Pathway.objects.get(code="kr-e7").pk,
            JobType.objects.get(code="electrician").pk,
        )


def test_people_imported_in_bulk_are_counted_by_the_next_refresh(client_for, leader):
    stats_rebuild()
    people = Candidate.objects.bulk_create(
        [CandidateFactory.build(stage=S.REGISTERING) for _ in range(3)]
    )
    StageHistory.objects.bulk_create(
        [
            StageHistory(candidate=p, to_stage=S.REGISTERING, created_at=timezone.now())
            for p in people
        ]
    )
    assert dashboard(client_for, leader)["funnel"]["total"] == 0
    stats_refresh()
    assert dashboard(client_for, leader)["funnel"]["total"] == 3


def test_a_large_import_is_counted_by_the_refresh_in_batches(client_for, leader):
    # given someone already counted, then 650 people imported in bulk
    CandidateFactory(stage=S.REGISTERED)
    stats_rebuild()
    people = Candidate.objects.bulk_create(
        [CandidateFactory.build(stage=S.REGISTERING) for _ in range(650)]
    )
    StageHistory.objects.bulk_create(
        [
            StageHistory(candidate=p, to_stage=S.REGISTERING, created_at=timezone.now())
            for p in people
        ]
    )
    # when the refresh runs
    counted = stats_refresh()["candidates"]
    # then each of them is counted once (and the one counted before is not counted again)
    assert counted >= 650
    assert CandidateStat.objects.filter(candidate_id__in=[p.pk for p in people]).count() == 650
    funnel = dashboard(client_for, leader)["funnel"]
    assert funnel["total"] == 651
    assert {r["stage"]: r["now"] for r in funnel["rows"] if r["now"]} == {
        S.REGISTERING: 650,
        S.REGISTERED: 1,
    }


def test_grievance_cells_sum_to_the_cases():
    """The grievance figures read from the refresh's cells equal a count over the cases themselves
    (written out here as the definition), for every destination, job type and period, on a random
    mix of statuses, deadlines, months and people."""
    import random

    from jalur.protection.models import Grievance, GrievanceCategory, GrievanceStatus
    from jalur.reports.selectors.grievances import grievance_figures
    from jalur.reports.selectors.periods import Filters
    from jalur.reports.services.activity import _activity_refresh

    rng = random.Random(20)
    now = timezone.now()
    month = timezone.localdate(now).replace(day=1)
    people = CandidateFactory.create_batch(4)
    for person, job_type_id in zip(people, [0, 3, 3, 7], strict=True):
        CandidateStat.objects.update_or_create(
            candidate_id=person.pk,
            defaults={"registered_month": month, "job_type_id": job_type_id, "stage": S.DEPARTED}
            | {"synced_at": now},
        )
    cases = []
    for number in range(60):
        status = rng.choice(GrievanceStatus.values)
        opened = now - datetime.timedelta(days=rng.randint(0, 400))
        closed = status == GrievanceStatus.CLOSED
        cases.append(
            Grievance.objects.create(
                number=f"ADU-R{number}",
                reporter_kind="family",
                reporter_name="Keluarga",
                worker_name="Pekerja",
                worker_country=rng.choice(["", "JP", "KR"]),
                candidate=rng.choice([None, *people]),
                category=rng.choice(GrievanceCategory.values),
                description="Uji",
                status=status,
                due_at=None if closed else now + datetime.timedelta(days=rng.randint(-9, 9)),
                opened_at=opened,
                closed_at=opened + datetime.timedelta(days=rng.randint(0, 30)) if closed else None,
                closing_reason="resolved" if closed else "",
            )
        )
    _activity_refresh(now)
    jobs = {p.pk: j for p, j in zip(people, [0, 3, 3, 7], strict=True)}

    def by_hand(filters: Filters) -> dict:
        start = timezone.make_aware(datetime.datetime.combine(filters.start, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(
                filters.last_day + datetime.timedelta(days=1), datetime.time.min
            )
        )
        mine = [
            g
            for g in cases
            if (not filters.country or g.worker_country == filters.country.strip("-"))
            and (
                not filters.job_type
                or jobs.get(g.candidate_id, 0) == (0 if filters.job_type == "-" else 3)
            )
        ]
        still_open = [g for g in mine if g.status != GrievanceStatus.CLOSED]
        return {
            "open": len(still_open),
            "overdue": sum(1 for g in still_open if g.due_at < now),
            "opened": sum(1 for g in mine if start <= g.opened_at < end),
            "closed": sum(1 for g in mine if g.closed_at and start <= g.closed_at < end),
        }

    for start in [month, month.replace(year=month.year - 1)]:
        for country in ["", "JP", "-"]:
            for job_type in ["", "3", "-"]:
                filters = Filters(start=start, end=month, country=country, job_type=job_type)
                figures = grievance_figures(filters)
                assert {k: figures[k] for k in ("open", "overdue", "opened", "closed")} == (
                    by_hand(filters)
                ), filters
                assert sum(row["n"] for row in figures["by_status"]) == figures["open"]
                assert sum(row["n"] for row in figures["by_category"]) == figures["opened"]
