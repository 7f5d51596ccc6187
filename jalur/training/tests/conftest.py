"""Training fixtures: a provider for each training organisation, a cohort with free seats, verified people."""

import pytest

from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory

from .factories import CohortFactory, ProgrammeFactory, ProviderFactory


@pytest.fixture
def lpk(provider):
    return ProviderFactory(organisation=provider)


@pytest.fixture
def lpk_b(provider_b):
    return ProviderFactory(organisation=provider_b)


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def cohort(lpk, programme):
    return CohortFactory(provider=lpk, programme=programme, capacity=3)


@pytest.fixture
def cohort_b(lpk_b, programme):
    return CohortFactory(provider=lpk_b, programme=programme, capacity=3)


@pytest.fixture
def make_verified(db):
    def make(**kwargs):
        return CandidateFactory(stage=Stage.VERIFIED, **kwargs)

    return make
