"""Every URL that takes an object, as every role, with objects of organisation A and users of B.

The companion of test_access_matrix.py (which covers the URLs without arguments). The URL
configuration is walked the same way: a URL pattern with arguments that has no entry in SAMPLES
fails `test_every_url_with_arguments_has_a_sample`, so a new view cannot escape the matrix.

The world: organisation A is the office, training provider A, agency A and candidate A (a person
with their own log-in, trained by A, placed through A, preparing to leave, with a grievance) and a
worker agency A sent abroad. Organisation B is provider B, agency B and candidate B, each with the
same objects of their own. Every sample URL points at an object of A; it is requested
- anonymously: the log-in page (public views: 200 or 404 as designed, and no personal data);
- by B's training staff, agency staff and candidate: never a success (403 or 404; a POST-only view
  answering 405 to GET is also sent an empty POST, which must be refused too);
- by every role of A and the office: 403 when the role lacks the view's capability; for @login_only
  views (which scope by themselves) only the roles in LOGIN_ONLY_ALLOWED may open A's object;
  otherwise 200, 302 or 405.
As a control, B's users open B's own objects with the outcome A's users get on A's.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from jalur.accounts.roles import CAPABILITIES, OrganisationKind, Role
from jalur.accounts.tests.factories import OrganisationFactory, UserFactory
from jalur.candidates.models import DocumentType, DuplicateFlag, ImportJob
from jalur.candidates.services import document_upload
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.core.tests.test_access_matrix import ALL_VIEWS
from jalur.crisis import services as crisis_services
from jalur.departure import services as departure_services
from jalur.departure.models import CaseStatus, ContractReview, DepartureCase, FeeEntry
from jalur.departure.tests.conftest import accept, make_agency, make_order
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.placement import services as placement_services
from jalur.placement.demo import ONE_PAGE_PDF
from jalur.placement.models import Agreement, AgreementKind, JobOrderCost
from jalur.protection import services as protection_services
from jalur.protection.models import CheckInEscalation, ReporterKind
from jalur.training.models import (
    Assessment,
    Certificate,
    CostItem,
    Enrolment,
    EnrolmentStatus,
    ResultKind,
    ScaleSetting,
    TrainingCost,
)
from jalur.training.scales import Test as ScaleTest
from jalur.training.tests.factories import (
    CohortFactory,
    ProgrammeFactory,
    ProviderFactory,
    SessionFactory,
)

PDF = ONE_PAGE_PDF  # the upload check opens PDFs with qpdf: a real one has a page
LOGIN = "/masuk/"

ARG_VIEWS = {
    name: pattern
    for name, pattern in ALL_VIEWS
    if name and (pattern.pattern.converters or "<" in str(pattern.pattern))
}

A_SIDE = ("sysadmin", "manager", "officer", "verifier", "leader", "trainer", "agent", "candidate")
B_SIDE = ("trainer_b", "agent_b", "candidate_b")


# ----------------------------------------------------------------------------------------------
# The world: two of everything, built once per module inside a transaction that is rolled back.
# ----------------------------------------------------------------------------------------------


def _pdf(name="berkas.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _people():
    office = OrganisationFactory(kind=OrganisationKind.LABOUR_OFFICE, code="disnaker")
    provider = OrganisationFactory(kind=OrganisationKind.TRAINING_PROVIDER, code="lpk-a")
    provider_b = OrganisationFactory(kind=OrganisationKind.TRAINING_PROVIDER, code="lpk-b")
    agency = OrganisationFactory(kind=OrganisationKind.PLACEMENT_AGENCY, code="p3mi-a")
    agency_b = OrganisationFactory(kind=OrganisationKind.PLACEMENT_AGENCY, code="p3mi-b")
    users = {
        "sysadmin": UserFactory(
            role=Role.SYSADMIN, organisation=office, is_staff=True, is_superuser=True
        ),
        "manager": UserFactory(role=Role.PROGRAMME_MANAGER, organisation=office),
        "officer": UserFactory(role=Role.REGISTRATION_OFFICER, organisation=office),
        "verifier": UserFactory(role=Role.VERIFIER, organisation=office),
        "leader": UserFactory(role=Role.LEADERSHIP, organisation=office),
        "trainer": UserFactory(role=Role.TRAINING_STAFF, organisation=provider),
        "agent": UserFactory(role=Role.AGENCY_STAFF, organisation=agency),
        "candidate": UserFactory(role=Role.CANDIDATE, organisation=None),
        "trainer_b": UserFactory(role=Role.TRAINING_STAFF, organisation=provider_b),
        "agent_b": UserFactory(role=Role.AGENCY_STAFF, organisation=agency_b),
        "candidate_b": UserFactory(role=Role.CANDIDATE, organisation=None),
    }
    organisations = {"provider": provider, "provider_b": provider_b, "agency": agency}
    return {**organisations, "agency_b": agency_b}, users


class World(dict):
    __getattr__ = dict.__getitem__


def _side(world, suffix, *, provider_org, agency_org, candidate_user, programme):
    """One organisation's objects: the candidate trained, placed and preparing to leave, with a
    document, a certificate, a departure case and a grievance; and a worker the agency sent."""
    lpk = ProviderFactory(organisation=provider_org)
    cohort = CohortFactory(provider=lpk, programme=programme, capacity=5)
    session = SessionFactory(cohort=cohort)
    candidate = CandidateFactory(stage=Stage.PRE_DEPARTURE, user=candidate_user)
    PathwayAssignment.objects.create(
        candidate=candidate,
        pathway=Pathway.objects.get(code="jp-ssw-p2p"),
        job_type=JobType.objects.get(code="industrial"),
    )
    enrolment = Enrolment.objects.create(
        cohort=cohort, candidate=candidate, status=EnrolmentStatus.COMPLETED
    )
    assessment = Assessment.objects.create(
        candidate=candidate,
        enrolment=enrolment,
        test=ScaleTest.JFT_BASIC,
        kind=ResultKind.OFFICIAL,
        taken_on=timezone.localdate() - datetime.timedelta(days=3),
        score=220,
        passed=True,
    )
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number=f"SERT-{suffix}-1",
        token=f"token-{suffix}-0123456789",
        holder_name=candidate.full_name,
        programme_name=programme.name,
        hours=programme.hours,
        provider_name=str(lpk),
        result="Lulus",
        issued_on=timezone.localdate(),
    )
    cost = TrainingCost.objects.create(
        cohort=cohort, item=CostItem.values[0], amount=Decimal("150000")
    )
    document_type = DocumentType.objects.filter(is_active=True).order_by("pk").first()
    document = document_upload(
        candidate=candidate,
        document_type=document_type,
        upload=_pdf("ktp.pdf"),
        actor=world.users["officer"],
    )
    # placement: the agency, its PKS, an approved order and the candidate's accepted application
    p3mi = make_agency(agency_org)
    pks = Agreement.objects.create(
        kind=AgreementKind.PKS,
        number=f"PKS/{suffix}/2026",
        title="PKS penempatan",
        parties=f"Pemerintah Kota Serang\n{agency_org.name}",
        agency=p3mi,
        mou=world.mou,
        signed_on=timezone.localdate() - datetime.timedelta(days=200),
        starts_on=timezone.localdate() - datetime.timedelta(days=200),
        ends_on=timezone.localdate() + datetime.timedelta(days=500),
        countries=["JP"],
        document=_pdf("pks.pdf"),
    )
    order = make_order(p3mi, reference=f"JO-{suffix}")
    order.attache_content_type = "application/pdf"
    order.attache_document.save("atase.pdf", ContentFile(PDF))
    application = accept(order, candidate=candidate)
    # departure: the case with its checklist, passport custody, fee, contract review, group
    agent = world.users["agent" if suffix == "a" else "agent_b"]
    case = departure_services.case_open(application=application, actor=agent)
    custody = departure_services.passport_handover(
        case=case,
        holder_kind="agency",
        holder_name="Staf P3MI",
        purpose="Pengurusan visa",
        handed_over_on=timezone.localdate(),
        actor=agent,
    )
    fee = departure_services.fee_record(
        case=case,
        data={
            "item": "ticket",
            "amount": Decimal("3500000"),
            "paid_by": "agency",
            "state": FeeEntry.State.PAID,
            "paid_on": timezone.localdate(),
        },
        proof=_pdf("kuitansi.pdf"),
        actor=agent,
    )
    departure_services.no_fee_record(
        case=case, occasion="contract", signed_on=timezone.localdate(), actor=agent
    )
    item = departure_services.item_submit(
        item=case.items.get(code="family_permission"),
        data={"signed_by": "Ibu Sari", "relation": "ibu"},
        document=_pdf("izin-keluarga.pdf"),
        actor=agent,
    )
    contract = ContractReview.objects.create(case=case, differences={})
    # the order's worker-paid "Lainnya" line (the office decides it) and a change to its SIP2MI
    order_cost = JobOrderCost.objects.create(
        order=order, item="other", description="Kursus bahasa", amount=0, paid_by="worker"
    )
    permit_change = placement_services.permit_change_request(
        actor=agent,
        permit=order.permit,
        quota=order.permit.quota + 10,
        issued_on=timezone.localdate(),
        valid_until=timezone.localdate() + datetime.timedelta(days=365),
        document=_pdf("sip2mi-baru.pdf"),
    )
    group = departure_services.group_create(
        agency=p3mi,
        country="JP",
        departs_on=timezone.localdate() + datetime.timedelta(days=20),
        flight="GA 874",
        airport="CGK",
        actor=agent,
    )
    # protection: a departed worker placed by this agency, and a grievance about them
    worker = CandidateFactory(stage=Stage.DEPARTED)
    worker_order = make_order(p3mi, reference=f"JO-{suffix}-W")
    worker_case = departure_services.case_open(
        application=accept(worker_order, candidate=worker), actor=agent
    )
    DepartureCase.objects.filter(pk=worker_case.pk).update(status=CaseStatus.READY)
    escalation = CheckInEscalation.objects.create(  # a missed check-in the P3MI must answer
        candidate=worker,
        due_on=timezone.localdate() - datetime.timedelta(days=10),
        level="agency_told",
        agency=agency_org,
        agency_told_at=timezone.now(),
        agency_answer_due=timezone.localdate() + datetime.timedelta(days=7),
    )
    # crisis: that worker's SOS, with the step their P3MI must do
    urgent, _new = crisis_services.sos_open(candidate=worker, words="tolong", via="reply")
    urgent_step = urgent.steps.get(code="agency_contact")
    grievance, secret = protection_services.grievance_open(
        reporter_kind=ReporterKind.FAMILY,
        reporter_name="Ibu Sari",
        reporter_phone="0812-3456-7890",
        category="wages",
        description="Gaji belum dibayar dua bulan.",
        candidate=candidate,
        agency=agency_org,
        actor=candidate_user,
    )
    evidence = protection_services.grievance_add_evidence(
        grievance=grievance, upload=_pdf("bukti.pdf"), uploaded_by_kind=ReporterKind.FAMILY
    )
    return World(
        lpk=lpk,
        cohort=cohort,
        session=session,
        candidate=candidate,
        enrolment=enrolment,
        assessment=assessment,
        certificate=certificate,
        cost=cost,
        document=document,
        p3mi=p3mi,
        pks=pks,
        order=order,
        application=application,
        case=case,
        custody=custody,
        fee=fee,
        item=item,
        contract=contract,
        order_cost=order_cost,
        permit_change=permit_change,
        group=group,
        worker=worker,
        escalation=escalation,
        urgent=urgent,
        urgent_step=urgent_step,
        grievance=grievance,
        secret=secret,
        evidence=evidence,
    )


def _build_world():
    orgs, users = _people()
    world = World(users=users)
    world["mou"] = Agreement.objects.create(
        kind=AgreementKind.MOU,
        number="MOU/01/PEMKOT-APJATI/2026",
        title="Nota Kesepakatan penempatan PMI",
        parties="Pemerintah Kota Serang\nDPP APJATI",
        signed_on=timezone.localdate() - datetime.timedelta(days=300),
        starts_on=timezone.localdate() - datetime.timedelta(days=300),
        ends_on=timezone.localdate() + datetime.timedelta(days=800),
        quota=1000,
    )
    programme = ProgrammeFactory()
    world["programme"] = programme
    world["a"] = _side(
        world,
        "a",
        provider_org=orgs["provider"],
        agency_org=orgs["agency"],
        candidate_user=users["candidate"],
        programme=programme,
    )
    world["b"] = _side(
        world,
        "b",
        provider_org=orgs["provider_b"],
        agency_org=orgs["agency_b"],
        candidate_user=users["candidate_b"],
        programme=programme,
    )
    a = world.a
    world["duplicate"] = DuplicateFlag.objects.create(
        first=a.candidate, second=CandidateFactory(), reason="nik"
    )
    world["import_job"] = ImportJob.objects.create(
        original_name="pencaker.xlsx", created_by=users["manager"], status=ImportJob.Status.DONE
    )
    world.import_job.report.save("laporan.csv", ContentFile(b"baris,hasil\n2,ok\n"))
    suspended = make_agency(
        OrganisationFactory(kind=OrganisationKind.PLACEMENT_AGENCY, code="p3mi-c")
    )
    placement_services.agency_suspend(
        actor=users["manager"],
        agency=suspended,
        starts_on=timezone.localdate(),
        reason="Izin dalam pemeriksaan",
    )
    world["suspended_agency"] = suspended
    world["scale"] = ScaleSetting.objects.get_or_create(test=ScaleTest.JFT_BASIC)[0]
    world["document_type"] = a.document.document_type
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    tasks = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as conftest.py sets per test
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, TASKS=tasks, PASSWORD_HASHERS=hashers),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = _build_world()
            built["media"] = media
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _world_media(world, settings):
    settings.MEDIA_ROOT = world["media"]


# ----------------------------------------------------------------------------------------------
# One object of organisation A (or candidate A) for every URL with arguments.
# ----------------------------------------------------------------------------------------------


def _matching_run(world):
    """A programme-wide matching run over A's order (city-wide: only capability decides). Made
    inside each test's transaction, as the world's own objects are not."""
    from jalur.placement.matching.engine import Order, Problem
    from jalur.placement.matching.inputs import Inputs, OrderFacts
    from jalur.placement.matching.models import MatchingRun, RunStatus

    order = world.a.order
    inputs = Inputs(
        problem=Problem(orders=(Order(id=order.pk, capacity=0),), people=(), scores={}),
        orders={order.pk: OrderFacts(order.pk, order.reference, order.positions, 0, 0, 0)},
    )
    blob, fingerprint = inputs.to_bytes()
    return MatchingRun.objects.filter(fingerprint=fingerprint).first() or (
        MatchingRun.objects.create(
            created_by=world.users["manager"],
            status=RunStatus.DRAFT,
            inputs=blob,
            fingerprint=fingerprint,
            summary={"orders": 1, "people": 0, "pairs": 0},
        )
    )


def _rights_request(candidate, evidence=False):
    """A correction the person asked for, waiting for the office (privacy), with its evidence."""
    from jalur.privacy.models import RightsRequest

    request = RightsRequest.objects.get_or_create(
        candidate=candidate, kind="rectify", status="open", defaults={"changes": {"rt": "007"}}
    )[0]
    if evidence and not request.evidence:
        request.evidence.save("bukti.pdf", ContentFile(PDF), save=False)
        request.evidence_type = "application/pdf"
        request.save()
    return request


def _breach():
    """A breach in the data-protection officer's register (the city's, not an organisation's)."""
    from jalur.privacy.models import Breach

    return Breach.objects.get_or_create(
        description="Laptop petugas hilang",
        defaults={"discovered_at": timezone.now(), "data_kinds": "NIK, nama"},
    )[0]


