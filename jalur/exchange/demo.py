"""Demo rows for the tables the other demos leave empty, so the whole-programme round trip
(tests/test_round_trip.py) carries a row of every table. Runs last (exchange is the last app);
each piece goes through the service the pages use and is made only once."""

import datetime
import json

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.accounts.two_factor import recovery_codes_renew
from jalur.candidates.importing import import_job_create, import_job_run
from jalur.candidates.models import Candidate, ConsentText, DocumentType, ImportJob, Sex
from jalur.candidates.spreadsheets import import_template
from jalur.candidates.stages import Stage
from jalur.crisis.models import UrgentCase
from jalur.crisis.services import urgent_open
from jalur.departure.models import CaseStatus, ChecklistItem, ContractReview, ItemStatus
from jalur.departure.services import item_submit
from jalur.departure.services.checklist import contract_terms
from jalur.departure.siskop2mi.models import Reconciliation
from jalur.departure.siskop2mi.services import reconciliation_create
from jalur.notifications.inbound import inbound_receive
from jalur.notifications.inbound import parse as inbound_parse
from jalur.notifications.models import InboundMessage
from jalur.placement.demo import ONE_PAGE_PDF
from jalur.placement.matching.inputs import open_orders
from jalur.placement.matching.services import matching_run_start
from jalur.placement.models import (
    Agency,
    AgencySuspension,
    MatchingRun,
    PermitChange,
    RecruitmentPermit,
)
from jalur.placement.services import agency_suspend, agency_suspension_lift, permit_change_request
from jalur.privacy.breaches import breach_save
from jalur.privacy.consent import consent_answer
from jalur.privacy.models import Anonymisation, Breach, ConsentAnswer, RightsRequest
from jalur.privacy.requests import rectification_request
from jalur.privacy.services import candidate_anonymise
from jalur.protection.models import (
    CheckInEscalation,
    FamilyNoticeConsent,
    Grievance,
    GrievanceEvidence,
    ReporterKind,
)
from jalur.protection.selectors import checkin_interval, checkin_since
from jalur.protection.services.checkins import checkin_escalate, family_notice_consent_set
from jalur.protection.services.grievances import grievance_add_evidence
from jalur.rules.checkins import REMIND_DAYS_BEFORE
from jalur.rules.identity import nik_build
from jalur.training.models import Cohort, EnrolmentProposal
from jalur.training.services.proposals import enrolment_propose


def _first(role: str) -> User | None:
    return User.objects.filter(role=role, is_active=True).order_by("pk").first()


def _recovery_codes(manager: User) -> None:
    """The manager printed their ten single-use recovery codes."""
    if not StaticDevice.objects.exists():
        recovery_codes_renew(user=manager)


def _admin_log(admin: User) -> None:
    """The administrator corrected a document type's description in /admin/."""
    if LogEntry.objects.exists():
        return
    kind = DocumentType.objects.order_by("pk").first()
    LogEntry.objects.log_actions(
        admin.pk,
        [kind],
        CHANGE,
        change_message=[{"changed": {"fields": ["Keterangan"]}}],
        single_object=True,
    )


def _breach(manager: User) -> None:
    """A laptop with an unencrypted attendance sheet was lost and recorded in the breach register."""
    if Breach.objects.exists():
        return
    found = timezone.now() - datetime.timedelta(hours=30)
    breach_save(
        breach=None,
        data={
            "discovered_at": found,
            "description": "Laptop staf LPK berisi daftar hadir (nama, nomor HP) hilang di angkot.",
            "data_kinds": "nama, nomor HP",
            "people_affected": 24,
            "risk": Breach.Risk.LOW,
            "actions": "Kata sandi akun staf diganti; peserta diberi tahu lewat kotak masuk.",
            "people_notified_at": found + datetime.timedelta(hours=20),
        },
        actor=manager,
    )


def _urgent_case(manager: User) -> None:
    """The family called the office: a worker in Japan is in hospital."""
    if UrgentCase.objects.exists():
        return
    worker = Candidate.objects.filter(stage=Stage.DEPARTED).order_by("pk").first()
    if worker is not None:
        urgent_open(
            candidate=worker,
            kind=UrgentCase.Kind.ILLNESS,
            words="Ibu pekerja menelepon: anaknya dirawat di rumah sakit di Aichi sejak kemarin.",
            actor=manager,
        )


