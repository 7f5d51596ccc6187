"""A NUL character in a query string, a form or a path never reaches a view (issue 16).

PostgreSQL refuses NUL in any text it is given: `/penempatan/publik/p3mi/?q=a%00b` and
`/pelatihan/sertifikat/v/%00/` answered 500 to anyone, and so did six staff filters. The sweep runs
on both databases; on PostgreSQL (CI) it fails without `NulBytesMiddleware`.
"""

import pytest
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from django.urls import reverse

from jalur.core.middleware import NulBytesMiddleware, _without_nul
from jalur.core.tests.test_access_matrix import NO_ARG_VIEWS

NUL_QUERY = "q=a%00b&status=%00open&overdue=%001&page=1%00&sort=%00&negara=%00&tahap=%00"


def test_keys_and_values_lose_the_nul_and_a_clean_querydict_is_left_alone():
    dirty = QueryDict("q=a%00b&x%00y=1&x%00y=2%00")
    clean = _without_nul(dirty)
    assert clean["q"] == "ab"
    assert clean.getlist("xy") == ["1", "2"]
    assert not clean._mutable
    plain = QueryDict("q=ab")
    assert _without_nul(plain) is plain


def test_the_view_sees_the_form_without_nul():
    seen = {}

    def view(request):
        seen.update(get=request.GET.get("q"), post=request.POST.get("nama"))
        return HttpResponse("ok")

    request = RequestFactory().post("/x/?q=a%00b", {"nama": "Siti\x00 Aminah"})
    NulBytesMiddleware(view)(request)
    assert seen == {"get": "ab", "post": "Siti Aminah"}


@pytest.mark.django_db
def test_a_certificate_number_with_nul_is_not_found(client):
    response = client.get("/pelatihan/sertifikat/v/%00/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_public_agency_search_with_nul_answers(client):
    response = client.get(reverse("placement:public_agencies") + "?q=a%00b")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "manager"])
def test_no_page_answers_500_to_nul_in_its_filters(who, client, client_for, manager):
    if who == "manager":
        client = client_for(manager)
    failed = []
    for name, _pattern in NO_ARG_VIEWS:
        response = client.get(f"{reverse(name)}?{NUL_QUERY}")
        if response.status_code >= 500:
            failed.append((name, response.status_code))
    assert failed == []
