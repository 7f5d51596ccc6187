"""Writes for placement: agencies, agreements, permits, job orders, recommendations and applications.

Each service is one action: it checks the rules, writes inside one transaction, records the history
row and the audit row there too, and notifies the people concerned after the change is certain.
Rows are locked in one order everywhere: job orders (lowest id first when several), then the permit
and agreement, then applications, then candidates (lowest id first), so concurrent requests wait for
each other instead of deadlocking.

One module per concept, every public name importable from here:
- `partners`: P3MI agencies and their suspensions, the MoU and PKS agreements, expiry warnings;
- `permits`: SIP2MI permits, the positions held against them, and the changes of their figures;
- `orders`: job orders, their cost lines and the office's decisions on them, and their moves;
- `gate`: the legal gate a job order must pass (`order_problems`);
- `recommendations`: recommendations, one by one or filled from an order's ranking;
- `applications`: applying, the shortlist, the employer's choice, and an application's end;
- `interviews`: scheduling and recording interviews;
- `offers`: offers and the answers to them;
- `_shared`: the helpers they share and the status moves of orders and applications.
"""

from ._shared import AS
from .applications import (
    application_apply,
    application_not_selected,
    application_select,
    application_shortlist,
    application_withdraw,
)
from .gate import (
    Problem,
    order_problems,
)
from .interviews import interview_record, interview_schedule
from .offers import offer_accept, offer_check, offer_decline, offer_make
from .orders import (
    COST_FIELDS,
    ORDER_FIELDS,
    job_order_approve,
    job_order_close,
    job_order_cost_decide,
    job_order_create,
    job_order_reject,
    job_order_return,
    job_order_submit,
    job_order_update,
)
from .partners import (
    AGENCY_FIELDS,
    AGREEMENT_FIELDS,
    agency_create,
    agency_suspend,
    agency_suspension_lift,
    agency_update,
    agreement_create,
    agreement_update,
    expiry_warnings_send,
)
from .permits import (
    PERMIT_FIGURES,
    permit_change_decide,
    permit_change_request,
    positions_used,
)
from .recommendations import recommendations_fill

__all__ = [
    "AS",
    "AGENCY_FIELDS",
    "AGREEMENT_FIELDS",
    "COST_FIELDS",
    "ORDER_FIELDS",
    "PERMIT_FIGURES",
    "Problem",
    "agency_create",
    "agency_suspend",
    "agency_suspension_lift",
    "agency_update",
    "agreement_create",
    "agreement_update",
    "application_apply",
    "application_not_selected",
    "application_select",
    "application_shortlist",
    "application_withdraw",
    "expiry_warnings_send",
    "interview_record",
    "interview_schedule",
    "job_order_approve",
    "job_order_close",
    "job_order_cost_decide",
    "job_order_create",
    "job_order_reject",
    "job_order_return",
    "job_order_submit",
    "job_order_update",
    "offer_accept",
    "offer_check",
    "offer_decline",
    "offer_make",
    "order_problems",
    "permit_change_decide",
    "permit_change_request",
    "positions_used",
    "recommendations_fill",
]
