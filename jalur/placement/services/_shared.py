"""What the placement services share: small helpers (dates, reasons, who to tell, a model's own
refusals, a checked upload) and the two status moves, of job orders and of applications, each
through `jalur.audit.transitions.status_move`."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.audit import transitions
from jalur.candidates.uploads import document_file_check
from jalur.notifications.services import notify

from ..models import (
    Agency,
    Application,
    ApplicationEvent,
    JobOrder,
    JobOrderEvent,
)
from ..states import (
    APPLICATION_TRANSITIONS,
    ORDER_TRANSITIONS,
    ApplicationStatus,
    OrderStatus,
)

AS = ApplicationStatus


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _reason_required(reason: str, message: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": message})
    return reason.strip()


def _agency_staff(agency: Agency):
    return User.objects.filter(
        organisation_id=agency.organisation_id, role=Role.AGENCY_STAFF, is_active=True
    )


def _managers():
    return User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True)


def _notify_all(users, *, key: str, context: dict, link: str) -> None:
    for user in users:
        notify(user=user, key=key, context=context, link=link)


def _model_errors(instance, errors: dict, *, rename=None, **clean) -> None:
    """Add what the model itself refuses (field values, and each constraint's own message beside its
    field) to `errors`, named as the caller's data names them (`rename`), so the person sees every
    problem in one round, before the database is asked."""
    try:
        instance.full_clean(**clean)
    except ValidationError as error:
        for name, found in error.error_dict.items():
            errors.setdefault((rename or {}).get(name, name), []).extend(found)


def _stored_file(upload, *, field: str) -> tuple[ContentFile, str, str]:
    """A checked upload (PDF, JPEG or PNG by content) ready for the storage API; a refusal is
    reported on the form field `field`."""
    try:
        checked = document_file_check(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return ContentFile(checked.content), checked.content_type, checked.sha256


def _order_move(order: JobOrder, *, to_status: str, actor, reason: str = "", **fields) -> JobOrder:
    """Change a locked order's status by the one recipe (`jalur.audit.transitions.status_move`):
    checked against ORDER_TRANSITIONS, with its JobOrderEvent history row and its audit row."""
    return transitions.status_move(
        order,
        to_status=to_status,
        table=ORDER_TRANSITIONS,
        labels=OrderStatus,
        noun=_("Lowongan"),
        actor=actor,
        action=f"job_order.{to_status}",
        reason=reason,
        history=transitions.event_row(
            JobOrderEvent, order=order, to_status=to_status, actor=actor, reason=reason
        ),
        fields=fields,
    )


def _application_move(
    application: Application, *, to_status: str, actor, reason: str = "", **fields
) -> Application:
    """Change a locked application's status by the one recipe (`jalur.audit.transitions`):
    checked against APPLICATION_TRANSITIONS, with its ApplicationEvent row and its audit row."""
    return transitions.status_move(
        application,
        to_status=to_status,
        table=APPLICATION_TRANSITIONS,
        labels=ApplicationStatus,
        noun=_("Lamaran"),
        actor=actor,
        action=f"application.{to_status}",
        reason=reason,
        history=transitions.event_row(
            ApplicationEvent,
            application=application,
            to_status=to_status,
            actor=actor,
            reason=reason,
        ),
        fields={"status_reason": reason, **fields},
    )
