"""Shapes several areas share."""

from ninja import Schema


class Coded(Schema):
    """A stored code and its label in the request's language."""

    code: str
    label: str


class Named(Schema):
    """A record named by its id (or code) and its name."""

    id: int | str
    name: str


def coded(code: str, label) -> dict | None:
    """{code, label}, or None for an empty code."""
    return {"code": code, "label": str(label)} if code else None
