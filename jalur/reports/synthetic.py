"""Synthetic data at national scale for the dashboard benchmark (`manage.py generate_synthetic N`).

Every person walks the programme the way people do: most finish registering, some are sent back
for corrections, some are rejected, some withdraw at each stage, training takes about three months
and some fail it, selection can take several tries, and a few come home again. Around them it
creates what those stages leave behind in the other apps: pathway assignments, cohorts with
sessions, enrolments, attendance and official language results, job orders with accepted offers,
departure cases with their checklist, and grievances.

Rows are written with bulk_create in batches, bypassing the services on purpose (no audit rows or
notifications for people who do not exist), so it is for benchmark and demonstration databases
only. Synthetic people are recognisable: their NIK starts with 98 and their name with "Sintetis".
Run `rebuild_stats` afterwards (the command does) so the summary tables count them.
"""

import datetime
import random
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from jalur.accounts.models import Organisation
from jalur.accounts.roles import OrganisationKind
from jalur.candidates.models import Candidate, Education, RegistrationChannel, Sex, StageHistory
from jalur.candidates.stages import Stage
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.regions.models import Village

from . import bulk

S = Stage
NIK_PREFIX = "98"
DAY = datetime.timedelta(days=1)

# (country, pathway code, job type codes) people aim for, with weights
AIMS = [
    ("JP", "jp-ssw-p2p", ["caregiver", "industrial", "food-manufacturing"], 34),
    ("JP", "jp-ssw-p2p", ["plantation", "ground-handling"], 10),
    ("JP", "jp-ssw-driver", ["driver"], 6),
    ("JP", "jp-ijepa", ["nurse"], 4),
    ("KR", "kr-eps-g2g", ["industrial", "plantation"], 30),
    ("KR", "kr-e7", ["welder", "electrician", "painter"], 12),
    ("", "", [], 4),
]
DISTRICT_WEIGHTS = {
    "36.73.01": 30,
    "36.73.02": 16,
    "36.73.03": 12,
    "36.73.04": 10,
    "36.73.05": 20,
    "36.73.06": 12,
}


@dataclass
class Person:
    created: datetime.datetime
    sex: str
    birth: datetime.date
    district: str
    village: str
    country: str
    pathway: str
    job_codes: list[str]
    moves: list[tuple[str, datetime.datetime]] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return self.moves[-1][0]

    def reached(self, stage: str) -> datetime.datetime | None:
        return next((at for s, at in self.moves if s == stage), None)


