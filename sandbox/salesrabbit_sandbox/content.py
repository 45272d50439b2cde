"""The content of a lead: names, address, contact details and notes.

Every function draws from a ``random.Random`` the caller seeded from the lead's
hash, so a lead's content is fixed by its seed and id.
"""

from __future__ import annotations

import random

from salesrabbit_sandbox import vocab
from salesrabbit_sandbox.jsonutil import JsonObject
from salesrabbit_sandbox.timefmt import iso
from salesrabbit_sandbox.users import full_name


def status_path(rng: random.Random, final: str, steps: int) -> list[str]:
    """Return ``steps`` statuses a lead went through, ending at ``final``."""
    path = []
    previous = None
    for _ in range(steps - 1):
        choices = [s for s in vocab.EARLY_STATUSES if s not in {previous, final}]
        previous = rng.choice(choices)
        path.append(previous)
    return [*path, final]


def compose_lead(
    lead_id: int,
    rng: random.Random,
    owner: JsonObject,
    status: str,
    times: list[int],
) -> JsonObject:
    """Build a lead's fields in the API's order.

    Args:
        lead_id: The lead's id.
        rng: Random source seeded from the lead's hash; consumed in a fixed
            order, so the same seed gives the same lead.
        owner: The user the lead belongs to.
        status: The lead's current status name.
        times: Created, owner-modified, status-modified and modified, in
            epoch seconds.
    """
    city = rng.choice(vocab.CITIES)
    first, last = _person(rng)
    lead: JsonObject = {
        "id": lead_id,
        "userId": owner["id"],
        "userName": full_name(owner),
        "firstName": first,
        "lastName": last,
        "businessName": _business(rng),
        "email": _email(rng, first, last),
        "phonePrimary": _phone(rng, city, 0.65),
        "phoneAlternate": _phone(rng, city, 0.12),
        **_address(rng, city),
        "status": status,
        "notes": rng.choice(vocab.NOTES) if rng.random() < 0.45 else "",
        "customFields": _custom_fields(rng),
        "integrationData": {},
        "appointment": None,
    }
    created, owner_modified, status_modified, modified = map(iso, times)
    lead["statusModified"] = status_modified
    lead["ownerModified"] = owner_modified
    lead["dateCreated"] = created
    lead["dateModified"] = modified
    if rng.random() < 1 / 3:
        lead["campaignId"] = (
            rng.choice(vocab.CAMPAIGN_IDS) if rng.random() < 0.9 else None
        )
    return lead


def _person(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.12:
        return "", ""
    return rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)


def _business(rng: random.Random) -> str:
    if rng.random() >= 0.1:
        return ""
    words = (vocab.BUSINESS_WORDS, vocab.BUSINESS_KINDS, vocab.BUSINESS_SUFFIXES)
    return "{} {}{}".format(*(rng.choice(choices) for choices in words))


def _email(rng: random.Random, first: str, last: str) -> str:
    if not first or rng.random() < 0.45:
        return ""
    first, last = (
        name.lower().replace(" ", "").replace("'", "").replace(".", "")
        for name in (first, last)
    )
    local = rng.choice(
        (f"{first}.{last}", f"{first}{last}{rng.randint(1, 99)}", f"{first[0]}{last}")
    )
    return f"{local}@{rng.choice(vocab.EMAIL_DOMAINS)}"


def _phone(rng: random.Random, city: vocab.City, chance: float) -> str:
    if rng.random() >= chance:
        return ""
    area, exchange, line = city.area_code, rng.randint(201, 989), rng.randint(0, 9999)
    layout = rng.choice(vocab.PHONE_LAYOUTS)
    return layout.format(area=area, exchange=exchange, line=f"{line:04d}")


def _address(rng: random.Random, city: vocab.City) -> JsonObject:
    street = "{}{}{} {}".format(
        rng.randint(100, 19_999),
        " " + rng.choice(vocab.STREET_PREFIXES),
        rng.choice(vocab.STREET_NAMES),
        rng.choice(vocab.STREET_SUFFIXES),
    )
    unit = rng.choice(vocab.UNIT_FORMATS).format(n=rng.randint(1, 40))
    return {
        "street1": street if rng.random() < 0.97 else "",
        "street2": unit if rng.random() < 0.08 else "",
        "city": city.name,
        "state": city.state,
        "zip": f"{city.zip_prefix}{rng.randint(1, 99):02d}",
        "country": "USA" if rng.random() < 0.97 else "",
        "latitude": round(city.latitude + rng.uniform(-0.12, 0.12), 12),
        "longitude": round(city.longitude + rng.uniform(-0.12, 0.12), 12),
    }


def _custom_fields(rng: random.Random) -> JsonObject:
    if rng.random() < 0.4:
        return {}
    fields: JsonObject = {"Source": rng.choice(vocab.LEAD_SOURCES)}
    if rng.random() < 0.6:
        fields["Roof Age"] = str(rng.randint(1, 35))
    if rng.random() < 0.5:
        fields["Utility Provider"] = rng.choice(vocab.UTILITIES)
    if rng.random() < 0.4:
        fields["Monthly Bill"] = f"${rng.randint(60, 420)}"
    return fields
