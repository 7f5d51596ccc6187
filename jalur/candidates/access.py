"""Fetching candidates for a user, never bare.

Office roles see every candidate of this installation. A candidate sees only their own record.
Training staff and agency staff see the candidates that their own organisation works with; the
training and placement apps register those scopes with `register_scope` when they load.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from jalur.accounts.roles import OFFICE_ROLES, Role, can

from .models import Candidate

_SCOPES: dict[str, list[Callable[[object, QuerySet], QuerySet]]] = {}


def register_scope(role: str, scope: Callable[[object, QuerySet], QuerySet]) -> None:
    """Let an app grant a non-office role sight of some candidates (OR-ed with other scopes)."""
    _SCOPES.setdefault(role, [])
    if scope not in _SCOPES[role]:
        _SCOPES[role].append(scope)


def candidates_for(user) -> QuerySet[Candidate]:
    base = Candidate.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return base.none()
    if user.role in OFFICE_ROLES:
        return base
    if user.role == Role.CANDIDATE:
        return base.filter(user=user)
    scopes = _SCOPES.get(user.role, [])
    if not scopes:
        return base.none()
    # OR of subqueries rather than UNION: SQLite refuses ORDER BY inside compound statements.
    visible = Q()
    for scope in scopes:
        visible |= Q(pk__in=scope(user, base).order_by().values("pk"))
    return base.filter(visible)


def own_candidate(user) -> Candidate | None:
    """The logged-in person's own record, or None before they have one (one unique-key look-up)."""
    if not getattr(user, "is_authenticated", False):
        return None
    # A slice, not first(): the key is unique, so no ORDER BY is needed to pick one row.
    return next(iter(Candidate.objects.filter(user=user).order_by()[:1]), None)


def access_candidate(user, pk, *, write: bool = False) -> Candidate:
    """The candidate `pk` if `user` may see it (404 otherwise); with write=True, may also change it (403)."""
    candidate = candidates_for(user).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    if write and not (
        can(user, "candidates.edit")
        or can(user, "candidates.verify")
        or candidate.user_id == user.pk
    ):
        raise PermissionDenied
    return candidate


def documents_visible(user, candidate: Candidate) -> bool:
    """Documents are seen by the office's intake roles and by the candidate; not by agencies or
    training providers at this stage (later stages decide what they may see)."""
    return can(user, "candidates.view_documents") or (
        candidate.user_id is not None and candidate.user_id == user.pk
    )


def access_document(user, pk, *, write: bool = False):
    """A document `user` may open (404 otherwise); with write=True, may also review it (403)."""
    from .models import CandidateDocument

    document = (
        CandidateDocument.objects.select_related("candidate", "document_type")
        .filter(pk=pk, candidate__in=candidates_for(user).values("pk"))
        .first()
    )
    if document is None or not documents_visible(user, document.candidate):
        raise Http404
    if write and not can(user, "candidates.verify"):
        raise PermissionDenied
    return document


def access_duplicate_flag(user, pk, *, write: bool = False):
    """Possible-duplicate reviews are for verifiers; others do not learn that they exist."""
    from .models import DuplicateFlag

    if not can(user, "candidates.verify"):
        raise Http404
    flag = DuplicateFlag.objects.select_related("first", "second").filter(pk=pk).first()
    if flag is None:
        raise Http404
    return flag


def access_import_job(user, pk):
    """Import jobs and their reports (which hold NIKs) are for users who may import."""
    from .models import ImportJob

    if not can(user, "candidates.import"):
        raise Http404
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