class Generator:
    def __init__(
        self,
        *,
        seed: int = 7,
        months: int = 24,
        sessions: int = 12,
        now: datetime.datetime | None = None,
        log: Callable[[str], None] = lambda _text: None,
    ):
        self.rng = random.Random(seed)
        self.months = months
        self.sessions = sessions
        self.now = now or timezone.now()
        self.log = log
        self.cohorts: dict[tuple, object] = {}
        self.orders: dict[tuple, object] = {}

    # --- reference data -------------------------------------------------------------------------
    def _prepare(self, n: int) -> None:
        self.villages: dict[str, list[str]] = {}
        for code, district in Village.objects.values_list("code", "district_id"):
            self.villages.setdefault(district, []).append(code)
        self.districts = [d for d in DISTRICT_WEIGHTS if d in self.villages] or [""]
        self.district_weights = [DISTRICT_WEIGHTS.get(d, 1) for d in self.districts]
        self.pathways = dict(Pathway.objects.values_list("code", "pk"))
        self.job_types = dict(JobType.objects.values_list("code", "pk"))
        self.aims = [a for a in AIMS if not a[1] or a[1] in self.pathways]
        self.aim_weights = [a[3] for a in self.aims]
        self.training = apps.is_installed("jalur.training")
        self.placement = apps.is_installed("jalur.placement") and apps.is_installed(
            "jalur.departure"
        )
        if self.training:
            self._prepare_training(n)
        if self.placement:
            self._prepare_placement(n)

    def _organisation(self, kind: str, code: str, name: str) -> Organisation:
        organisation, _created = Organisation.objects.get_or_create(
            code=code, defaults={"kind": kind, "name": name}
        )
        return organisation

    def _prepare_training(self, n: int) -> None:
        from jalur.training.models import Programme, ProgrammeKind, Provider, ProviderKind

        count = max(2, n // 12_000)
        self.providers = []
        for i in range(count):
            organisation = self._organisation(
                OrganisationKind.TRAINING_PROVIDER, f"sintetis-lpk-{i + 1}", f"LPK Sintetis {i + 1}"
            )
            provider, _created = Provider.objects.get_or_create(
                organisation=organisation,
                defaults={
                    "kind": ProviderKind.LPK if i % 3 else ProviderKind.BLK,
                    "licence_number": f"SINTETIS/{i + 1:04d}",
                    "licence_valid_until": (self.now + DAY * (200 + 40 * i)).date(),
                    "address": "Kota Serang",
                    "contact_name": "Kontak Sintetis",
                    "contact_phone": "+6281200000000",
                },
            )
            self.providers.append(provider)
        self.programmes = {}
        for country, code, name, test in (
            ("JP", "sintetis-jepang", "Bahasa Jepang JFT-Basic (sintetis)", "jft_basic"),
            ("KR", "sintetis-korea", "Bahasa Korea EPS-TOPIK (sintetis)", "eps_topik"),
        ):
            programme, created = Programme.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": ProgrammeKind.LANGUAGE,
                    "hours": 240,
                    "required_assessments": [
                        {"test": test, "min_score": None, "min_level": "", "official": True}
                    ],
                    "quota": 10_000_000,
                },
            )
            if created:
                programme.pathways.set(Pathway.objects.filter(country=country))
            self.programmes[country] = programme

    def _prepare_placement(self, n: int) -> None:
        from jalur.placement.models import Agency, Agreement, AgreementKind

        count = max(2, n // 50_000)
        self.agencies = []
        for i in range(count):
            organisation = self._organisation(
                OrganisationKind.PLACEMENT_AGENCY, f"sintetis-p3mi-{i + 1}", f"PT Sintetis {i + 1}"
            )
            agency, _created = Agency.objects.get_or_create(
                organisation=organisation,
                defaults={
                    "licence_number": f"SIP3MI-SINTETIS-{i + 1:04d}",
                    "licence_valid_from": (self.now - DAY * 1500).date(),
                    "licence_valid_until": (self.now + DAY * (30 + 90 * i)).date(),
                    "address": "Jakarta",
                    "phone": "021000000",
                    "contact_name": "Kontak Sintetis",
                    "contact_phone": "+6281200000001",
                },
            )
            self.agencies.append(agency)
        Agreement.objects.get_or_create(
            number="MOU-SINTETIS",
            defaults={
                "kind": AgreementKind.MOU,
                "title": "MoU Pemkot–APJATI (sintetis)",
                "parties": "Pemerintah Kota Serang\nAPJATI",
                "signed_on": (self.now - DAY * 30 * self.months).date(),
                "starts_on": (self.now - DAY * 30 * self.months).date(),
                "ends_on": (self.now + DAY * 365).date(),
                "countries": ["JP", "KR"],
                "quota": max(1000, n // 5),
            },
        )

    # --- one person's journey -----------------------------------------------------------------
    def _days(self, low: float, high: float) -> datetime.timedelta:
        return DAY * self.rng.uniform(low, high)

    def person(self) -> Person:
        rng = self.rng
        span = self.months * 30.4
        # More people register as the programme becomes known: later dates are likelier.
        created = self.now - DAY * span * (1 - rng.random() ** 0.8) - DAY * rng.random()
        sex = Sex.FEMALE if rng.random() < 0.46 else Sex.MALE
        age = rng.choice([18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 32, 34, 36, 39, 43])
        birth = (created - DAY * (age * 365.25 + rng.uniform(0, 364))).date()
        district = rng.choices(self.districts, self.district_weights)[0]
        village = rng.choice(self.villages.get(district, [""]))
        country, pathway, jobs, _weight = rng.choices(self.aims, self.aim_weights)[0]
        person = Person(
            created=created,
            sex=sex,
            birth=birth,
            district=district,
            village=village,
            country=country,
            pathway=pathway,
            job_codes=[rng.choice(jobs)] if jobs else [],
            moves=[(S.REGISTERING, created)],
        )
        self._walk(person)
        return person

    def _walk(self, person: Person) -> None:
        rng, moves = self.rng, person.moves
        at = person.created

        def go(stage: str, low: float, high: float) -> bool:
            nonlocal at
            moment = at + self._days(low, high)
            if moment >= self.now:
                return False
            moves.append((stage, moment))
            at = moment
            return True

        if rng.random() < 0.1:
            go(S.WITHDRAWN, 5, 60)
            return
        if not go(S.REGISTERED, 0.05, 4):
            return
        while rng.random() < 0.12:
            if not go(S.CORRECTION, 1, 10) or not go(S.REGISTERED, 0.5, 12):
                return
        if rng.random() < 0.06:
            go(S.REJECTED, 2, 15)
            return
        if not go(S.VERIFIED, 1, 14):
            return
        if not person.pathway or rng.random() < 0.15:
            go(S.WITHDRAWN, 10, 120)
            return
        attempts = 0
        while True:
            if not go(S.TRAINING, 10, 90):
                return
            attempts += 1
            roll = rng.random()
            if roll < 0.08:
                go(S.WITHDRAWN, 10, 60)
                return
            if roll < 0.23 and attempts < 2:
                if not go(S.VERIFIED, 70, 95):
                    return
                continue
            if not go(S.TRAINED, 70, 100):
                return
            break
        while True:
            if rng.random() < 0.08:
                go(S.WITHDRAWN, 10, 60)
                return
            if not go(S.SELECTION, 3, 30):
                return
            if rng.random() < 0.25:
                if not go(S.TRAINED, 14, 50):
                    return
                continue
            break
        if not go(S.PRE_DEPARTURE, 10, 60):
            return
        if rng.random() < 0.06:
            go(S.WITHDRAWN, 10, 60)
            return
        if not go(S.READY, 30, 100) or not go(S.DEPARTED, 3, 30):
            return
        go(S.RETURNED, 300, 1100)

    # --- writing ------------------------------------------------------------------------------
    def run(self, n: int, *, batch: int = 10_000) -> dict:
        self._prepare(n)
        start = (
            Candidate.objects.filter(nik__startswith=NIK_PREFIX)
            .order_by("-nik")
            .values_list("nik", flat=True)
            .first()
        )
        serial = int(start[2:]) if start else 0
        totals: dict[str, int] = {}
        made = 0
        while made < n:
            size = min(batch, n - made)
            people = [self.person() for _ in range(size)]
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    # Synthetic rows need not wait for the disk at each commit.
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                counts = self._write(people, serial)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            serial += size
            made += size
            self.log(f"{made:,} / {n:,}")
        return totals

    def _write(self, people: list[Person], serial: int) -> dict[str, int]:
        educations = [Education.SMP, Education.SMA, Education.SMA, Education.SMK, Education.SMK]
        ids = bulk.reserve_ids(Candidate, len(people))
        candidates = bulk.Rows(Candidate, with_pk=True)
        for i, (pk, p) in enumerate(zip(ids, people, strict=True), start=1):
            candidates.add(
                id=pk,
                nik=f"{NIK_PREFIX}{serial + i:014d}",
                full_name=f"Sintetis {serial + i:07d}",
                birth_date=p.birth,
                sex=p.sex,
                district_id=p.district or None,
                village_id=p.village or None,
                education_level=self.rng.choice(educations),
                preferred_countries=[p.country] if p.country else [],
                stage=p.stage,
                stage_changed_at=p.moves[-1][1],
                channel=RegistrationChannel.SELF
                if self.rng.random() < 0.7
                else RegistrationChannel.WALK_IN,
                consent_version="sintetis",
                consent_at=p.created,
                created_at=p.created,
                updated_at=p.moves[-1][1],
            )
        counts = {"candidates": candidates.write()}
        through = bulk.Rows(Candidate.preferred_job_types.through)
        for pk, p in zip(ids, people, strict=True):
            for code in p.job_codes:
                through.add(candidate_id=pk, jobtype_id=self.job_types[code])
        through.write()
        history = bulk.Rows(StageHistory)
        for pk, p in zip(ids, people, strict=True):
            before = ""
            for stage, at in p.moves:
                history.add(candidate_id=pk, from_stage=before, to_stage=stage, created_at=at)
                before = stage
        counts["history"] = history.write()
        assignments = bulk.Rows(PathwayAssignment)
        for pk, p in zip(ids, people, strict=True):
            trained = p.reached(S.TRAINING)
            if not (p.pathway and trained):
                continue
            stopped = p.stage in (S.WITHDRAWN, S.REJECTED)
            assignments.add(
                candidate_id=pk,
                pathway_id=self.pathways[p.pathway],
                job_type_id=self.job_types.get(p.job_codes[0]) if p.job_codes else None,
                is_active=not stopped,
                assigned_at=trained - DAY * 2,
                ended_at=p.moves[-1][1] if stopped else None,
                end_reason="mengundurkan diri" if stopped else "",
            )
        counts["assignments"] = assignments.write()
        pairs = list(zip(ids, people, strict=True))
        if self.training:
            counts |= self._write_training(pairs)
        if self.placement:
            counts |= self._write_placement(pairs)
        return counts

    # --- training ----------------------------------------------------------------------------
    def _cohort_key(self, country: str, started: datetime.datetime) -> tuple:
        """Training starts in the cohort of that week at one of the providers."""
        day = timezone.localtime(started).date()
        week = day - datetime.timedelta(days=day.weekday())
        return (country, self.rng.randrange(len(self.providers)), week)

    def _cohorts_ensure(self, keys: set[tuple]) -> None:
        """Create the cohorts (and their sessions so far) that this batch needs, in bulk."""
        from jalur.training.models import Cohort, Session

        missing = sorted(k for k in keys if k not in self.cohorts)
        if not missing:
            return
        names = {k: f"{self.providers[k[1]].organisation.code} {k[2]:%Y-%m-%d}" for k in missing}
        programme_ids = {c: p.pk for c, p in self.programmes.items()}
        existing = {
            (programme_id, name): pk
            for pk, programme_id, name in Cohort.objects.filter(
                programme_id__in=programme_ids.values(), name__in=set(names.values())
            ).values_list("pk", "programme_id", "name")
        }
        sessions_of: dict[int, list] = defaultdict(list)
        for pk, cohort_id, date in Session.objects.filter(
            cohort_id__in=existing.values()
        ).values_list("pk", "cohort_id", "date"):
            sessions_of[cohort_id].append((pk, date))
        new = [k for k in missing if (programme_ids[k[0]], names[k]) not in existing]
        for key in missing:
            pk = existing.get((programme_ids[key[0]], names[key]))
            if pk is not None:
                self.cohorts[key] = (pk, sorted(sessions_of[pk], key=lambda s: s[1]))
        today = timezone.localdate(self.now)
        step = max(84 // max(self.sessions, 1), 1)
        cohorts = bulk.Rows(Cohort, with_pk=True)
        sessions = bulk.Rows(Session, with_pk=True)
        plans = []
        for cohort_id, key in zip(bulk.reserve_ids(Cohort, len(new)), new, strict=True):
            country, provider, week = key
            end = week + datetime.timedelta(days=84)
            cohorts.add(
                id=cohort_id,
                programme_id=programme_ids[country],
                provider_id=self.providers[provider].pk,
                name=names[key],
                start_date=week,
                end_date=end,
                venue="Kota Serang",
                instructor="Instruktur Sintetis",
                capacity=30,
                closed_at=self.now if end < today - datetime.timedelta(days=7) else None,
                created_at=self.now,
            )
            dates = [week + datetime.timedelta(days=i * step) for i in range(self.sessions)]
            plans.append((cohort_id, key, [d for d in dates if d <= today]))
        cohorts.write()
        session_ids = iter(bulk.reserve_ids(Session, sum(len(d) for _c, _k, d in plans)))
        for cohort_id, key, dates in plans:
            made = []
            for date in dates:
                pk = next(session_ids)
                sessions.add(
                    id=pk,
                    cohort_id=cohort_id,
                    date=date,
                    start_time=datetime.time(8, 0),
                    end_time=datetime.time(12, 0),
                    register_saved_at=self.now,
                )
                made.append((pk, date))
            self.cohorts[key] = (cohort_id, made)
        sessions.write()

    def _write_training(self, pairs) -> dict[str, int]:
        from jalur.training.models import (
            Assessment,
            Attendance,
            AttendanceStatus,
            Enrolment,
            EnrolmentStatus,
            ResultKind,
        )
        from jalur.training.scales import jft_band

        stays = []  # (candidate id, country, started, outcome, ended, cohort key)
        for pk, p in pairs:
            if p.country not in self.programmes:
                continue
            for (stage, at), (next_stage, next_at) in zip(
                p.moves, [*p.moves[1:], (None, None)], strict=True
            ):
                if stage == S.TRAINING:
                    key = self._cohort_key(p.country, at)
                    stays.append((pk, p.country, at, next_stage, next_at, key))
        self._cohorts_ensure({stay[-1] for stay in stays})
        outcomes = {
            S.TRAINED: EnrolmentStatus.COMPLETED,
            S.VERIFIED: EnrolmentStatus.FAILED,
            S.WITHDRAWN: EnrolmentStatus.WITHDRAWN,
            None: EnrolmentStatus.ENROLLED,
        }
        enrolment_ids = bulk.reserve_ids(Enrolment, len(stays))
        enrolments = bulk.Rows(Enrolment, with_pk=True)
        marks = bulk.Rows(Attendance)
        results = bulk.Rows(Assessment)
        for enrolment_id, (pk, country, started, outcome, ended, key) in zip(
            enrolment_ids, stays, strict=True
        ):
            cohort_id, sessions = self.cohorts[key]
            enrolments.add(
                id=enrolment_id,
                cohort_id=cohort_id,
                candidate_id=pk,
                status=outcomes[outcome],
                created_at=started - DAY * 3,
                enrolled_at=started - DAY * 3,
                ended_at=ended,
            )
            last_day = timezone.localtime(ended).date() if ended else None
            diligence = self.rng.choice([0.97, 0.93, 0.9, 0.85, 0.7])
            for session_id, date in sessions:
                if last_day is not None and date > last_day:
                    continue
                roll = self.rng.random()
                marks.add(
                    session_id=session_id,
                    enrolment_id=enrolment_id,
                    status=AttendanceStatus.PRESENT
                    if roll < diligence
                    else AttendanceStatus.LATE
                    if roll < diligence + 0.03
                    else AttendanceStatus.EXCUSED
                    if roll < diligence + 0.06
                    else AttendanceStatus.ABSENT,
                    marked_at=self.now,
                )
            if outcome not in (S.TRAINED, S.VERIFIED):
                continue
            passed = outcome == S.TRAINED
            common = {
                "candidate_id": pk,
                "enrolment_id": enrolment_id,
                "kind": ResultKind.OFFICIAL,
                "taken_on": timezone.localtime(ended - DAY * self.rng.uniform(2, 10)).date(),
                "created_at": ended,
            }
            if country == "KR":
                reading = self.rng.randint(55, 95) if passed else self.rng.randint(20, 55)
                listening = self.rng.randint(50, 95) if passed else self.rng.randint(15, 55)
                results.add(
                    test="eps_topik",
                    reading=reading,
                    listening=listening,
                    score=reading + listening,
                    passed=passed,
                    **common,
                )
            else:
                score = self.rng.randint(200, 250) if passed else self.rng.randint(120, 199)
                results.add(
                    test="jft_basic",
                    score=score,
                    band=jft_band(score),
                    passed=score >= 200,
                    **common,
                )
        return {
            "enrolments": enrolments.write(),
            "attendance": marks.write(),
            "assessments": results.write(),
        }

    # --- placement, departure, protection ----------------------------------------------------
    def _order(self, country: str, pathway: str, job_code: str, when: datetime.datetime):
        from jalur.placement.models import JobOrder
        from jalur.placement.states import OrderStatus

        month = timezone.localtime(when).date().replace(day=1)
        spread = zlib.crc32(f"{pathway}{job_code}{month}".encode())
        agency = self.agencies[spread % len(self.agencies)]
        key = (agency.pk, pathway, job_code, month)
        if key not in self.orders:
            reference = (
                f"SIN-{agency.pk}-{self.pathways[pathway]}-{self.job_types[job_code]}-{month:%y%m}"
            )
            order, _created = JobOrder.objects.get_or_create(
                reference=reference,
                defaults={
                    "agency": agency,
                    "status": OrderStatus.APPROVED,
                    "employer_name": f"Pemberi kerja sintetis {month:%y%m}",
                    "employer_country": country,
                    "employer_city": "Tokyo" if country == "JP" else "Seoul",
                    "employer_sector": "Manufaktur",
                    "pathway_id": self.pathways[pathway],
                    "job_type_id": self.job_types[job_code],
                    "position_title": job_code,
                    "positions": 500,
                    "wage_amount": 210000 if country == "JP" else 2100000,
                    "wage_currency": "JPY" if country == "JP" else "KRW",
                    "hours_per_week": 40,
                    "contract_months": 36,
                    "deadline": month + datetime.timedelta(days=60),
                },
            )
            self.orders[key] = (order.pk, agency.pk, country)
        return self.orders[key]

    def _write_placement(self, pairs) -> dict[str, int]:
        from jalur.departure.models import CaseStatus, ChecklistItem, DepartureCase, ItemStatus
        from jalur.placement.models import Application, ApplicationOrigin
        from jalur.placement.states import ApplicationStatus
        from jalur.protection.models import Grievance, GrievanceCategory, GrievanceStatus

        selecting = [(pk, p) for pk, p in pairs if p.reached(S.SELECTION) and p.job_codes]
        application_ids = bulk.reserve_ids(Application, len(selecting))
        applications = bulk.Rows(Application, with_pk=True)
        placed = []
        for application_id, (pk, p) in zip(application_ids, selecting, strict=True):
            selected_at = p.reached(S.SELECTION)
            accepted_at = p.reached(S.PRE_DEPARTURE)
            order_id, agency_id, country = self._order(
                p.country, p.pathway, p.job_codes[0], selected_at
            )
            if accepted_at is None:
                status = (
                    ApplicationStatus.INTERVIEW_SCHEDULED
                    if p.stage == S.SELECTION
                    else ApplicationStatus.NOT_SELECTED
                )
            elif p.stage == S.WITHDRAWN:
                status = ApplicationStatus.WITHDRAWN
            else:
                status = ApplicationStatus.ACCEPTED
            applications.add(
                id=application_id,
                order_id=order_id,
                candidate_id=pk,
                status=status,
                origin=ApplicationOrigin.RECOMMENDED,
                interview_at=selected_at + DAY * 7
                if status == ApplicationStatus.INTERVIEW_SCHEDULED
                else None,
                status_changed_at=accepted_at or selected_at,
                created_at=selected_at,
            )
            if accepted_at is not None:
                placed.append((application_id, pk, p, agency_id, country))
        counts = {"applications": applications.write()}
        today = timezone.localdate(self.now)
        case_ids = bulk.reserve_ids(DepartureCase, len(placed))
        cases = bulk.Rows(DepartureCase, with_pk=True)
        items = bulk.Rows(ChecklistItem)
        grievances = bulk.Rows(Grievance)
        checker = self._checker()
        for case_id, (application_id, pk, p, agency_id, country) in zip(
            case_ids, placed, strict=True
        ):
            departed = p.reached(S.DEPARTED)
            status = (
                CaseStatus.DEPARTED
                if departed
                else CaseStatus.ENDED
                if p.stage == S.WITHDRAWN
                else CaseStatus.READY
                if p.stage == S.READY
                else CaseStatus.OPEN
            )
            preparing = status in (CaseStatus.OPEN, CaseStatus.READY)
            cases.add(
                id=case_id,
                application_id=application_id,
                candidate_id=pk,
                agency_id=agency_id,
                status=status,
                planned_departure_on=today + DAY * self.rng.randint(10, 90) if preparing else None,
                departed_on=timezone.localtime(departed).date() if departed else None,
                ended_reason="mengundurkan diri" if status == CaseStatus.ENDED else "",
                created_at=p.reached(S.PRE_DEPARTURE),
                updated_at=p.moves[-1][1],
            )
            for code, valid_days in CHECKLIST:
                missing = status == CaseStatus.OPEN and self.rng.random() < 0.3
                valid_until = None
                if valid_days and not missing:
                    # Some documents of people still preparing run out soon.
                    soon = preparing and self.rng.random() < 0.15
                    valid_until = today + DAY * (
                        self.rng.randint(5, 59) if soon else self.rng.randint(60, valid_days)
                    )
                items.add(
                    case_id=case_id,
                    code=code,
                    status=ItemStatus.MISSING if missing else ItemStatus.VERIFIED,
                    valid_until=valid_until,
                    checked_at=None if missing else self.now,
                    checked_by_id=None if missing else checker,
                )
            if status == CaseStatus.DEPARTED and self.rng.random() < 0.03:
                opened = self.now - DAY * self.rng.uniform(1, 200)
                closed = self.rng.random() < 0.7
                grievances.add(
                    number=f"SIN-{pk:09d}",
                    reporter_kind="family",
                    reporter_name="Keluarga sintetis",
                    candidate_id=pk,
                    worker_name="Sintetis",
                    worker_country=country,
                    category=self.rng.choice(GrievanceCategory.values),
                    description="Pengaduan sintetis.",
                    status=GrievanceStatus.CLOSED
                    if closed
                    else self.rng.choice(
                        [GrievanceStatus.ASSIGNED, GrievanceStatus.CLARIFICATION_1]
                    ),
                    due_at=None if closed else opened + DAY * 7,
                    opened_at=opened,
                    closed_at=opened + DAY * 20 if closed else None,
                    closing_reason="resolved" if closed else "",
                )
        counts["departure_cases"] = cases.write()
        counts["checklist_items"] = items.write()
        counts["grievances"] = grievances.write()
        return counts

    def _checker(self) -> int:
        """The (inactive) office account that 'verified' synthetic checklist items."""
        if not hasattr(self, "_checker_id"):
            from jalur.accounts.models import User
            from jalur.accounts.roles import Role

            office = self._organisation(
                OrganisationKind.LABOUR_OFFICE, "sintetis-disnaker", "Disnakertrans (sintetis)"
            )
            user, _created = User.objects.get_or_create(
                username="sintetis-pemeriksa",
                defaults={"role": Role.VERIFIER, "organisation": office, "is_active": False},
            )
            self._checker_id = user.pk
        return self._checker_id


# Checklist items of a synthetic departure case, and how many days a fresh one stays valid.
CHECKLIST = [
    ("medical", 180),
    ("passport", 1800),
    ("bpjs", 900),
    ("skck", 180),
    ("placement_agreement", None),
    ("employment_contract", None),
    ("family_permission", None),
]
