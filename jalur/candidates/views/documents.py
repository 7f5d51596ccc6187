"""A candidate's document files, served after the access check and audited."""

from django.http import Http404
from django.views.decorators.cache import never_cache

from jalur.accounts.decorators import login_only
from jalur.audit.files import private_file_response

from .. import selectors
from ..access import access_document
from ..models import DocumentType


def document_type_for(candidate, type_code: str) -> DocumentType:
    for doc_type in selectors.document_types_for(candidate):
        if doc_type.code == type_code:
            return doc_type
    raise Http404


@login_only
@never_cache
def document_file(request, pk: int):
    """Serve a document file after checking access; every opening is in the audit trail."""
    document = access_document(request.user, pk)
    extension = document.file.name.rsplit(".", 1)[-1]
    return private_file_response(
        request,
        file=document.file,
        content_type=document.content_type,
        target=document,
        action="document.view",
        filename=f"{document.document_type.code}-{document.pk}.{extension}",
        download="download" in request.GET,
    )
