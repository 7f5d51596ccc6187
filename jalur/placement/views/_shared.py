"""Helpers the placement pages share: a list's query string, a private file's response."""

import mimetypes

from jalur.audit.files import private_file_response


def querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


def file_response(request, *, field, content_type: str, target, action: str, filename: str):
    extension = mimetypes.guess_extension(content_type) or ""
    return private_file_response(
        request,
        file=field,
        content_type=content_type,
        target=target,
        action=action,
        filename=f"{filename}{extension}",
    )
