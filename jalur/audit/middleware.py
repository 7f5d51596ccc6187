"""Remembers the client's IP and user agent for the audit rows a request writes."""

from jalur.core.network import client_ip

from .context import RequestInfo, reset_request_info, set_request_info


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        info = RequestInfo(
            ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]
        )
        token = set_request_info(info)
        try:
            return self.get_response(request)
        finally:
            reset_request_info(token)