def _api_token(world):
    """The side's agency's API token, made by its own P3MI staff (the token pages)."""
    from jalur.api.models import ApiToken
    from jalur.api.services import token_create

    organisation = world.a.p3mi.organisation
    agent = next(u for u in world.users.values() if u.organisation_id == organisation.pk)
    found = ApiToken.objects.filter(organisation=organisation).first()
    return (
        found
        or token_create(
            actor=agent,
            organisation=organisation,
            role=Role.AGENCY_STAFF,
            name="Sistem internal",
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )[0]
    )


def _reconciliation(world):
    """A SISKOP2MI export the office loaded: A's worker and a person Jalur does not have."""
    from jalur.departure.siskop2mi.models import Reconciliation
    from jalur.departure.siskop2mi.services import reconciliation_create

    worker = world.a.worker
    text = f"NIK,Nama,ID PMI\n{worker.nik},{worker.full_name},PMI-3673-000777\n"
    return Reconciliation.objects.first() or reconciliation_create(
        upload=SimpleUploadedFile("siskop2mi.csv", text.encode(), content_type="text/csv"),
        actor=world.users["manager"],
    )


def _export_job(world):
    """A whole-programme export the manager started (not run: the pages only read the job)."""
    from jalur.exchange.models import ExportJob
    from jalur.exchange.services import export_job_create

    return ExportJob.objects.first() or export_job_create(
        actor=world.users["manager"], with_files=False
    )


