"""Reading what a caller sends as the web reads it: a web form's refusal as the API's per-field
errors (the same messages, by the same field names)."""

from django.core.exceptions import ValidationError


def form_errors(form) -> dict[str, list[ValidationError]]:
    """{field: [errors]} of a bound web form, empty when it is valid."""
    return {} if form.is_valid() else dict(form.errors.as_data())


def form_check(form) -> dict:
    """The form's cleaned data, or its refusal raised with every field's messages."""
    errors = form_errors(form)
    if errors:
        raise ValidationError(errors)
    return dict(form.cleaned_data)
