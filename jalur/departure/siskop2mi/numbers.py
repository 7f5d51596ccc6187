"""A person's ID PMI as Jalur keeps it (`Candidate.siskop2mi_id_pmi`): written when the office
accepts the checklist item that holds it, or a reconciliation row that brings it, and one number
for one person only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.rules import documents, siskop2mi

from ..models import IdentityNumber

ITEM = "e_pmi"  # the checklist item that holds the SISKOP2MI numbers
ID_PMI_KIND = f"{ITEM}.id_pmi"  # the IdentityNumber kind the item's ID PMI field claims


def candidate_id_pmi_record(*, candidate: Candidate, number: str, actor, reason: str) -> Candidate:
    """Write `number` as the person's ID PMI, with its audit row and `reason`. Refused (naming the
    field "id_pmi") when it is not shaped as an ID PMI (`rules.siskop2mi`) or is already another
    person's (`rules.documents.identity_number_problem`); the same number again changes nothing."""
    label = _("ID PMI")
    number = siskop2mi.reference_number_clean(number)
    problem = siskop2mi.reference_number_problem(label=label, value=number)
    if problem:
        raise ValidationError({"id_pmi": problem})
    with transaction.atomic():
        held, _created = IdentityNumber.objects.get_or_create(
            kind=ID_PMI_KIND,
            number=documents.identity_number_key(number),
            defaults={"candidate_id": candidate.pk},
        )
        problem = documents.identity_number_problem(
            label=label, number=number, held_by_another=held.candidate_id != candidate.pk
        )
        if problem:
            raise ValidationError({"id_pmi": problem}, code="number_of_another_person")
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        before = candidate.siskop2mi_id_pmi
        if before == number:
            return candidate
        candidate.siskop2mi_id_pmi = number
        candidate.save(update_fields=["siskop2mi_id_pmi"])
        audit_record(
            actor=actor,
            action="departure.id_pmi_record",
            target=candidate,
            changes={"siskop2mi_id_pmi": [before, number]},
            reason=reason,
        )
    return candidate
