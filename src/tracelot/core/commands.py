"""The base of Tracelot's own commands: the user's language, and one clear line on bad input."""

import os
import sys
from typing import IO, Any, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from rich.console import Console

from tracelot.core.errors import Refused


def cli_language() -> str:
    """The language a terminal user reads: TRACELOT_LANGUAGE, else the locale (LANG)."""
    chosen = os.environ.get("TRACELOT_LANGUAGE")
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh-hans" if value.lower().startswith("zh") else settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


class TracelotCommand(BaseCommand):
    """Runs in the user's language; bad input prints one line (no traceback) and exits 1."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        with translation.override(cli_language()):
            try:
                try:
                    return super().execute(*args, **options)
                except Refused as refusal:
                    raise CommandError(refusal.message) from refusal
            except CommandError as error:
                if not getattr(self, "_called_from_command_line", False) or options.get(
                    "traceback"
                ):
                    raise
                self.stderr.write(str(error), style_func=self.style.ERROR)
                sys.exit(error.returncode)


def command_console(command: BaseCommand) -> Console:
    """A rich console writing to the command's stdout (captured by tests like any output)."""
    return Console(file=cast(IO[str], command.stdout._out), soft_wrap=True)
