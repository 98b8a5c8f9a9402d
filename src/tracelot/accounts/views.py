"""Sign-in, sign-out, password reset by e-mail and the language switch."""

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from tracelot.accounts.forms import PasswordResetInLanguageForm
from tracelot.accounts.services import user_language_set
from tracelot.audit.access import access_record
from tracelot.audit.models import AccessKind


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        idle = self.request.GET.get("idle", "")
        context["idle_minutes"] = int(idle) if idle.isdigit() and int(idle) < 10_000 else None
        return context


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetInLanguageForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")
    extra_email_context = {"days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)}

    def form_valid(self, form: Any) -> HttpResponse:
        # Recorded whether or not the address belongs to a user; the page says the same.
        access_record(
            kind=AccessKind.PASSWORD_RESET_ASKED,
            username=form.cleaned_data["email"][:150],
            address=self.request.META.get("REMOTE_ADDR"),
        )
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the language: saved for a signed-in user, in a cookie for everyone."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if not check_for_language(language):
        return response
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
    )
    return response


def signing_in_locked(request: HttpRequest, response: Any, credentials: Any) -> HttpResponse:
    """What a locked-out sign-in sees (django-axes calls it): why, and for how long."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
