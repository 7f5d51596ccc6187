"""The client's address, with and without the city's proxies in front."""

from django.test import RequestFactory

from jalur.core.network import client_ip


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_connections_address_counts_and_forwarded_headers_do_not(settings):
    settings.JALUR_TRUSTED_PROXIES = 0
    assert client_ip(_request(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")) == (
        "203.0.113.9"
    )


def test_behind_one_proxy_the_last_forwarded_entry_is_the_client(settings):
    settings.JALUR_TRUSTED_PROXIES = 1
    forged = _request(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip(forged) == "203.0.113.9"
    assert client_ip(_request(REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_behind_a_load_balancer_and_nginx_the_second_from_the_right(settings):
    settings.JALUR_TRUSTED_PROXIES = 2
    request = _request(
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.0.0.1"
    )
    assert client_ip(request) == "203.0.113.9"
