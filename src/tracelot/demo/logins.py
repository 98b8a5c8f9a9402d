"""Demo sign-ins: one user per role with a documented password, and the admin superuser.

The passwords are printed by `tracelot demo_logins` and written in the README: these users
are for a demo database only, never for a plant's real one.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from tracelot.demo.plant import SITE_CODE
from tracelot.plants.models import Operator

# (username = group name, the demo operator it signs in as, if any)
ROLES = [
    ("operator", "A02"),  # Li Qiang, early-shift mixing
    ("warehouse", "WH01"),  # Liang Gang
    ("quality", "QA01"),  # Lin Hui, the quality manager
    ("planner", ""),
    ("auditor", ""),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    group: str
    operator: Operator | None
    superuser: bool = False


def demo_password(username: str) -> str:
    return f"tracelot-{username}"


@transaction.atomic
def demo_logins_ensure() -> list[DemoLogin]:
    """Create (or reset) the demo users and their groups; link them to the demo operators."""
    logins = []
    for username, operator_code in ROLES:
        group, _ = Group.objects.get_or_create(name=username)
        user = _user(username, superuser=False)
        user.groups.add(group)
        operator = _link(user, operator_code)
        logins.append(DemoLogin(username, demo_password(username), group.name, operator))
    _user("admin", superuser=True)
    logins.append(DemoLogin("admin", demo_password("admin"), "", None, superuser=True))
    return logins


def _user(username: str, *, superuser: bool) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    # Staff status lets the user sign in on the current sign-in page (LOGIN_URL is the
    # admin's); what each role may see comes from its group's permissions.
    user.is_staff = True
    user.is_superuser = superuser
    user.is_active = True
    user.set_password(demo_password(username))
    # An address, so the password-reset e-mail can be tried (`make run` prints e-mails).
    user.email = user.email or f"{username}@demo.tracelot.invalid"
    user.save()
    return user


def _link(user: User, code: str) -> Operator | None:
    if not code:
        return None
    operator = Operator.objects.filter(site__code=SITE_CODE, code=code).first()
    if operator is not None and operator.user_id in (None, user.pk):
        operator.user = user
        operator.save(update_fields=["user"])
    return operator
