"""Placement: P3MI agencies, the city–APJATI MoU and PKS agreements, SIP2MI permits, job orders,
their cost lines, and the applications of candidates to them.

Nothing here is typed in that can be computed: an agency's state comes from its licence dates and
its suspension records, an agreement's state from its dates, the quota left from the orders that
hold it.

One module per concept; Django finds the models here, so this package names every model with its
choices. Anything else (the constants, `cost_line_key`) is imported from its concept module:
- `partners`: P3MI agencies and their suspensions, the MoU and PKS agreements, expiry notices;
- `permits`: SIP2MI permits and the changes of their figures;
- `orders`: job orders, their cost lines and their history;
- `applications`: applications and their history;
- `constraints`: `FieldCheckConstraint`, the CHECK that says what to fix beside the field;
- `documents`: where uploaded documents are stored.
The migrations name the constraint and the callables below by this package's path.
"""

from ..matching.models import MatchingProposal, MatchingRun
from .applications import (
    Application,
    ApplicationEvent,
    ApplicationOrigin,
    InterviewMode,
    InterviewResult,
)
from .constraints import FieldCheckConstraint
from .documents import agreement_document_name, attache_document_name, permit_document_name
from .orders import (
    AttacheStatus,
    CostDecision,
    CostItem,
    CostPayer,
    Currency,
    JobOrder,
    JobOrderCost,
    JobOrderEvent,
    WagePeriod,
    _education_choices,
    _sex_choices,
)
from .partners import (
    Agency,
    AgencyQuerySet,
    AgencyState,
    AgencySuspension,
    Agreement,
    AgreementKind,
    AgreementQuerySet,
    AgreementState,
    ExpiryNotice,
)
from .permits import PermitChange, PermitChangeStatus, RecruitmentPermit

__all__ = [
    "Agency",
    "AgencyQuerySet",
    "AgencyState",
    "AgencySuspension",
    "Agreement",
    "AgreementKind",
    "AgreementQuerySet",
    "AgreementState",
    "Application",
    "ApplicationEvent",
    "ApplicationOrigin",
    "AttacheStatus",
    "CostDecision",
    "CostItem",
    "CostPayer",
    "Currency",
    "ExpiryNotice",
    "FieldCheckConstraint",
    "InterviewMode",
    "InterviewResult",
    "JobOrder",
    "JobOrderCost",
    "JobOrderEvent",
    "MatchingProposal",
    "MatchingRun",
    "PermitChange",
    "PermitChangeStatus",
    "RecruitmentPermit",
    "WagePeriod",
    "_education_choices",
    "_sex_choices",
    "agreement_document_name",
    "attache_document_name",
    "permit_document_name",
]