SAMPLES = {
    # accounts (public: a wrong link shows the "invalid link" page)
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    # the system administrator resets another person's two-step log-in (a lost phone)
    "accounts:otp_reset": lambda w: {"pk": w.users["officer"].pk},
    # candidates
    "candidates:register_step": lambda w: {"step": "identitas"},
    "candidates:upload": lambda w: {"type_code": w.document_type.code},
    "candidates:document_file": lambda w: {"pk": w.a.document.pk},
    "candidates:detail": lambda w: {"pk": w.a.candidate.pk},
    "candidates:edit": lambda w: {"pk": w.a.candidate.pk, "section": "identity"},
    "candidates:staff_upload": lambda w: {
        "pk": w.a.candidate.pk,
        "type_code": w.document_type.code,
    },
    "candidates:staff_submit": lambda w: {"pk": w.a.candidate.pk},
    "candidates:login_slip": lambda w: {"pk": w.a.candidate.pk},
    "candidates:confirm_birth_date": lambda w: {"pk": w.a.candidate.pk},
    "candidates:staff_phone_abroad": lambda w: {"pk": w.a.worker.pk},
    "candidates:verify": lambda w: {"pk": w.a.candidate.pk},
    "candidates:review_document": lambda w: {"pk": w.a.document.pk},
    "candidates:duplicate_decision": lambda w: {"pk": w.duplicate.pk},
    "candidates:import_job": lambda w: {"pk": w.import_job.pk},
    "candidates:import_progress": lambda w: {"pk": w.import_job.pk},
    "candidates:import_report": lambda w: {"pk": w.import_job.pk},
    # pathways
    "pathways:detail": lambda w: {"pk": Pathway.objects.get(code="jp-ssw-p2p").pk},
    "pathways:edit": lambda w: {"pk": Pathway.objects.get(code="jp-ssw-p2p").pk},
    "pathways:job_type_edit": lambda w: {"pk": JobType.objects.get(code="industrial").pk},
    "pathways:candidate": lambda w: {"candidate_pk": w.a.candidate.pk},
    "pathways:assign": lambda w: {"candidate_pk": w.a.candidate.pk},
    "pathways:assignment_end": lambda w: {"candidate_pk": w.a.candidate.pk},
    # training
    "training:cohort_detail": lambda w: {"pk": w.a.cohort.pk},
    "training:cohort_edit": lambda w: {"pk": w.a.cohort.pk},
    "training:cohort_schedule": lambda w: {"pk": w.a.cohort.pk},
    "training:cohort_enrol": lambda w: {"pk": w.a.cohort.pk},
    "training:cohort_close": lambda w: {"pk": w.a.cohort.pk},
    "training:cohort_costs": lambda w: {"pk": w.a.cohort.pk},
    "training:cohort_certificates_pdf": lambda w: {"pk": w.a.cohort.pk},
    "training:cohort_certificates_zip": lambda w: {"pk": w.a.cohort.pk},
    "training:cost_delete": lambda w: {"pk": w.a.cost.pk},
    "training:session_delete": lambda w: {"pk": w.a.session.pk},
    "training:register": lambda w: {"pk": w.a.session.pk},
    "training:register_mark": lambda w: {"pk": w.a.session.pk, "enrolment_pk": w.a.enrolment.pk},
    "training:enrolment_detail": lambda w: {"pk": w.a.enrolment.pk},
    "training:enrolment_withdraw": lambda w: {"pk": w.a.enrolment.pk},
    "training:enrolment_complete": lambda w: {"pk": w.a.enrolment.pk},
    "training:enrolment_fail": lambda w: {"pk": w.a.enrolment.pk},
    "training:assessment_create": lambda w: {"pk": w.a.enrolment.pk},
    "training:assessment_delete": lambda w: {"pk": w.a.assessment.pk},
    "training:certificate_download": lambda w: {"pk": w.a.certificate.pk},
    "training:certificate_revoke": lambda w: {"pk": w.a.certificate.pk},
    "training:certificate_verify": lambda w: {"token": w.a.certificate.token},
    "training:programme_detail": lambda w: {"pk": w.programme.pk},
    "training:programme_edit": lambda w: {"pk": w.programme.pk},
    "training:provider_edit": lambda w: {"pk": w.a.lpk.pk},
    "training:scale_edit": lambda w: {"pk": w.scale.pk},
    # placement
    "placement:order_detail": lambda w: {"pk": w.a.order.pk},
    "placement:order_edit": lambda w: {"pk": w.a.order.pk},
    "placement:order_submit": lambda w: {"pk": w.a.order.pk},
    "placement:order_review": lambda w: {"pk": w.a.order.pk},
    "placement:order_cost_decide": lambda w: {"pk": w.a.order.pk, "cost_pk": w.a.order_cost.pk},
    "placement:permit_detail": lambda w: {"pk": w.a.order.permit_id},
    "placement:permit_change_request": lambda w: {"pk": w.a.order.permit_id},
    "placement:permit_change_decide": lambda w: {"pk": w.a.permit_change.pk},
    "placement:permit_change_document": lambda w: {"pk": w.a.permit_change.pk},
    "placement:order_close": lambda w: {"pk": w.a.order.pk},
    "placement:order_attache_document": lambda w: {"pk": w.a.order.pk},
    "placement:order_selection": lambda w: {"pk": w.a.order.pk},
    "placement:order_recommend": lambda w: {"pk": w.a.order.pk},
    "placement:order_fairness": lambda w: {"pk": w.a.order.pk},
    "placement:application_detail": lambda w: {"pk": w.a.application.pk},
    "placement:application_action": lambda w: {"pk": w.a.application.pk, "action": "withdraw"},
    "placement:agency_detail": lambda w: {"pk": w.a.p3mi.pk},
    "placement:agency_edit": lambda w: {"pk": w.a.p3mi.pk},
    "placement:agency_suspend": lambda w: {"pk": w.a.p3mi.pk},
    "placement:agency_lift": lambda w: {"pk": w.suspended_agency.pk},
    "placement:agreement_detail": lambda w: {"pk": w.a.pks.pk},
    "placement:agreement_edit": lambda w: {"pk": w.a.pks.pk},
    "placement:agreement_document": lambda w: {"pk": w.a.pks.pk},
    "placement:public_order": lambda w: {"pk": w.a.order.pk},
    "placement:public_orders_data": lambda w: {"fmt": "csv"},
    "placement:public_agencies_data": lambda w: {"fmt": "json"},
    "reports:public_data": lambda w: {"fmt": "csv"},
    "api_tokens:revoke": lambda w: {"pk": _api_token(w).pk},
    "departure:siskop2mi": lambda w: {"pk": _reconciliation(w).pk},
    "departure:siskop2mi_file": lambda w: {"pk": _reconciliation(w).pk},
    "departure:siskop2mi_accept": lambda w: {"pk": _reconciliation(w).rows.first().pk},
    "exchange:export_job": lambda w: {"pk": _export_job(w).pk},
    "exchange:export_progress": lambda w: {"pk": _export_job(w).pk},
    "exchange:export_download": lambda w: {"pk": _export_job(w).pk},
    "placement:my_order": lambda w: {"pk": w.a.order.pk},
    "placement:my_application": lambda w: {"pk": w.a.application.pk},
    "placement:matching_run": lambda w: {"pk": _matching_run(w).pk},
    "placement:matching_run_order": lambda w: {"pk": _matching_run(w).pk, "order_pk": w.a.order.pk},
    "placement:matching_action": lambda w: {"pk": _matching_run(w).pk, "action": "ulangi"},
    "placement:proposal_decline": lambda w: {"pk": w.a.application.pk},
    # departure
    "departure:case_open": lambda w: {"application_pk": w.a.application.pk},
    "departure:case": lambda w: {"pk": w.a.case.pk},
    "departure:mark_ready": lambda w: {"pk": w.a.case.pk},
    "departure:passport_handover": lambda w: {"pk": w.a.case.pk},
    "departure:passport_return": lambda w: {"pk": w.a.custody.pk},
    "departure:fee_add": lambda w: {"pk": w.a.case.pk},
    "departure:fee_follow_up": lambda w: {"pk": w.a.fee.pk},
    "departure:fee_decide": lambda w: {"pk": w.a.fee.pk},
    "departure:fee_proof": lambda w: {"pk": w.a.fee.pk},
    "departure:no_fee_record": lambda w: {"pk": w.a.case.pk},
    "departure:no_fee_pdf": lambda w: {"pk": w.a.case.pk, "occasion": "contract"},
    "departure:item_submit": lambda w: {"pk": w.a.item.pk},
    "departure:item_verify": lambda w: {"pk": w.a.item.pk},
    "departure:item_document": lambda w: {"pk": w.a.item.pk},
    "departure:contract_decide": lambda w: {"pk": w.a.contract.pk},
    "departure:group": lambda w: {"pk": w.a.group.pk},
    "departure:group_members": lambda w: {"pk": w.a.group.pk},
    "departure:group_depart": lambda w: {"pk": w.a.group.pk},
    "departure:manifest": lambda w: {"pk": w.a.group.pk, "fmt": "pdf"},
    "departure:case_review": lambda w: {"pk": w.a.case.pk},
    "departure:group_review": lambda w: {"pk": w.a.group.pk},
    "departure:group_prepare": lambda w: {"pk": w.a.group.pk},
    "departure:group_uploads": lambda w: {"pk": w.a.group.pk, "code": "passport"},
    # protection
    "protection:worker": lambda w: {"pk": w.a.worker.pk},
    "protection:worker_checkin": lambda w: {"pk": w.a.worker.pk},
    "protection:worker_family_link": lambda w: {"pk": w.a.worker.pk},
    "protection:worker_arrival": lambda w: {"pk": w.a.worker.pk},
    "protection:worker_escalation_answer": lambda w: {
        "pk": w.a.worker.pk,
        "escalation_pk": w.a.escalation.pk,
    },
    "protection:worker_return": lambda w: {"pk": w.a.worker.pk},
    # after the return (issue 15): the office's returnee page, its follow-up, daftar lagi
    "protection:returnee": lambda w: {"pk": w.a.worker.pk},
    "protection:returnee_follow_up": lambda w: {"pk": w.a.worker.pk},
    "protection:returnee_restart": lambda w: {"pk": w.a.worker.pk},
    "protection:returnee_carry_over": lambda w: {"pk": w.a.worker.pk},
    "protection:grievance_detail": lambda w: {"pk": w.a.grievance.pk},
    "protection:grievance_action": lambda w: {"pk": w.a.grievance.pk},
    "protection:grievance_respond": lambda w: {"pk": w.a.grievance.pk},
    "protection:grievance_message": lambda w: {"pk": w.a.grievance.pk},
    "protection:grievance_evidence_add": lambda w: {"pk": w.a.grievance.pk},
    "protection:evidence_file": lambda w: {"pk": w.a.evidence.pk},
    "protection:public_grievance_status": lambda w: {"number": w.a.grievance.number},
    "protection:public_grievance_evidence": lambda w: {"number": w.a.grievance.number},
    # crisis
    "crisis:case": lambda w: {"pk": w.a.urgent.pk},
    "crisis:case_take": lambda w: {"pk": w.a.urgent.pk},
    "crisis:case_classify": lambda w: {"pk": w.a.urgent.pk},
    "crisis:case_close": lambda w: {"pk": w.a.urgent.pk},
    "crisis:step_done": lambda w: {"pk": w.a.urgent_step.pk},
    "crisis:staff_open": lambda w: {"pk": w.a.worker.pk},
    # reports (not owned by an organisation: the month of the city's report)
    "reports:monthly_pdf": lambda w: {"year": 2026, "month": 10},
    "reports:monthly_xlsx": lambda w: {"year": 2026, "month": 10},
    # privacy
    "privacy:candidate_export": lambda w: {"pk": w.a.candidate.pk},
    "privacy:desk": lambda w: {"pk": w.a.candidate.pk},
    "privacy:desk_withdraw": lambda w: {"pk": w.a.candidate.pk},
    "privacy:desk_rectify": lambda w: {"pk": w.a.candidate.pk},
    "privacy:desk_erase": lambda w: {"pk": w.a.candidate.pk},
    "privacy:request_detail": lambda w: {"pk": _rights_request(w.a.candidate).pk},
    "privacy:breach_detail": lambda w: {"pk": _breach().pk},
    "privacy:request_evidence": lambda w: {"pk": _rights_request(w.a.candidate, evidence=True).pk},
}

