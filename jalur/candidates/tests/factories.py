import datetime

import factory

from jalur.candidates.models import Candidate, Education, Sex
from jalur.candidates.stages import Stage
from jalur.rules.identity import nik_build


class CandidateFactory(factory.django.DjangoModelFactory):
    """A valid adult candidate living in Kota Serang (kelurahan Cipare, kecamatan Serang)."""

    class Meta:
        model = Candidate

    full_name = factory.Faker("name", locale="id_ID")
    sex = Sex.MALE
    birth_date = datetime.date(1998, 5, 17)
    birth_place = "Serang"
    district_id = "36.73.01"
    village_id = "36.73.01.1002"
    nik = factory.LazyAttributeSequence(
        lambda o, n: nik_build(
            district_code="36.73.01",
            birth_date=o.birth_date,
            female=o.sex == Sex.FEMALE,
            serial=5000 + n % 4999,  # clear of the small serials registration_data() uses
        )
    )
    kk_number = factory.Sequence(lambda n: f"367301{n:010d}")
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    education_level = Education.SMA
    height_cm = 168
    weight_kg = 60
    stage = Stage.REGISTERED
    consent_version = "2026-01"
