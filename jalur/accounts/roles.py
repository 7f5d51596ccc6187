"""Roles and what each may do: the one place where role checks live.

Views and access helpers ask `can(user, "capability")`; nothing else compares roles directly.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("Admin sistem")
    PROGRAMME_MANAGER = "programme_manager", _("Pengelola program")
    REGISTRATION_OFFICER = "registration_officer", _("Petugas pendaftaran")
    VERIFIER = "verifier", _("Verifikator")
    TRAINING_STAFF = "training_staff", _("Staf lembaga pelatihan")
    AGENCY_STAFF = "agency_staff", _("Staf P3MI")
    LEADERSHIP = "leadership", _("Pimpinan")
    CANDIDATE = "candidate", _("Pencari kerja")


class OrganisationKind(models.TextChoices):
    LABOUR_OFFICE = "labour_office", _("Disnakertrans")
    TRAINING_PROVIDER = "training_provider", _("Lembaga pelatihan (LPK/BLK)")
    PLACEMENT_AGENCY = "placement_agency", _("Perusahaan penempatan (P3MI)")


# Which kind of organisation a role belongs to. None: the role has no organisation.
ROLE_ORGANISATION_KIND: dict[str, str | None] = {
    Role.SYSADMIN: OrganisationKind.LABOUR_OFFICE,
    Role.PROGRAMME_MANAGER: OrganisationKind.LABOUR_OFFICE,
    Role.REGISTRATION_OFFICER: OrganisationKind.LABOUR_OFFICE,
    Role.VERIFIER: OrganisationKind.LABOUR_OFFICE,
    Role.LEADERSHIP: OrganisationKind.LABOUR_OFFICE,
    Role.TRAINING_STAFF: OrganisationKind.TRAINING_PROVIDER,
    Role.AGENCY_STAFF: OrganisationKind.PLACEMENT_AGENCY,
    Role.CANDIDATE: None,
}

OFFICE_ROLES = frozenset(
    {
        Role.SYSADMIN,
        Role.PROGRAMME_MANAGER,
        Role.REGISTRATION_OFFICER,
        Role.VERIFIER,
        Role.LEADERSHIP,
    }
)

_S, _PM, _RO, _V = Role.SYSADMIN, Role.PROGRAMME_MANAGER, Role.REGISTRATION_OFFICER, Role.VERIFIER
_T, _A, _L, _C = Role.TRAINING_STAFF, Role.AGENCY_STAFF, Role.LEADERSHIP, Role.CANDIDATE

# capability -> roles that have it. Later stages add their capabilities here.
CAPABILITIES: dict[str, frozenset[str]] = {
    # administration
    "admin.site": frozenset({_S}),
    "audit.view": frozenset({_S, _PM}),
    "accounts.reset_two_factor": frozenset({_S}),
    "organisations.manage": frozenset({_S, _PM}),
    # the whole programme as an open data package (jalur.exchange): the data controller's export
    "programme.export": frozenset({_S, _PM}),
    # API tokens: the office for any organisation, P3MI staff for their own agency
    "api.tokens": frozenset({_S, _PM, _A}),
    "api.tokens.all": frozenset({_S, _PM}),
    # candidates
    "candidates.view": frozenset({_S, _PM, _RO, _V, _L, _T, _A}),
    "candidates.view_documents": frozenset({_S, _PM, _RO, _V}),
    "candidates.view_identity": frozenset({_S, _PM, _RO, _V}),
    "candidates.register": frozenset({_S, _PM, _RO}),
    "candidates.edit": frozenset({_S, _PM, _RO}),
    "candidates.verify": frozenset({_S, _PM, _V}),
    "candidates.import": frozenset({_S, _PM}),
    "candidates.export": frozenset({_S, _PM}),
    "candidates.stage_history": frozenset({_S, _PM, _V, _L}),
    "candidates.self": frozenset({_C}),
    # pathways and reference data
    "pathways.view": frozenset({_S, _PM, _RO, _V, _L, _T, _A}),
    "pathways.manage": frozenset({_S, _PM}),
    "pathways.assign": frozenset({_S, _PM, _V}),
    # training
    "training.view": frozenset({_S, _PM, _V, _L, _T}),
    "training.manage": frozenset({_S, _PM, _T}),
    "training.programmes.manage": frozenset({_S, _PM}),
    "training.enrol": frozenset({_S, _PM}),
    # placement
    "placement.view": frozenset({_S, _PM, _L, _A}),
    "placement.agency": frozenset({_A}),
    "placement.review": frozenset({_S, _PM}),
    "placement.agreements.manage": frozenset({_S, _PM}),
    "placement.fairness": frozenset({_S, _PM, _L}),
    "placement.match": frozenset({_S, _PM}),
    # departure and protection
    "departure.view": frozenset({_S, _PM, _L, _A}),
    "departure.manage": frozenset({_S, _PM, _A}),
    "departure.endorse": frozenset({_S, _PM}),
    "protection.view": frozenset({_S, _PM, _L, _A}),
    "protection.manage": frozenset({_S, _PM}),
    "protection.arrival": frozenset({_S, _PM, _A}),
    "protection.respond": frozenset({_A}),
    # privacy (UU PDP): acting for a person at the desk, deciding their requests, the DPO's tools
    "privacy.desk": frozenset({_S, _PM, _RO, _V}),
    "privacy.decide": frozenset({_S, _PM, _V}),
    "privacy.dpo": frozenset({_S, _PM}),
    # reports
    "reports.dashboard": frozenset({_S, _PM, _L}),
    "reports.operational": frozenset({_S, _PM}),
}

# Roles that must pass a second step (a code from an authenticator app) after the password: those
# that see people's identities (NIK, KK, documents: the desk, the verifier, the manager, the system
# administrator, who also has /admin/) and P3MI staff, who hold their workers' passports, contracts
# and phone numbers abroad. Leadership and training staff see names, counts and attendance only;
# job seekers log in with a phone, often shared, and no authenticator app.
TWO_FACTOR_ROLES = frozenset({_S, _PM, _RO, _V, _A})


def can(user, capability: str) -> bool:
    """Whether `user` has `capability`. Unknown capabilities are a programming error."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in CAPABILITIES[capability]


def is_office(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in OFFICE_ROLES
