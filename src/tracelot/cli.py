"""The `tracelot` entry point: every Django management command, and Tracelot's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracelot.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tracelot", *sys.argv[1:]])


if __name__ == "__main__":
    main()
