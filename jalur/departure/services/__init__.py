"""Writes for pre-departure and departure. Each action is one transaction with its audit row.

One module per concept, every public name importable from here:
- `cases`: opening a case, marking it ready, ending it, the daily recheck, and every move of a
  case's status (`states.py`);
- `checklist`: the items and the office's check of them, the one-per-person numbers they hold,
  and the review of a signed contract that differs from what the worker accepted;
- `custody`: who holds the worker's passport;
- `fees`: the fee ledger, the labour office's fee decisions and the no-fee statements;
- `groups`: group departures;
- `review`: the office's review of a whole checklist, and of a group's at once;
- `batch`: a P3MI preparing a group's checklists (shared facts once, then each member's part);
- `_shared`: the helpers they share.
"""

from ._shared import EXTENSIONS
from .batch import group_apply_shared, item_draft_save
from .cases import (
    case_end,
    case_mark_ready,
    case_open,
    cases_recheck,
)
from .checklist import (
    contract_differences,
    contract_review_decide,
    contract_terms,
    item_submit,
    item_use_registration_document,
    item_verify,
    signed_terms,
)
from .custody import (
    passport_handover,
    passport_return,
)
from .fees import (
    fee_decide,
    fee_record,
    fee_violation_follow_up,
    no_fee_record,
)
from .groups import (
    group_create,
    group_depart,
    group_set_members,
)
from .review import ACCEPT, SEND_BACK, checklist_review, group_accept

__all__ = [
    "ACCEPT",
    "EXTENSIONS",
    "SEND_BACK",
    "checklist_review",
    "group_accept",
    "group_apply_shared",
    "item_draft_save",
    "case_end",
    "case_mark_ready",
    "case_open",
    "cases_recheck",
    "contract_differences",
    "contract_review_decide",
    "contract_terms",
    "fee_decide",
    "fee_record",
    "fee_violation_follow_up",
    "group_create",
    "group_depart",
    "group_set_members",
    "item_submit",
    "item_use_registration_document",
    "item_verify",
    "no_fee_record",
    "passport_handover",
    "passport_return",
    "signed_terms",
]
