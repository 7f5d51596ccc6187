"""Writes for candidates: stage moves, registration, consent, documents, verification, duplicates.

Every new record, from a form, the desk or a row of the Excel import, goes through
`registration_check` and `candidates_create` (the import in batches).

One module per concept, every public name importable from here:
- `stages`: the stage moves and the history, and the listeners told of them (`STAGE_LISTENERS`,
  read there: a test replacing the list replaces `stages.STAGE_LISTENERS`);
- `registration`: the checks and writes of a new record, one or a batch, and the log-ins;
- `record`: changes to a record's data, the birth date confirmation, consent given later;
- `verification`: sending a registration to the verifiers, and their decision;
- `documents`: uploads, their review and their expiry;
- `duplicates`: possible duplicates, flagged and decided;
- `_shared`: the helper they share.
"""

from .documents import (
    document_review,
    document_upload,
    documents_expire,
)
from .duplicates import (
    Matches,
    duplicate_candidates,
    duplicate_decide,
    duplicates_flag,
)
from .record import (
    AUDITED_FIELDS,
    candidate_birth_date_confirm,
    candidate_consent_give,
    candidate_update,
)
from .registration import (
    EMAIL_TAKEN_MESSAGE,
    NIK_TAKEN_MESSAGE,
    PHONE_TAKEN_MESSAGE,
    SLIP_ALPHABET,
    Created,
    NewCandidate,
    NikTaken,
    candidate_account_check,
    candidate_account_create,
    candidate_login_issue,
    candidate_register,
    candidates_create,
    registration_check,
    username_new,
)
from .stages import (
    STAGE_LISTENERS,
    NewRecord,
    candidate_history_start,
    candidate_stage_change,
)
from .verification import (
    candidate_submit,
    candidate_verify,
)

__all__ = [
    "AUDITED_FIELDS",
    "EMAIL_TAKEN_MESSAGE",
    "NIK_TAKEN_MESSAGE",
    "PHONE_TAKEN_MESSAGE",
    "SLIP_ALPHABET",
    "STAGE_LISTENERS",
    "Created",
    "Matches",
    "NewCandidate",
    "NewRecord",
    "NikTaken",
    "candidate_account_check",
    "candidate_account_create",
    "candidate_birth_date_confirm",
    "candidate_consent_give",
    "candidate_history_start",
    "candidate_login_issue",
    "candidate_register",
    "candidate_stage_change",
    "candidate_submit",
    "candidate_update",
    "candidate_verify",
    "candidates_create",
    "document_review",
    "document_upload",
    "documents_expire",
    "duplicate_candidates",
    "duplicate_decide",
    "duplicates_flag",
    "registration_check",
    "username_new",
]
