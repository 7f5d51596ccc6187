"""Serving stored private files (documents, evidence, signed agreements) to someone already allowed to
see them: every read is audited, nothing is cached, and the file cannot run script in the browser."""

from django.http import FileResponse, Http404

from .models import AuditLog
from .services import audit_access

SANDBOX = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; sandbox allow-downloads"


def private_file_response(
    request,
    *,
    file,
    content_type: str,
    target,
    action: str,
    filename: str,
    download: bool = False,
    detail=None,
) -> FileResponse:
    """The caller has checked access to `target`; this logs the read and streams the file."""
    if not file:
        raise Http404
    audit_access(
        actor=request.user, action=action, target=target, kind=AuditLog.Kind.VIEW, detail=detail
    )
    response = FileResponse(
        file.open("rb"),
        content_type=content_type or "application/octet-stream",
        as_attachment=download,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = SANDBOX
    return response
