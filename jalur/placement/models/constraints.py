"""The CHECK constraint of placement's models that says what to fix, beside the field to fix."""

import datetime

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models


class FieldCheckConstraint(models.CheckConstraint):
    """A CHECK constraint that says what to fix, beside the field to fix.

    When Django validates it before the database (a ModelForm, `full_clean()` in a service, the
    admin), a violation is `violation_error_message` filled in with the row's values (e.g.
    "%(min_age)s", dates as 17-08-2026) and put on `field`, instead of "Batasan “…” dilanggar."
    on top of the page. The message is the one source of truth: services and forms let Django
    check the constraint rather than repeating the rule. `field` must be one the condition reads,
    so a form that does not show it skips the check (as Django does) instead of failing to place
    the message. The database sees a plain CHECK; the code is the constraint's name.
    """

    non_db_attrs = (*models.CheckConstraint.non_db_attrs, "field")

    def __init__(self, *, field: str, violation_error_message, **kwargs):
        kwargs.setdefault("violation_error_code", kwargs.get("name"))
        super().__init__(violation_error_message=violation_error_message, **kwargs)
        self.field = field

    def get_violation_error_message(self, instance=None) -> str:
        return str(self.violation_error_message) % _ShownValues(instance)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError:
            raise ValidationError(
                {
                    self.field: ValidationError(
                        self.get_violation_error_message(instance),
                        code=self.violation_error_code,
                    )
                }
            ) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        return super().__eq__(other) and self.field == getattr(other, "field", None)


class _ShownValues(dict):
    """A row's field values as a message shows them, for "%(field)s" in a constraint's message."""

    def __init__(self, instance):
        super().__init__()
        self.instance = instance

    def __missing__(self, key):
        value = getattr(self.instance, key, None)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime.date):
            return value.strftime("%d-%m-%Y")
        return value
