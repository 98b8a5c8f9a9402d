"""`tracelot demo_logins`: create the demo users and print how to sign in."""

from typing import Any

from django.utils.translation import gettext

from tracelot.core.commands import TracelotCommand
from tracelot.demo.alerts import demo_alert_rules_ensure
from tracelot.demo.logins import demo_logins_ensure


class Command(TracelotCommand):
    help = (
        "Create the demo users (one per role, and admin) and the demo's alert rules, and print "
        "the passwords."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins_ensure()
        demo_alert_rules_ensure()
        self.stdout.write(gettext("Demo sign-ins (for a demo database only):"))
        header = (gettext("user"), gettext("password"), gettext("signs in as"))
        self.stdout.write(f"  {header[0]:<10} {header[1]:<20} {header[2]}")
        for login in logins:
            if login.superuser:
                who = gettext("administrator (all permissions)")
            elif login.operator is not None:
                who = f"{login.operator.code} {login.operator.name} {login.operator.name_zh}"
            else:
                who = gettext("group %(group)s") % {"group": login.group}
            self.stdout.write(f"  {login.username:<10} {login.password:<20} {who}")