def _rectification() -> None:
    """A job seeker asked, with a scan of their KK, for their street to be corrected."""
    if RightsRequest.objects.exists():
        return
    person = (
        Candidate.objects.filter(stage=Stage.REGISTERED, user__isnull=False).order_by("pk").first()
    )
    if person is not None:
        rectification_request(
            candidate=person,
            actor=person.user,
            field="street",
            value=f"{person.street} (RT sesuai KK)",
            note="Alamat di KK baru berbeda.",
            evidence=_pdf("kk.pdf"),
        )


def _suspension(manager: User) -> None:
    """A P3MI was suspended for a week after a late report, then reinstated."""
    if AgencySuspension.objects.exists():
        return
    agency = Agency.objects.order_by("-pk").first()
    if agency is None:
        return
    today = timezone.localdate()
    suspension = agency_suspend(
        actor=manager,
        agency=agency,
        starts_on=today - datetime.timedelta(days=40),
        reason="Laporan penempatan triwulan terlambat.",
        reference="B/123/DISNAKER/2026",
    )
    agency_suspension_lift(
        actor=manager,
        suspension=suspension,
        lifted_on=today - datetime.timedelta(days=33),
        reason="Laporan sudah diserahkan.",
    )


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ONE_PAGE_PDF, content_type="application/pdf")


def _import_trial(manager: User) -> None:
    """The manager tried the Excel template in a dry run (nothing saved; the job and its report
    are kept)."""
    if ImportJob.objects.exists():
        return
    upload = SimpleUploadedFile("templat-impor-pencaker.xlsx", import_template())
    job = import_job_create(upload=upload, actor=manager, dry_run=True)
    import_job_run(job_id=job.pk)


def _worker_answers() -> None:
    """A worker abroad agreed that their family may be told of two missed check-ins, and a job
    seeker answered the current consent text again."""
    worker = Candidate.objects.filter(stage=Stage.DEPARTED, user__isnull=False).order_by("pk")
    worker = worker.first()
    if worker is not None and not FamilyNoticeConsent.objects.exists():
        family_notice_consent_set(candidate=worker, agreed=True, actor=worker.user)
    person = Candidate.objects.filter(stage=Stage.VERIFIED, user__isnull=False).order_by("pk")
    person = person.first()
    current = ConsentText.objects.filter(is_current=True).first()
    if person is not None and current is not None and not ConsentAnswer.objects.exists():
        consent_answer(candidate=person, consent=current, agreed=True, actor=person.user)


def _grievance_evidence(manager: User) -> None:
    """The office added the agency's written answer to a complaint."""
    grievance = Grievance.objects.order_by("pk").first()
    if grievance is not None and not GrievanceEvidence.objects.exists():
        grievance_add_evidence(
            grievance=grievance,
            upload=_pdf("jawaban-p3mi.pdf"),
            uploaded_by_kind=ReporterKind.STAFF,
            actor=manager,
        )


def _permit_change() -> None:
    """A P3MI asked for a larger SIP2MI quota, with the new permit's scan; the office has not
    decided yet."""
    permit = RecruitmentPermit.objects.select_related("agency").order_by("pk").first()
    if permit is None or PermitChange.objects.exists():
        return
    staff = User.objects.filter(organisation=permit.agency.organisation_id).order_by("pk").first()
    permit_change_request(
        actor=staff,
        permit=permit,
        quota=permit.quota + 20,
        issued_on=permit.issued_on,
        valid_until=permit.valid_until,
        document=_pdf("sip2mi-baru.pdf"),
        note="Kuota ditambah oleh BP3MI.",
    )


def _reply_from_abroad() -> None:
    """A worker abroad answered a message through the phone gateway (signed webhook)."""
    worker = Candidate.objects.filter(stage=Stage.DEPARTED).order_by("pk").first()
    if worker is None or InboundMessage.objects.exists():
        return
    body = {
        "id": "demo-1",
        "from": worker.phone_abroad or worker.phone,
        "text": "Terima kasih, saya sehat dan sudah mulai bekerja.",
        "provider": "demo",
    }
    inbound_receive(fields=inbound_parse(json.dumps(body).encode()))


def _matching_run(manager: User) -> None:
    """The manager matched the open orders programme-wide (stable matching)."""
    if MatchingRun.objects.exists():
        return
    orders = list(open_orders(timezone.localdate()))
    if orders:
        matching_run_start(actor=manager, orders=orders, settings={"method": "stable"})