# URLs whose argument is not an object of an organisation (the candidate's own registration
# step, a city-wide programme or pathway, the month of a report): B's users are judged by their
# capability alone, like A's.
NOT_OWNED = {
    "candidates:register_step",
    "candidates:upload",
    "placement:my_order",  # an approved order is a public vacancy any candidate may apply to
    "pathways:detail",
    "training:programme_detail",
    "reports:monthly_pdf",
    "reports:monthly_xlsx",
}

# Views marked @login_only scope by themselves: the roles of A that may open A's object.
LOGIN_ONLY_ALLOWED = {
    "candidates:document_file": {"sysadmin", "manager", "officer", "verifier", "candidate"},
    "training:certificate_download": {
        "sysadmin",
        "manager",
        "verifier",
        "leader",
        "trainer",
        "candidate",
    },
    "departure:case": {"sysadmin", "manager", "leader", "agent", "candidate"},
    "departure:fee_proof": {
        "sysadmin",
        "manager",
        "agent",
        "candidate",
    },  # leadership: figures, not scans
    "departure:no_fee_pdf": {"sysadmin", "manager", "leader", "agent", "candidate"},
    "departure:item_document": {
        "sysadmin",
        "manager",
        "agent",
        "candidate",
    },  # leadership: figures, not scans
    "protection:grievance_detail": {"sysadmin", "manager", "leader", "agent", "candidate"},
    "protection:grievance_message": {"sysadmin", "manager", "leader", "agent", "candidate"},
    "protection:grievance_evidence_add": {"sysadmin", "manager", "leader", "agent", "candidate"},
    "protection:evidence_file": {"sysadmin", "manager", "leader", "agent", "candidate"},
}

