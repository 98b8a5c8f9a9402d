"""Account forms: the password-reset request, answered in the user's own language."""

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from tracelot.accounts.selectors import user_language


class PasswordResetInLanguageForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # The e-mail is read later, by the account's owner: in the language they chose, not
        # in the one of whoever filled in the form.
        language = user_language(user=context["user"]) or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )
