"""The phone gateway's inbound webhook: messages people send to the city's number (inbound.py)."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from jalur.core.access import public

from .inbound import inbound_request


@public  # no session: the gateway proves itself with the signed body (docs/gateway.md)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def gateway_inbound(request):
    if request.method == "GET":
        # The gateway's set-up screen checks that the address answers; nothing is read or said.
        return JsonResponse({"ok": True, "method": "POST"})
    status, answer = inbound_request(
        body=request.body, meta=request.META, remote=request.META.get("REMOTE_ADDR", "")
    )
    return JsonResponse(answer, status=status)