ROLE_OF = {
    "sysadmin": Role.SYSADMIN,
    "manager": Role.PROGRAMME_MANAGER,
    "officer": Role.REGISTRATION_OFFICER,
    "verifier": Role.VERIFIER,
    "leader": Role.LEADERSHIP,
    "trainer": Role.TRAINING_STAFF,
    "agent": Role.AGENCY_STAFF,
    "candidate": Role.CANDIDATE,
    "trainer_b": Role.TRAINING_STAFF,
    "agent_b": Role.AGENCY_STAFF,
    "candidate_b": Role.CANDIDATE,
}


def _has_capability(callback, who: str) -> bool:
    return any(ROLE_OF[who] in CAPABILITIES[cap] for cap in callback.required_capabilities)


def expected(name: str, who: str) -> str:
    """'ok' (200/302/405), 'forbidden' (403), 'denied' (403/404) or 'public' (200/404, as for an
    anonymous visitor) for `who` on A's object."""
    callback = ARG_VIEWS[name].callback
    if callback.access == "public":
        return "public"
    if callback.access == "capability" and not _has_capability(callback, who):
        return "forbidden"
    if who in B_SIDE:
        return "ok" if name in NOT_OWNED else "denied"
    if callback.access == "login":
        return "ok" if who in LOGIN_ONLY_ALLOWED[name] else "denied"
    return "ok"


