"""Pages are sent gzipped to browsers that ask, and the CSRF token never repeats (BREACH)."""

import gzip
import re

import pytest

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.django_db
def test_an_html_page_is_gzipped_when_asked_and_its_csrf_token_changes_every_time(client):
    first = client.get("/masuk/", headers={"accept-encoding": "gzip, deflate, br"})
    second = client.get("/masuk/", headers={"accept-encoding": "gzip"})

    for response in (first, second):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
    pages = [gzip.decompress(r.content) for r in (first, second)]
    assert all(b"</html>" in page for page in pages)
    assert len(first.content) < len(pages[0]) / 2
    # The same session's secret, masked anew in each response: no constant for BREACH to guess.
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_a_page_is_sent_plain_to_a_client_that_does_not_ask_for_gzip(client):
    response = client.get("/masuk/")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert b"</html>" in response.content
