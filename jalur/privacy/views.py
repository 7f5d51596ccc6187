from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jalur.accounts.decorators import capability_required
from jalur.candidates.access import access_candidate, own_candidate
from jalur.candidates.models import Candidate

from .graph import candidate_links, rows_for
from .services import personal_data_export


def _zip_response(content: bytes, candidate: Candidate) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="data-jalur-{candidate.pk}-{timezone.localdate():%Y%m%d}.zip"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required("candidates.self")
def my_data(request):
    candidate = own_candidate(request.user)
    counts: dict[str, int] = {}
    if candidate is not None:
        # a table linked twice (both sides of a duplicate pair) is one line
        for link in candidate_links():
            count = rows_for(candidate, link).count()
            if count:
                counts[link.name] = counts.get(link.name, 0) + count
    summary = list(counts.items())
    if request.method == "POST" and candidate is not None:
        return _zip_response(
            personal_data_export(candidate=candidate, actor=request.user), candidate
        )
    requests = candidate.rights_requests.all()[:20] if candidate is not None else []
    return render(
        request,
        "privacy/my_data.html",
        {"candidate": candidate, "summary": summary, "requests": requests},
    )


@capability_required("candidates.export")
def candidate_export(request, pk):
    candidate = access_candidate(request.user, pk)
    return _zip_response(personal_data_export(candidate=candidate, actor=request.user), candidate)