def test_every_url_with_arguments_has_a_sample():
    missing = sorted(set(ARG_VIEWS) - set(SAMPLES))
    assert missing == [], f"URLs with arguments missing from SAMPLES: {missing}"
    stale = sorted(set(SAMPLES) - set(ARG_VIEWS))
    assert stale == [], f"SAMPLES entries for URLs that no longer exist: {stale}"
    unlisted = sorted(
        n
        for n, p in ARG_VIEWS.items()
        if p.callback.access == "login" and n not in LOGIN_ONLY_ALLOWED
    )
    assert unlisted == [], f"@login_only views without an allow-list: {unlisted}"


def _check(client: Client, url: str, outcome: str) -> str | None:
    """None when the response matches the outcome, else a description of what went wrong."""
    status = client.get(url).status_code
    if outcome == "ok":
        return None if status in (200, 302, 405) else f"GET {status}, expected 200/302/405"
    if outcome == "public":  # as for anonymous visitors: the page, or 404 without the secret
        if status == 405:
            status = client.post(url, {}).status_code
            return None if status in (403, 404) else f"GET 405 then POST {status}"
        return None if status in (200, 404) else f"GET {status}, expected 200/404"
    allowed = (403,) if outcome == "forbidden" else (403, 404)
    if status == 405:
        status = client.post(url, {}).status_code
        return None if status in allowed else f"GET 405 then POST {status}, expected {allowed}"
    return None if status in allowed else f"GET {status}, expected {allowed}"


