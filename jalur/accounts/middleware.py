"""A session of a role that must pass the code step goes nowhere else until it has: every page,
/admin/ included, redirects to the code step (or to enrolment for a first log-in)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from . import two_factor

OPEN_BEFORE_THE_CODE = {
    "accounts:otp_verify",
    "accounts:otp_setup",
    "accounts:logout",
    "set_language",
    "javascript-catalog",
}


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware, which gives `request.user.is_verified()`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if two_factor.required_for(user) and not user.is_verified():
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name and name not in OPEN_BEFORE_THE_CODE:
                step = "accounts:otp_verify" if two_factor.enrolled(user) else "accounts:otp_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)
