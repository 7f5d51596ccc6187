import datetime

import factory
from django.utils import timezone

from jalur.accounts.roles import OrganisationKind
from jalur.accounts.tests.factories import OrganisationFactory
from jalur.pathways.models import Pathway
from jalur.training.models import Cohort, Programme, ProgrammeKind, Provider, ProviderKind, Session


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("organisation",)

    organisation = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.TRAINING_PROVIDER)
    kind = ProviderKind.LPK
    licence_number = factory.Sequence(lambda n: f"LPK/{n:04d}/2025")
    licence_valid_until = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=700)
    )
    address = "Jl. Ahmad Yani No. 12, Serang"
    contact_name = "Kim Ji-hye"
    contact_phone = "+6281234500001"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """A Japanese course for SSW: 80% attendance and JFT-Basic (the default pass mark) to pass.

    Four hours long, so a cohort of one 4-hour session can complete it; a test of the hours rule
    sets the programme's hours itself."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Bahasa Jepang JFT-Basic {n}")
    kind = ProgrammeKind.LANGUAGE
    hours = 4
    min_attendance_pct = 80
    required_assessments = factory.LazyFunction(
        lambda: [{"test": "jft_basic", "min_score": None, "min_level": "", "official": False}]
    )
    quota = 1000

    @factory.post_generation
    def pathways(obj, create, extracted, **kwargs):
        if create:
            obj.pathways.set(extracted or [Pathway.objects.get(code="jp-ssw-p2p")])


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Angkatan {n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    venue = "Ruang 1"
    instructor = "Sensei Tanaka"
    capacity = 3


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    date = factory.LazyFunction(timezone.localdate)
    start_time = datetime.time(8, 0)
    end_time = datetime.time(12, 0)
    topic = "Hiragana"