def _personal_data(world, *, name_allowed: bool) -> list[str]:
    """What a public page must never show about candidate A (the certificate check shows the
    holder's name, which is what it is for)."""
    candidate = world.a.candidate
    values = [candidate.nik, candidate.kk_number, candidate.phone, world.a.grievance.description]
    if not name_allowed:
        values.append(candidate.full_name)
    return values


def _public_page_problems(world, name: str, response) -> list[str]:
    if response.status_code != 200 or response.get("Content-Type", "").split(";")[0] != (
        "text/html"
    ):
        return []
    body = response.content.decode()
    shown = _personal_data(world, name_allowed=name == "training:certificate_verify")
    return [f"shows {value!r}" for value in shown if value in body]


# Known access bugs, URL name -> "BUG: what is wrong": that case is marked xfail(strict=True), so
# it fails loudly once the view is fixed and the entry must go. None known at the time of writing.
BUGS: dict[str, str] = {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=BUGS[n])) if n in BUGS else n
        for n in sorted(SAMPLES)
    ],
)
def test_each_role_gets_exactly_what_it_may_on_another_organisations_object(name, world):
    url = reverse(name, kwargs=SAMPLES[name](world))
    callback = ARG_VIEWS[name].callback
    anonymous = Client()
    response = anonymous.get(url)
    if callback.access == "public":
        if response.status_code == 405:  # POST-only: without the case's secret, nothing
            response = anonymous.post(url, {})
            assert response.status_code in (403, 404), f"{url} anonymous POST: {response}"
        assert response.status_code in (200, 404), f"{url} anonymous: {response.status_code}"
        assert _public_page_problems(world, name, response) == [], url
    else:
        if response.status_code == 405:  # POST-only: the method check comes first
            response = anonymous.post(url, {})
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), (
            f"{url} anonymous: {response.status_code}"
        )
    wrong = []
    for who in A_SIDE + B_SIDE:
        client = Client()
        client.force_login(world.users[who], backend="jalur.accounts.backends.PhoneOrEmailBackend")
        problem = _check(client, url, expected(name, who))
        if problem:
            wrong.append(f"{who}: {problem}")
    assert wrong == [], f"{url}: " + "; ".join(wrong)