def _anonymised(manager: User) -> None:
    """A person rejected long ago, past the retention period, anonymised. A copy of the first rejected
    demo person without a log-in, so the people seed_demo makes stay as it made them (anonymising
    one of them would have it made again on the next run)."""
    person = Candidate.objects.filter(stage=Stage.REJECTED).order_by("pk").first()
    if person is None or Anonymisation.objects.exists():
        return
    copy = Candidate.objects.get(pk=person.pk)
    copy.pk = None
    copy._state.adding = True
    copy.user = None
    copy.nik = nik_build(
        district_code=person.district_id,
        birth_date=person.birth_date,
        female=person.sex == Sex.FEMALE,
        serial=990,
    )
    copy.save()
    candidate_anonymise(
        candidate=copy, actor=manager, reason="Masa simpan data sudah lewat (demo)."
    )


def _proposal() -> None:
    """A training provider proposed a person for its planned cohort: the first the enrolment
    rules accept (age, pathway, not already waiting), for the manager to decide."""
    if EnrolmentProposal.objects.exists():
        return
    for cohort in Cohort.objects.select_related("provider").order_by("pk"):
        if cohort.status() != "planned":
            continue
        staff = User.objects.filter(organisation=cohort.provider.organisation_id).first()
        people = Candidate.objects.filter(stage__in=[Stage.VERIFIED, Stage.TRAINING])
        for person in people.order_by("pk")[:20]:
            try:
                enrolment_propose(cohort=cohort, candidate=person, actor=staff)
            except ValidationError:
                continue
            return


def _contract_review() -> None:
    """A P3MI uploaded a signed contract with a higher wage than offered: the difference waits
    for the office's decision (the round-trip test decides it on the new instance)."""
    if ContractReview.objects.exists():
        return
    item = (
        ChecklistItem.objects.filter(
            case__status=CaseStatus.OPEN, code="employment_contract", status=ItemStatus.MISSING
        )
        .select_related("case")
        .order_by("case_id")
        .first()
    )
    if item is None:
        return
    case = item.case
    terms = contract_terms(case.application)
    staff = User.objects.filter(organisation=case.agency.organisation_id).order_by("pk").first()
    item_submit(
        item=item,
        data={
            "employer": terms.employer,
            "position": terms.position,
            "wage": terms.wage + 10000,
            "currency": terms.currency,
            "hours_per_week": terms.hours_per_week,
            "contract_months": terms.contract_months,
            "signed_on": timezone.localdate() - datetime.timedelta(days=2),
        },
        document=_pdf("perjanjian-kerja.pdf"),
        actor=staff,
    )


def _reconciliation(manager: User) -> None:
    """The office loaded a SISKOP2MI export: one worker abroad, spelled differently there, and a
    worker SISKOP2MI has that Jalur does not."""
    worker = Candidate.objects.filter(stage=Stage.DEPARTED).order_by("pk").first()
    if worker is None or Reconciliation.objects.exists():
        return
    lines = [
        "NIK,Nama,Negara,Status",
        f"{worker.nik},{worker.full_name.upper()},Jepang,Penempatan",
        "3673019912880001,SITI AMINAH,Taiwan,Penempatan",
    ]
    upload = SimpleUploadedFile(
        "siskop2mi-ekspor.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv"
    )
    reconciliation_create(upload=upload, actor=manager)


def _checkin_escalation() -> None:
    """A worker abroad was reminded that their monthly check-in falls due in a few days."""
    if CheckInEscalation.objects.exists():
        return
    worker = (
        Candidate.objects.filter(stage=Stage.DEPARTED)
        .annotate(since=checkin_since())
        .order_by("since", "pk")
        .first()
    )
    if worker is None:
        return
    due = timezone.localdate(worker.since) + checkin_interval()
    reminder_day = due - datetime.timedelta(days=REMIND_DAYS_BEFORE)
    checkin_escalate(candidate=worker, due_on=due, today=max(timezone.localdate(), reminder_day))


def seed(ctx: dict) -> None:
    manager, admin = _first(Role.PROGRAMME_MANAGER), _first(Role.SYSADMIN)
    if manager is None or admin is None:
        return
    _recovery_codes(manager)
    _admin_log(admin)
    _breach(manager)
    _urgent_case(manager)
    _rectification()
    _suspension(manager)
    _import_trial(manager)
    _worker_answers()
    _grievance_evidence(manager)
    _permit_change()
    _reply_from_abroad()
    _matching_run(manager)
    _anonymised(manager)
    _proposal()
    _contract_review()
    _reconciliation(manager)
    _checkin_escalation()
