"""Questions of the registration form that a cheap phone makes hard: the date of birth is typed
(a date picker opens on this year), the job types carry where they lead (so the page offers only
those for the countries ticked), and a job type that goes elsewhere is still refused without
JavaScript."""

import datetime
import re

import pytest

from jalur.candidates.forms import IdentityForm, PreferencesForm
from jalur.candidates.models import Candidate
from jalur.pathways.models import JobType

from .conftest import CIPARE
from .test_registration import ADDRESS, create_account, identity_post, step_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    ["17-08-1995", "17/08/1995", "17081995", "1995-08-17", " 17 - 08 - 1995 ", "17.08.1995"],
)
def test_the_date_of_birth_is_read_day_first_in_the_ways_people_type_it(typed):
    field = IdentityForm().fields["birth_date"]
    assert field.clean(typed) == datetime.date(1995, 8, 17)


@pytest.mark.parametrize("typed", ["1995", "08-17-1995", "31-02-1995", "17 Agustus"])
def test_a_date_of_birth_not_read_says_how_to_write_it(typed):
    form = IdentityForm(data={"birth_date": typed})
    form.is_valid()
    assert form.errors["birth_date"] == [
        "Tanggal lahir tidak terbaca. Tulis tanggal-bulan-tahun dengan angka, seperti 17-08-1995."
    ]


def test_the_date_of_birth_is_a_number_field_typed_not_a_date_picker():
    html = str(IdentityForm(initial={"birth_date": datetime.date(1995, 8, 17)})["birth_date"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'inputmode="numeric"' in html and 'placeholder="HH-BB-TTTT"' in html
    assert 'value="17-08-1995"' in html  # shown again as it is typed


def test_the_age_rule_still_refuses_a_typed_date_of_someone_under_18(client):
    create_account(client)
    post = identity_post()
    post["birth_date"] = "01-01-" + str(datetime.date.today().year - 10)
    response = client.post(step_url("identitas"), post)
    assert any("Usia minimal 18 tahun" in e for e in response.context["form"].errors["birth_date"])
    assert response.context["form"]["nik"].value() == post["nik"]  # what was typed is kept


def test_each_job_type_says_where_its_pathways_lead():
    html = str(PreferencesForm()["preferred_job_types"])

    def box(code):
        pk = JobType.objects.get(code=code).pk
        return re.search(rf'<input type="checkbox"[^>]* value="{pk}"[^>]*>', html)[0]

    assert 'data-countries="JP"' in box("caregiver")  # SSW and IJEPA: Japan only
    assert 'data-countries="JP KR"' in box("industrial")


def test_the_preferences_page_loads_the_script_that_filters_job_types(client):
    create_account(client)
    client.post(step_url("identitas"), identity_post())
    page = client.get(step_url("minat")).content.decode()
    assert "candidates/candidates.js" in page


def test_without_javascript_a_job_type_for_another_country_is_refused_and_the_rest_kept(client):
    create_account(client)
    client.post(step_url("identitas"), identity_post())
    caregiver = JobType.objects.get(code="caregiver")
    response = client.post(
        step_url("minat"), {"preferred_countries": ["KR"], "preferred_job_types": [caregiver.pk]}
    )
    form = response.context["form"]
    assert "hanya ada jalur resmi ke Jepang" in " ".join(form.errors["preferred_job_types"])
    assert form["preferred_countries"].value() == ["KR"]
    assert form["preferred_job_types"].value() == [str(caregiver.pk)]


def test_one_refused_answer_of_the_address_step_does_not_cost_the_rest(client):
    create_account(client)
    client.post(step_url("identitas"), identity_post())
    post = dict(ADDRESS, emergency_phone=ADDRESS["phone"])  # the family's number is one's own
    response = client.post(step_url("alamat"), post)
    form = response.context["form"]
    assert list(form.errors) == ["emergency_phone"]
    assert form.errors["emergency_phone"] == [
        "Nomor HP keluarga harus nomor orang lain, bukan nomor Anda sendiri."
    ]
    assert form["emergency_phone"].value() == ADDRESS["phone"]  # kept as typed
    candidate = Candidate.objects.get()
    assert candidate.village_id == CIPARE and candidate.street == ADDRESS["street"]
    assert (candidate.rt, candidate.rw, candidate.emergency_name) == ("003", "005", "Ahmad Hidayat")
    assert candidate.emergency_phone == ""
    assert "Isian lain di langkah ini sudah tersimpan" in response.content.decode()
    # put right, the step goes on
    response = client.post(step_url("alamat"), ADDRESS)
    assert response["Location"] == step_url("pendidikan")
    assert Candidate.objects.get().emergency_phone == "+6281311112222"
