"""Where placement's uploaded documents are stored: random names, nothing about anyone in them."""

import secrets

from django.utils import timezone


def _random_name(folder: str, content_type: str) -> str:
    # Nothing about the agreement, the company or a person in the name, and not guessable.
    extension = {"application/pdf": "pdf", "image/png": "png"}.get(content_type, "jpg")
    return f"penempatan/{folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{extension}"


def agreement_document_name(instance, filename: str) -> str:
    return _random_name("perjanjian", instance.content_type)


def attache_document_name(instance, filename: str) -> str:
    return _random_name("atase", instance.attache_content_type)


def permit_document_name(instance, filename: str) -> str:
    return _random_name("sip2mi", instance.content_type)
