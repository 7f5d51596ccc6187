"""The whole programme moves exactly: the demo exported, imported into a second, empty database,
exported again; the copy then emptied out of this database and imported back; every record equal
byte for byte; and a worker who was mid-checklist finishes it and departs on the new instance."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.candidates.stages import Stage
from jalur.departure import services as departure
from jalur.departure.models import (
    FEE_UNRESOLVED,
    CaseStatus,
    ContractReview,
    DepartureCase,
    ItemStatus,
    PassportCustody,
)
from jalur.departure.services.checklist import contract_terms
from jalur.departure.tests.conftest import GOOD
from jalur.departure.tests.test_checklist import own_numbers, parse, sign_no_fee
from jalur.exchange.export import package_write
from jalur.exchange.services import programme_export, programme_import
from jalur.exchange.tables import EXCLUDED, tables
from jalur.placement.demo import ONE_PAGE_PDF

from .conftest import assert_same_records


def _empty_this_instance(settings, tmp_path) -> None:
    """Every row of this database gone (children first) and a new, empty file storage: what a
    freshly installed instance holds, less the reference rows migrate adds (the import replaces
    those anyway)."""
    for model in reversed([t.model for t in tables()]):
        model._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in EXCLUDED and label not in {"contenttypes.contenttype", "auth.permission"}:
            model._base_manager.all()._raw_delete(DEFAULT_DB_ALIAS)
    settings.MEDIA_ROOT = tmp_path / "media-new-instance"


def _a_case_mid_checklist() -> DepartureCase:
    for case in DepartureCase.objects.filter(status=CaseStatus.OPEN).order_by("pk"):
        statuses = set(case.items.values_list("status", flat=True))
        half_way = ItemStatus.VERIFIED in statuses and statuses != {ItemStatus.VERIFIED}
        if half_way and not case.fees.filter(FEE_UNRESOLVED).exists():
            return case
    raise AssertionError("the demo has no worker half-way through the checklist")


def _finish_and_depart(case: DepartureCase) -> None:
    """The remaining items submitted by the P3MI and verified by the office, then departure, all
    through the same services as the pages."""
    agency = case.agency
    agent = User.objects.filter(organisation=agency.organisation, role=Role.AGENCY_STAFF).first()
    manager = User.objects.filter(role=Role.PROGRAMME_MANAGER).first()
    numbers = own_numbers(case)
    terms = contract_terms(case.application)  # the contract signed as offered
    numbers["employment_contract"] = {
        "employer": terms.employer,
        "position": terms.position,
        "wage": str(terms.wage),
        "currency": terms.currency,
        "hours_per_week": str(int(terms.hours_per_week)),
        "contract_months": str(terms.contract_months),
    }
    for review in case.contract_reviews.filter(status=ContractReview.Status.OPEN):
        departure.contract_review_decide(
            review=review, accept=True, note="Upah lebih tinggi dari tawaran.", actor=manager
        )
    for item in case.items.exclude(status=ItemStatus.VERIFIED).order_by("pk"):
        if item.status == ItemStatus.SUBMITTED:  # waiting for the office before the move
            departure.item_verify(item=item, accept=True, note="", actor=manager)
            continue
        data = parse({**GOOD[item.code], **numbers.get(item.code, {})})
        document = (
            SimpleUploadedFile("d.pdf", ONE_PAGE_PDF, content_type="application/pdf")
            if item.type.needs_document
            else None
        )
        departure.item_submit(item=item, data=data, document=document, actor=agent)
        item.refresh_from_db()
        departure.item_verify(item=item, accept=True, note="", actor=manager)
    signed = set(case.no_fee_statements.values_list("occasion", flat=True))
    for occasion in sorted({"contract", "departure"} - signed):
        sign_no_fee(case, agent, occasion)
    today = timezone.localdate()
    for custody in PassportCustody.objects.filter(case=case, returned_on__isnull=True):
        departure.passport_return(custody=custody, returned_on=today, actor=agent)
    departure.case_mark_ready(
        case=case, planned_departure_on=today + datetime.timedelta(days=22), actor=agent
    )
    group = departure.group_create(
        agency=agency,
        country=case.application.order.employer_country,
        departs_on=today,
        flight="GA 874",
        airport="CGK",
        actor=agent,
    )
    departure.group_set_members(group=group, cases=[case], actor=agent)
    departure.group_depart(group=group, actor=agent)


@pytest.mark.django_db
def test_the_demo_moves_to_another_database_and_back_exactly_and_a_case_carries_on(
    copy_db, settings, tmp_path
):
    call_command("seed_demo", stdout=io.StringIO())
    empty = sorted(t.name for t in tables() if not t.model._base_manager.exists())
    assert empty == [], f"the demo leaves these tables empty: {empty}"
    manager = User.objects.get(username="manajer")
    first, second, third = (tmp_path / f"{n}.zip" for n in ("first", "second", "third"))

    package_write(tmp_path / "before.zip", with_files=True)
    programme_export(target=first, actor=manager, with_files=True)  # audited after its snapshot
    assert (tmp_path / "before.zip").read_bytes() == first.read_bytes()  # same data, same bytes

    settings.MEDIA_ROOT = tmp_path / "media-copy"
    programme_import(source=first, actor_username="manajer", using=copy_db)
    package_write(second, using=copy_db, with_files=True)
    assert_same_records(first, second, imports=1)

    case_pk = _a_case_mid_checklist().pk
    _empty_this_instance(settings, tmp_path)
    assert not User.objects.exists()
    programme_import(source=second, actor_username="manajer")
    package_write(third, with_files=True)
    assert_same_records(first, third, imports=2)

    case = DepartureCase.objects.get(pk=case_pk)
    _finish_and_depart(case)
    case.refresh_from_db()
    assert case.status == CaseStatus.DEPARTED
    assert case.candidate.stage == Stage.DEPARTED
