"""Log-in, log-out, profile and language preference."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from jalur.audit.models import AuditLog
from jalur.audit.services import audit_record
from jalur.core.forms_errors import apply_errors
from jalur.core.throttle import throttled
from jalur.notifications.gateways import phone_channel

from . import two_factor
from .decorators import login_only, public
from .forms import ChangePasswordForm, LoginForm, NewPasswordForm, ProfileForm, ResetRequestForm
from .services import user_email_set, user_password_changed, user_set_language


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        with transaction.atomic():
            audit_record(actor=user, action="auth.login", target=user, kind=AuditLog.Kind.AUTH)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            with transaction.atomic():
                audit_record(
                    actor=request.user,
                    action="auth.logout",
                    target=request.user,
                    kind=AuditLog.Kind.AUTH,
                )
        return super().post(request, *args, **kwargs)


@login_only
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"language": user.language, "email": user.email or ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_email_set(user=user, email=form.cleaned_data["email"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            language = form.cleaned_data["language"]
            if language != user.language:
                user_set_language(user=user, language=language)
            translation.activate(language)
            messages.success(request, _("Pengaturan tersimpan."))
            response = redirect("accounts:profile")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
            return response
    # With a phone gateway, a phone-only account can reset its password itself.
    self_reset = bool(user.email or (user.phone and phone_channel()))
    context = {"form": form, "self_reset": self_reset}
    if two_factor.enrolled(user):
        context.update(
            two_factor_enrolled=True, recovery_codes_left=two_factor.recovery_codes_left(user)
        )
    return render(request, "accounts/profile.html", context)


class _PasswordAudited:
    """A password set through one of Django's views leaves an audit row (never the password)."""

    how = ""

    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_changed(user=form.user, actor=form.user, how=self.how)
        return response


class PasswordChangeView(_PasswordAudited, auth_views.PasswordChangeView):
    how = "change"
    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetConfirmView(_PasswordAudited, auth_views.PasswordResetConfirmView):
    how = "reset"
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


password_change = login_only(PasswordChangeView.as_view())
password_change_done = login_only(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


RESET_ACCOUNT_KEY = "jalur_reset_account"


class PasswordResetView(auth_views.PasswordResetView):
    """By e-mail, or by WhatsApp/SMS to the account's phone when the city has a phone gateway."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def get_context_data(self, **kwargs):
        return super().get_context_data(phone_channel=phone_channel(), **kwargs)

    def get_initial(self):
        # "Kirim ulang" on the next page comes back with the number or e-mail already typed
        return {"email": self.request.session.get(RESET_ACCOUNT_KEY, "")}

    def post(self, request, *args, **kwargs):
        # every request counts, refused ones too: a number tried again and again is no cheaper
        if throttled(request, "password-reset"):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None,
                _("Terlalu banyak permintaan dari sambungan ini. Coba lagi satu jam lagi."),
            )
            return self.form_invalid(form)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.by_phone = form.phone is not None
        self.request.session[RESET_ACCOUNT_KEY] = form.cleaned_data["email"]
        return super().form_valid(form)

    def get_success_url(self):
        done = reverse("accounts:password_reset_done")
        return f"{done}?lewat=hp" if self.by_phone else done


def password_reset_done(request):
    by_phone = request.GET.get("lewat") == "hp" and phone_channel()
    return render(
        request,
        "accounts/password_reset_done.html",
        {"by_phone": by_phone, "phone_channel": phone_channel()},
    )


password_reset = public(PasswordResetView.as_view())
password_reset_done = public(password_reset_done)
password_reset_confirm = public(PasswordResetConfirmView.as_view())
password_reset_complete = public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
login = public(LoginView.as_view())
logout = login_only(LogoutView.as_view())
