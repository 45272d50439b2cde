"""The sandbox's sales team: the users that own leads and change statuses."""

from __future__ import annotations

import random

from salesrabbit_sandbox import vocab
from salesrabbit_sandbox.hashing import derive
from salesrabbit_sandbox.jsonutil import JsonObject
from salesrabbit_sandbox.timefmt import iso

USER_COUNT = 25
FIRST_USER_ID = 911_700_000
USERS_SALT = 0x5553_4552
TEAM_FOUNDED = 1_704_067_200  # 2024-01-01T00:00:00+00:00
TEAM_SPAN = 180 * 86_400
"""Users join within half a year of the team's founding."""
LAST_EDIT = 1_782_863_999  # 2026-06-30T23:59:59+00:00
LEAD_OWNER_ROLES = frozenset({"Rep", "Setter", "Manager"})


def make_users(seed: int) -> tuple[JsonObject, ...]:
    """Generate the team for a seed, ordered by id.

    The first user is the account owner, the next two are admins, and the
    rest are mostly reps; about one in six has left and is inactive.
    """
    rng = random.Random(derive(seed, USERS_SALT))
    users = []
    user_id = FIRST_USER_ID
    for position in range(USER_COUNT):
        user_id += rng.randint(150, 9_000)
        users.append(_user(rng, user_id, _role(rng, position)))
    return tuple(users)


def lead_owners(users: tuple[JsonObject, ...]) -> tuple[JsonObject, ...]:
    """Return the users that knock doors, reps weighted above managers."""
    owners: list[JsonObject] = []
    for user in users:
        if user["role"] in LEAD_OWNER_ROLES:
            owners.extend([user] * (1 if user["role"] == "Manager" else 4))
    return tuple(owners)


def full_name(user: JsonObject) -> str:
    """Return the name the API shows as a lead's ``userName``."""
    return f"{user['firstName']} {user['lastName']}"


def _role(rng: random.Random, position: int) -> str:
    if position == 0:
        return "Owner"
    if position < 3:
        return "Admin"
    return rng.choice(vocab.USER_ROLES)


def _user(rng: random.Random, user_id: int, role: str) -> JsonObject:
    first = rng.choice(vocab.FIRST_NAMES)
    last = rng.choice(vocab.LAST_NAMES)
    local = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    created = TEAM_FOUNDED + rng.randint(0, TEAM_SPAN)
    area = rng.choice(vocab.CITIES).area_code
    return {
        "id": user_id,
        "firstName": first,
        "lastName": last,
        "email": f"{local}@{vocab.COMPANY_DOMAIN}",
        "phone": f"({area}) {rng.randint(201, 989)}-{rng.randint(0, 9999):04d}",
        "active": role in {"Owner", "Admin"} or rng.random() > 0.16,
        "role": role,
        "dateCreated": iso(created),
        "dateModified": iso(rng.randint(created, LAST_EDIT)),
    }
