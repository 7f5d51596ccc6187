"""Fetching training objects for a user, never bare.

Office roles with `training.view` see every provider's cohorts. Training staff see only the cohorts
of their own provider (and, through the candidate scope registered in apps.py, only those trainees).
A candidate sees their own enrolments and certificates. Writes need `training.manage` (cohort work)
or `training.programmes.manage` (programmes, providers, scales).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from jalur.accounts.roles import Role, can

from .models import Assessment, Certificate, Cohort, Enrolment, Programme, Provider, Session


def _is_candidate(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role == Role.CANDIDATE


def cohorts_for(user) -> QuerySet[Cohort]:
    base = Cohort.objects.select_related("programme", "provider__organisation")
    if not can(user, "training.view"):
        return base.none()
    if user.role == Role.TRAINING_STAFF:
        return base.filter(provider__organisation_id=user.organisation_id)
    return base


def enrolments_for(user) -> QuerySet[Enrolment]:
    base = Enrolment.objects.select_related(
        "candidate", "cohort__programme", "cohort__provider__organisation"
    )
    if _is_candidate(user):
        return base.filter(candidate__user=user)
    return base.filter(cohort__in=cohorts_for(user).values("pk"))


def candidates_trained_by(user, candidates: QuerySet) -> QuerySet:
    """The candidate scope for training staff: people enrolled (now or before) at their provider."""
    return candidates.filter(
        enrolments__cohort__provider__organisation_id=user.organisation_id
    ).distinct()


def _check_write(user, capability: str = "training.manage") -> None:
    if not can(user, capability):
        raise PermissionDenied


def access_cohort(user, pk, *, write: bool = False) -> Cohort:
    cohort = cohorts_for(user).filter(pk=pk).first()
    if cohort is None:
        raise Http404
    if write:
        _check_write(user)
    return cohort


def access_session(user, pk, *, write: bool = False) -> Session:
    session = (
        Session.objects.select_related("cohort__programme", "cohort__provider__organisation")
        .filter(pk=pk, cohort__in=cohorts_for(user).values("pk"))
        .first()
    )
    if session is None:
        raise Http404
    if write:
        _check_write(user)
    return session


def access_enrolment(user, pk, *, write: bool = False) -> Enrolment:
    enrolment = enrolments_for(user).filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    if write:
        if _is_candidate(user):
            raise PermissionDenied
        _check_write(user)
    return enrolment


def access_certificate(user, pk, *, write: bool = False) -> Certificate:
    certificate = (
        Certificate.objects.select_related("enrolment__cohort")
        .filter(pk=pk, enrolment__in=enrolments_for(user).values("pk"))
        .first()
    )
    if certificate is None:
        raise Http404
    if write:
        if _is_candidate(user):
            raise PermissionDenied
        _check_write(user)
    return certificate


def access_assessment(user, pk, *, write: bool = False) -> Assessment:
    from jalur.candidates.access import candidates_for

    assessment = (
        Assessment.objects.select_related("candidate")
        .filter(pk=pk, candidate__in=candidates_for(user).values("pk"))
        .first()
    )
    if assessment is None or not (can(user, "training.view") or _is_candidate(user)):
        raise Http404
    if write:
        if _is_candidate(user):
            raise PermissionDenied
        _check_write(user)
        # A provider sees every result of the people it trains, but changes only those recorded
        # in its own cohorts: never another provider's official result, nor the office's.
        if (
            user.role == Role.TRAINING_STAFF
            and not enrolments_for(user).filter(pk=assessment.enrolment_id).exists()
        ):
            raise PermissionDenied
    return assessment


def access_programme(user, pk, *, write: bool = False) -> Programme:
    if not can(user, "training.view"):
        raise Http404
    programme = Programme.objects.filter(pk=pk).first()
    if programme is None:
        raise Http404
    if write:
        _check_write(user, "training.programmes.manage")
    return programme


def providers_for(user) -> QuerySet[Provider]:
    base = Provider.objects.select_related("organisation")
    if not can(user, "training.view"):
        return base.none()
    if user.role == Role.TRAINING_STAFF:
        return base.filter(organisation_id=user.organisation_id)
    return base


def access_provider(user, pk, *, write: bool = False) -> Provider:
    provider = providers_for(user).filter(pk=pk).first()
    if provider is None:
        raise Http404
    if write:
        _check_write(user, "training.programmes.manage")
    return provider