@pytest.mark.django_db
def test_a_grievance_number_alone_opens_nothing_and_the_secret_opens_only_its_own_case(world):
    """The public status page: 404 without the secret; with it, the case without personal data
    (no NIK, KK or phone of the worker); the secret of A's case does not open B's case."""
    a, b = world.a.grievance, world.b.grievance
    family = Client()
    status_a = reverse("protection:public_grievance_status", kwargs={"number": a.number})
    status_b = reverse("protection:public_grievance_status", kwargs={"number": b.number})
    assert family.get(status_a).status_code == 404

    tracked = family.post(
        reverse("protection:public_grievance_track"),
        {"number": a.number, "secret": world.a.secret},
        REMOTE_ADDR="203.0.113.81",  # its own throttle bucket
    )

    assert tracked.status_code == 302 and tracked["Location"] == status_a
    page = family.get(status_a)
    assert page.status_code == 200
    body = page.content.decode()
    candidate = world.a.candidate
    assert a.number in body
    assert [v for v in (candidate.nik, candidate.kk_number, candidate.phone) if v in body] == []
    assert family.get(status_b).status_code == 404
    evidence_b = reverse("protection:public_grievance_evidence", kwargs={"number": b.number})
    assert family.post(evidence_b, {}).status_code == 404


# B's users on B's own objects get what A's users get on A's: the refusals above come from the
# organisation, not from a sample object that nobody could open.
COUNTERPART = {"trainer_b": "trainer", "agent_b": "agent", "candidate_b": "candidate"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_other_organisation_opens_its_own_objects_like_the_first(name, world):
    own = World({**world, "a": world.b})
    url = reverse(name, kwargs=SAMPLES[name](own))
    wrong = []
    for who, counterpart in COUNTERPART.items():
        client = Client()
        client.force_login(world.users[who], backend="jalur.accounts.backends.PhoneOrEmailBackend")
        problem = _check(client, url, expected(name, counterpart))
        if problem:
            wrong.append(f"{who}: {problem}")
    assert wrong == [], f"{url}: " + "; ".join(wrong)
