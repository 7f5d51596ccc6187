"""Shapes several areas share."""

import functools

from pydantic import BaseModel


class Out(BaseModel):
    """Every answer's shape: a plain pydantic model, validated by pydantic-core from the dicts the
    endpoints build. (ninja's Schema wraps each nested value for attribute access: that cost a
    page of 50 candidates about 160 ms of its 250.)"""


class Coded(Out):
    """A stored code and its label in the request's language."""

    code: str
    label: str


class Named(Out):
    """A record named by its id (or code) and its name."""

    id: int | str
    name: str


def coded(code: str, label) -> dict | None:
    """{code, label}, or None for an empty code."""
    return {"code": code, "label": str(label)} if code else None


@functools.cache
def _labels(field) -> dict:
    return dict(field.flatchoices)  # lazy labels: translated when shown, in the caller's language


def choice(instance, name: str) -> dict | None:
    """{code, label} of a model field with choices. Django's get_FOO_display() translates every
    choice to find one (a 50-row page of candidates spent most of its time there); this translates
    the one shown."""
    value = getattr(instance, name)
    return coded(value, _labels(instance._meta.get_field(name)).get(value, value))
