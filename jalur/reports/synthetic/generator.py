"""The generator: reference data, then batches of people and the rows their journeys leave."""

import contextlib
import datetime
import time
from collections.abc import Callable

import numpy as np
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from jalur.accounts.models import Organisation
from jalur.candidates.document_state import required_types, stages_from
from jalur.candidates.models import Candidate, Education, RegistrationChannel, Sex, StageHistory
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.regions.models import District, Village

from .. import bulk
from . import journey, placement, training
from .columns import (
    NO_DAY,
    Choice,
    Day,
    Flag,
    Int,
    Moment,
    Serial,
    commit,
    in_parallel,
    indexes_deferred,
    micros,
    write,
    writer_thread,
)
from .journey import CODE, DAY_S, STAGES, S

NIK_PREFIX = "98"
# From this many people on, the big tables' plain indexes are built once after the load.
INDEXES_DEFERRED_FROM = 100_000

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
AGES = [18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 32, 34, 36, 39, 43]
EDUCATIONS = [Education.SMP, Education.SMA, Education.SMA, Education.SMK, Education.SMK]
COUNTRIES = ["", "JP", "KR"]


class Generator:
    def __init__(
        self,
        *,
        seed: int = 7,
        months: int = 24,
        sessions: int = 12,
        national: bool = False,
        now: datetime.datetime | None = None,
        log: Callable[[str], None] = lambda _text: None,
    ):
        self.rng = np.random.default_rng(seed)
        self.months = months
        self.sessions = sessions
        self.national = national
        self.now = now or timezone.now()
        self.now_s = self.now.timestamp()
        # Asia/Jakarta keeps one offset all year: local days are UTC seconds shifted by it.
        offset = timezone.get_default_timezone().utcoffset(self.now.replace(tzinfo=None))
        self.offset_s = offset.total_seconds()
        self.today = timezone.localdate(self.now)
        self.today_d = (self.today - datetime.date(1970, 1, 1)).days
        self.log = log
        self.cohorts: dict[tuple, tuple] = {}
        self.orders: dict[tuple, tuple] = {}

    def local_day(self, seconds: np.ndarray) -> np.ndarray:
        """The day (since 1970) in the installation's time zone of each moment."""
        return np.floor((seconds + self.offset_s) / DAY_S).astype(np.int64)

    # --- reference data -------------------------------------------------------------------------
    def _prepare(self, n: int) -> None:
        villages: dict[str, list[str]] = {}
        for code, district in Village.objects.values_list("code", "district_id"):
            villages.setdefault(district, []).append(code)
        if self.national:
            # Every kecamatan loaded (`load_regions`), weighted unevenly as populations are.
            districts = sorted(District.objects.values_list("code", flat=True)) or [""]
            weights = np.random.default_rng(1).lognormal(0, 1, len(districts))
            weights = [DISTRICT_WEIGHTS.get(d, w) for d, w in zip(districts, weights, strict=True)]
        else:
            districts = [d for d in DISTRICT_WEIGHTS if d in villages] or [""]
            weights = [DISTRICT_WEIGHTS.get(d, 1) for d in districts]
        self.districts = districts
        self.district_p = np.array(weights, dtype=float) / sum(weights)
        # villages of each district as one table: labels, and each district's slice of them
        self.village_labels = [None]
        self.village_slices = np.zeros((len(districts), 2), dtype=np.int64)
        for i, district in enumerate(districts):
            codes = villages.get(district, [])
            self.village_slices[i] = (len(self.village_labels), len(codes))
            self.village_labels += codes
        self.pathways = dict(Pathway.objects.values_list("code", "pk"))
        self.job_types = dict(JobType.objects.values_list("code", "pk"))
        self.aims = [a for a in AIMS if not a[1] or a[1] in self.pathways]
        self.aim_p = np.array([a[3] for a in self.aims], dtype=float)
        self.aim_p /= self.aim_p.sum()
        self.pathway_country = {a[1]: a[0] for a in self.aims if a[1]}
        self.job_codes = sorted({code for a in self.aims for code in a[2]})
        self.training = apps.is_installed("jalur.training")
        self.placement = apps.is_installed("jalur.placement") and apps.is_installed(
            "jalur.departure"
        )
        if self.training:
            training.prepare(self, n)
        if self.placement:
            placement.prepare(self, n)

    def organisation(self, kind: str, code: str, name: str) -> Organisation:
        organisation, _created = Organisation.objects.get_or_create(
            code=code, defaults={"kind": kind, "name": name}
        )
        return organisation

    def members(self, model, kind: str, count: int, names: tuple[str, str], defaults) -> list:
        """`count` providers or agencies, each with its own organisation (made once)."""
        code, name = names
        made = []
        for i in range(count):
            organisation = self.organisation(kind, f"{code}-{i + 1}", f"{name} {i + 1}")
            member, _created = model.objects.get_or_create(
                organisation=organisation, defaults=defaults(i)
            )
            made.append(member)
        return made

    def _checker(self) -> int:
        """The (inactive) office account that 'verified' synthetic checklist items."""
        if not hasattr(self, "_checker_id"):
            self._checker_id = placement.checker(self)
        return self._checker_id

    # --- people -----------------------------------------------------------------------------------
    def people(self, n: int) -> dict:
        """A batch of people: who they are, what they aim for and how far they have walked."""
        rng = self.rng
        span = self.months * 30.4
        # More people register as the programme becomes known: later dates are likelier.
        created = self.now_s - DAY_S * span * (1 - rng.random(n) ** 0.8) - DAY_S * rng.random(n)
        age = np.array(AGES)[rng.integers(0, len(AGES), n)]
        birth_s = created - DAY_S * (age * 365.25 + rng.uniform(0, 364, n))
        district = rng.choice(len(self.districts), n, p=self.district_p)
        first, size = self.village_slices[district].T
        village = np.where(size > 0, first + (rng.random(n) * size).astype(np.int64), 0)
        aim = rng.choice(len(self.aims), n, p=self.aim_p)
        job = np.full(n, -1, dtype=np.int64)
        pathway = np.full(n, -1, dtype=np.int64)
        country = np.zeros(n, dtype=np.int64)
        pathway_codes = sorted(self.pathways)
        for i, (aim_country, aim_pathway, jobs, _weight) in enumerate(self.aims):
            mine = aim == i
            country[mine] = COUNTRIES.index(aim_country)
            if aim_pathway:
                pathway[mine] = pathway_codes.index(aim_pathway)
            if jobs:
                picks = np.array([self.job_codes.index(j) for j in jobs])
                job[mine] = picks[rng.integers(0, len(jobs), int(mine.sum()))]
        walked = journey.walk(rng, created, pathway >= 0, self.now_s)
        return {
            "n": n,
            "created": created,
            "female": rng.random(n) < 0.46,
            "birth_d": np.floor(birth_s / DAY_S).astype(np.int64),
            "district": district,
            "village": village,
            "country": country,
            "pathway": pathway,
            "pathway_codes": pathway_codes,
            "job": job,
            "walk": walked,
        }

    # --- writing ------------------------------------------------------------------------------
    def run(self, n: int, *, batch: int = 200_000, minutes: float | None = None) -> dict:
        """Make n people in batches of `batch` (one transaction each); with `minutes`, stop
        starting new batches once that time has passed (the people made so far stay)."""
        deadline = time.monotonic() + 60 * minutes if minutes else None
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
        deferred = indexes_deferred(self.tables(), self.log) if n >= INDEXES_DEFERRED_FROM else None
        with deferred or contextlib.nullcontext(), writer_thread(_fast_session) as threaded:
            while made < n and (deadline is None or time.monotonic() < deadline):
                size = min(batch, n - made)
                people = self.people(size)
                if threaded:
                    counts = self._write(people, serial)
                    commit()
                else:
                    with transaction.atomic():
                        if connection.vendor == "postgresql":
                            _fast_session()
                        counts = self._write(people, serial)
                for key, value in counts.items():
                    totals[key] = totals.get(key, 0) + value
                serial += size
                made += size
                self.log(f"{made:,} / {n:,}")
        if connection.vendor == "postgresql":
            analyze = [f"ANALYZE {bulk.table_of(model)}" for model in self.tables()]
            in_parallel(analyze, self.log)
        return totals

    def tables(self) -> list:
        """The models whose tables grow with the number of people."""
        models = [
            Candidate,
            Candidate.preferred_job_types.through,
            StageHistory,
            PathwayAssignment,
        ]
        if self.training:
            models += training.tables()
        if self.placement:
            models += placement.tables()
        return models

    def _write(self, p: dict, serial: int) -> dict[str, int]:
        n, rng, w = p["n"], self.rng, p["walk"]
        ids = bulk.reserve_block(Candidate, n) + np.arange(n)
        numbers = serial + 1 + np.arange(n)
        stage, last_at = w.current()
        p["ids"], p["stage"], p["last_at"] = ids, stage, last_at
        # a pathway is set two days before training starts; it ends when the person stops
        trained = w.reached(S.TRAINING)
        assigned = (p["pathway"] >= 0) & ~np.isnan(trained)
        stopped = np.isin(stage, [CODE[S.WITHDRAWN], CODE[S.REJECTED]])
        # no documents are written: whoever is in a stage that needs one misses it since the move
        due = np.isin(stage, [CODE[s] for t in required_types() for s in stages_from(t.stage)])
        counts = {
            "candidates": write(
                Candidate,
                {"consent_version": "sintetis"},
                id=Int(ids),
                nik=Serial(numbers, NIK_PREFIX, 14),
                full_name=Serial(numbers, "Sintetis ", 7),
                birth_date=Day(p["birth_d"]),
                sex=Choice(p["female"].astype(np.int64), [Sex.MALE, Sex.FEMALE]),
                district_id=Choice(p["district"], [d or None for d in self.districts]),
                village_id=Choice(p["village"], self.village_labels),
                education_level=Choice(rng.integers(0, len(EDUCATIONS), n), EDUCATIONS),
                preferred_countries=Choice(p["country"], [[c] if c else [] for c in COUNTRIES]),
                stage=Choice(stage, STAGES),
                stage_changed_at=Moment(micros(last_at)),
                channel=Choice(
                    (rng.random(n) >= 0.7).astype(np.int64),
                    [RegistrationChannel.SELF, RegistrationChannel.WALK_IN],
                ),
                consent_at=Moment(micros(p["created"])),
                created_at=Moment(micros(p["created"])),
                updated_at=Moment(micros(last_at)),
                has_pathway=Flag(assigned & ~stopped),
                documents_due_on=Day(np.where(due, self.local_day(last_at), NO_DAY)),
            )
        }
        chose = p["job"] >= 0
        job_type_ids = np.array([self.job_types[c] for c in self.job_codes] or [0])
        write(
            Candidate.preferred_job_types.through,
            candidate_id=Int(ids[chose]),
            jobtype_id=Int(job_type_ids[p["job"][chose]]),
        )
        moved = np.arange(journey.MOVES_MAX)[None, :] < w.count[:, None]
        before = np.concatenate([np.full((n, 1), -1), w.stages[:, :-1]], axis=1)
        counts["history"] = write(
            StageHistory,
            candidate_id=Int(np.broadcast_to(ids[:, None], moved.shape)[moved]),
            from_stage=Choice((before[moved] + 1).astype(np.int64), ["", *STAGES]),
            to_stage=Choice(w.stages[moved].astype(np.int64), STAGES),
            created_at=Moment(micros(w.times[moved])),
        )
        ended = stopped[assigned]
        pathway_ids = np.array([self.pathways[c] for c in p["pathway_codes"]])
        counts["assignments"] = write(
            PathwayAssignment,
            candidate_id=Int(ids[assigned]),
            pathway_id=Int(pathway_ids[p["pathway"][assigned]]),
            job_type_id=Int(np.where(chose, job_type_ids[np.maximum(p["job"], 0)], -1)[assigned]),
            is_active=Flag(~ended),
            assigned_at=Moment(micros(trained[assigned] - 2 * DAY_S)),
            ended_at=Moment(micros(np.where(ended, last_at[assigned], np.nan))),
            end_reason=Choice(ended.astype(np.int64), ["", "mengundurkan diri"]),
        )
        if self.training:
            counts |= training.write(self, p)
        if self.placement:
            counts |= placement.write(self, p)
        return counts


def _fast_session() -> None:
    """Inside the batch's transaction on PostgreSQL: synthetic rows need not wait for the disk at
    each commit, and, for a superuser, the foreign keys (made consistent here by construction)
    are not checked row by row."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role TO replica")
