"""The awkward values real SalesRabbit exports contain, and where to plant them.

Each :class:`BadKind` rewrites one or more fields of a generated lead. Some
kinds break a rule of transform's seed (too long, malformed e-mail, NUL byte)
and must be flagged downstream; others only look suspicious (emoji, multibyte
text at exactly the limit, a plus-addressed e-mail) and must pass untouched.
The ``valid`` flag says which is which.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from salesrabbit_sandbox.jsonutil import JsonObject

Rewrite = Callable[[random.Random, JsonObject], dict[str, str]]


@dataclass(frozen=True)
class BadKind:
    """One kind of awkward value.

    Attributes:
        name: Stable identifier, used in the catalogue.
        valid: True when the value is legitimate and must not be flagged.
        rewrite: Returns the fields to overwrite, given the lead as generated.
    """

    name: str
    valid: bool
    rewrite: Rewrite


@dataclass(frozen=True)
class BadValue:
    """One awkward value the sandbox serves: which lead, which field, what.

    Attributes:
        lead_id: The lead that carries the value.
        field: The lead field that holds it.
        kind: The :class:`BadKind` name.
        value: The exact string served.
        valid: True when downstream checks must accept the value.
    """

    lead_id: int
    field: str
    kind: str
    value: str
    valid: bool


def _repeat_to(rng: random.Random, text: str, low: int, high: int) -> str:
    """Repeat ``text`` and cut it to a length between ``low`` and ``high``."""
    length = rng.randint(low, high)
    return (text * (length // len(text) + 1))[:length].rstrip() + "."


def _long_first_name(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    note = "Robert - homeowner says call his wife first, she decides on quotes; "
    return {"firstName": _repeat_to(rng, note, 256, 420)}


def _long_street(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    note = f"{lead['street1'] or '12 Main St'} blue house behind the church, "
    return {"street1": _repeat_to(rng, note, 256, 400)}


def _long_city(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    note = "Unincorporated county land north of the canal, ask at the feed store; "
    return {"city": _repeat_to(rng, note, 101, 180)}


def _nul_in_last_name(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    name = lead["lastName"] or "Garcia"
    cut = rng.randint(1, len(name) - 1)
    return {"lastName": f"{name[:cut]}\x00{name[cut:]}"}


def _multibyte_at_limit(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    pieces = (
        "Παπαδόπουλος",
        "Иванова",
        "渡辺",
        "김민준",
        "Ñúñéż",
        "Øæø",
    )
    text = "·".join(rng.choice(pieces) for _ in range(60))[:254]
    return {"lastName": text + "ñ"}


def _padded(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    name = lead["firstName"] or "Maria"
    return {"firstName": f"{' ' * rng.randint(1, 3)}{name} "}


def _blank_contact(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    fields = ("firstName", "lastName", "email", "phonePrimary", "phoneAlternate")
    return dict.fromkeys(fields, "")


def _blank_owner_date(rng: random.Random, lead: JsonObject) -> dict[str, str]:
    return {"ownerModified": ""}


def _fixed(field: str, value: str) -> Rewrite:
    def rewrite(rng: random.Random, lead: JsonObject) -> dict[str, str]:
        return {field: value}

    return rewrite


KINDS: tuple[BadKind, ...] = (
    BadKind("state_too_long", False, _fixed("state", "NEWTON FALLS")),
    BadKind("first_name_too_long", False, _long_first_name),
    BadKind("street1_too_long", False, _long_street),
    BadKind("city_too_long", False, _long_city),
    BadKind("zip_too_long", False, _fixed("zip", "80222-1234 or 80223-5678")),
    BadKind(
        "phone_too_long",
        False,
        _fixed("phonePrimary", "(303) 555-0142 ext. 2231 ask for Dana"),
    ),
    BadKind("phone_without_digits", False, _fixed("phonePrimary", "call office")),
    BadKind("email_without_tld", False, _fixed("email", "notanemail@domain")),
    BadKind("email_double_dot", False, _fixed("email", "john..doe@")),
    BadKind("email_with_space", False, _fixed("email", "a b@c.com")),
    BadKind("email_double_at", False, _fixed("email", "x@@y.com")),
    BadKind("nul_in_notes", False, _fixed("notes", "Gate code 4411\x00 dog in yard")),
    BadKind("nul_in_last_name", False, _nul_in_last_name),
    BadKind("emoji_in_name", True, _fixed("firstName", "José 😀")),
    BadKind("multibyte_name_at_limit", True, _multibyte_at_limit),
    BadKind(
        "plus_uppercase_email", True, _fixed("email", "John.Doe+leads@Example.COM")
    ),
    BadKind("padded_whitespace", True, _padded),
    BadKind("blank_contact", True, _blank_contact),
    BadKind("blank_owner_date", True, _blank_owner_date),
    # A GPS glitch, sent as text: the tap converts it, dbt flags the range.
    BadKind("latitude_out_of_range", False, _fixed("latitude", "123.4")),
)
"""Every kind, in a fixed order: positions in this tuple are part of the seed."""

KIND_BY_NAME = {kind.name: kind for kind in KINDS}
