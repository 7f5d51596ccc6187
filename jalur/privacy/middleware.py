"""Ask a candidate to answer a new consent version at their next visit (after log-in and after any
second factor, which candidates do not use): every page but the answer itself, log-out and the
public pages sends them to the answer page until they answer."""

from django.shortcuts import redirect
from django.urls import reverse

from .apps import CONSENT_CHECKED

ALLOWED_PREFIXES = ("/static/", "/media/")


class ConsentVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role == "candidate"
            and request.method == "GET"
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            answer_url = reverse("privacy:consent_answer")
            exempt = {
                answer_url,
                reverse("privacy:withdraw"),
                reverse("accounts:logout"),
                reverse("candidates:consent_text"),
            }
            if request.path not in exempt and not request.session.get(CONSENT_CHECKED):
                from jalur.candidates.access import own_candidate

                from .consent import consent_pending

                if consent_pending(own_candidate(user)) is not None:
                    return redirect(f"{answer_url}?next={request.path}")
                request.session[CONSENT_CHECKED] = True
        return self.get_response(request)
