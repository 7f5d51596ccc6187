"""The token pages: the office makes tokens for any organisation, P3MI staff for their own agency.
A token's text is shown once, on the page that made it, and kept nowhere."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jalur.accounts.decorators import capability_required
from jalur.core.forms_errors import apply_errors, post_action

from . import selectors, services
from .forms import RevokeForm, TokenForm


@capability_required("api.tokens")
def token_list(request):
    tokens = selectors.tokens_for(request.user)
    return render(request, "api/token_list.html", {"tokens": tokens})


@capability_required("api.tokens")
@never_cache
def token_create(request):
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, key = services.token_create(
                actor=request.user,
                organisation=data["organisation"],
                role=data["role"],
                name=data["name"],
                expires_at=data["expires_on"],
            )
        except ValidationError as error:
            apply_errors(form, error, aliases={"expires_at": "expires_on"})
        else:
            # Shown here once (never cached): not through a redirect, so the text is in no session.
            return render(request, "api/token_created.html", {"token": token, "key": key})
    return render(request, "api/token_create.html", {"form": form})


@capability_required("api.tokens")
def token_revoke(request, pk: int):
    token = get_object_or_404(selectors.tokens_for(request.user), pk=pk)
    if request.method == "POST":
        return post_action(
            request,
            RevokeForm(request.POST),
            save=lambda data: services.token_revoke(
                actor=request.user, token=token, reason=data["reason"]
            ),
            success=_("Token %(name)s dicabut; panggilan dengan token itu ditolak mulai sekarang.")
            % {"name": token.name},
            done=_list_url(),
            invalid=_("Tulis alasan pencabutan."),
        )
    if token.is_revoked:
        messages.info(request, _("Token ini sudah dicabut."))
        return redirect(_list_url())
    return render(request, "api/token_revoke.html", {"token": token, "form": RevokeForm()})


def _list_url() -> str:
    return reverse("api_tokens:list")
