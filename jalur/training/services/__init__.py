"""Writes for training. Each service validates, writes inside one transaction and audits the change.

One module per concept, every public name importable from here:
- `setup`: providers, programmes (with their required results), cohorts and sessions;
- `enrolment`: seats, the programme quota and the waiting list, withdrawal, the candidate's stage,
  and every move of an enrolment's status (`states.py`);
- `attendance`: the register;
- `results`: test results on their official scales and the scale settings;
- `completion`: completing or failing a course, closing a cohort, certificates;
- `costs`: a cohort's costs and who may pay them;
- `proposals`: a provider proposes people for its cohort, the programme manager confirms;
- `_shared`: the helpers they share.

Seats are the contested resource: every enrolment, withdrawal, promotion, capacity or quota change
locks the programme row first and the cohort row second, so the cohort capacity and the programme
quota hold under concurrent requests on PostgreSQL (SQLite serialises writers by itself).
"""

from ._shared import ENROLLABLE_STAGES
from .attendance import (
    attendance_mark,
    attendance_register_save,
)
from .completion import (
    certificate_issue,
    certificate_number,
    certificate_revoke,
    cohort_close,
    enrolment_complete,
    enrolment_fail,
)
from .costs import (
    COST_FIELDS,
    candidate_zero_cost_job_types,
    cohort_zero_cost_job_types,
    cost_delete,
    cost_record,
    cost_ruling,
)
from .enrolment import (
    enrolment_create,
    enrolment_withdraw,
)
from .proposals import (
    enrolment_propose,
    proposal_accept,
    proposal_decline,
)
from .results import (
    SCORE_FIELDS,
    add_months,
    assessment_delete,
    assessment_record,
    scale_setting_update,
)
from .setup import (
    COHORT_FIELDS,
    PROGRAMME_FIELDS,
    PROVIDER_FIELDS,
    cohort_create,
    cohort_update,
    programme_create,
    programme_update,
    provider_create,
    provider_update,
    requirements_clean,
    session_delete,
    sessions_schedule,
)

__all__ = [
    "COHORT_FIELDS",
    "COST_FIELDS",
    "ENROLLABLE_STAGES",
    "PROGRAMME_FIELDS",
    "PROVIDER_FIELDS",
    "SCORE_FIELDS",
    "add_months",
    "assessment_delete",
    "assessment_record",
    "attendance_mark",
    "attendance_register_save",
    "candidate_zero_cost_job_types",
    "certificate_issue",
    "certificate_number",
    "certificate_revoke",
    "cohort_close",
    "cohort_create",
    "cohort_update",
    "cohort_zero_cost_job_types",
    "cost_delete",
    "cost_record",
    "cost_ruling",
    "enrolment_complete",
    "enrolment_create",
    "enrolment_fail",
    "enrolment_propose",
    "enrolment_withdraw",
    "programme_create",
    "programme_update",
    "proposal_accept",
    "proposal_decline",
    "provider_create",
    "provider_update",
    "requirements_clean",
    "scale_setting_update",
    "session_delete",
    "sessions_schedule",
]
