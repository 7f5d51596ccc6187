"""Putting a service's ValidationError onto the form the person filled in, beside the right fields,
and the one shape every "fill in, save through a service, go on" page shares."""

from collections.abc import Callable, Mapping

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy


def apply_errors(
    form: forms.Form, error: ValidationError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Field errors go beside their field when the form has it (or the field `aliases` names for
    it, e.g. a district checked through the village picked); everything else goes on top. Codes
    are kept, so a template or test can tell one error from another."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    aliases = aliases or {}
    for name, errors in error.error_dict.items():
        target = name if name in form.fields else aliases.get(name)
        if target not in form.fields:
            target = None
        for item in errors:
            form.add_error(target, item)


def form_page(
    request,
    form: forms.Form,
    *,
    save: Callable[[dict], object],
    success: str,
    done: str | Callable[[object], str],
    template: str,
    context: Mapping | None = None,
):
    """On a valid POST, `save(cleaned_data)` (a service call), say `success` and go to `done` (a URL,
    or a function of what `save` returned). A service's refusal lands on the form beside the fields,
    with everything typed kept; otherwise the form is shown with `context`."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(done(saved) if callable(done) else done)
    return render(request, template, {"form": form, **(context or {})})


def post_action(
    request,
    form: forms.Form | None,
    *,
    save: Callable[[dict], object],
    success: str | Callable[[object], str],
    done: str,
    invalid: str = "",
    refused: str = "",
):
    """A button or short form posted from a detail page: run `save(cleaned_data)` (a service call)
    and go back to `done` with what happened as a message: `success` (or a function of what `save`
    returned), the service's own reason when it refuses, or `invalid` (what to fill in) when the
    form itself is wrong (`refused`: a line said before the service's reasons). With no form,
    `save` gets an empty dict."""
    if form is not None and not form.is_valid():
        messages.error(request, invalid or " ".join(m for e in form.errors.values() for m in e))
        return redirect(done)
    try:
        saved = save(dict(form.cleaned_data) if form is not None else {})
    except ValidationError as error:
        for message in [refused, *error.messages] if refused else error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success(saved) if callable(success) else success)
    return redirect(done)


UNSENT_FILE = gettext_lazy(
    "Berkas ini belum tersimpan karena ada isian yang harus diperbaiki: pilih berkasnya lagi "
    "sebelum menyimpan."
)


def note_unsent_file(form, name: str, message=UNSENT_FILE) -> None:
    """Call when a form with a file comes back refused: the browser cannot keep the file that was
    chosen, so say beside its field that it must be chosen again, instead of dropping it silently.
    A file refused for itself already has its own reason there."""
    if form.files.get(form.add_prefix(name)) and name not in form.errors:
        form.add_error(name, ValidationError(message, code="unsent_file"))
