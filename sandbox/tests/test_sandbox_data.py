from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
from sandbox_helpers import Api, breaks_warehouse_rule

from salesrabbit_sandbox import KINDS, Sandbox, bad_value_catalog
from salesrabbit_sandbox.data import LeadFactory

LEAD_FIELDS = [
    "id",
    "userId",
    "userName",
    "firstName",
    "lastName",
    "businessName",
    "email",
    "phonePrimary",
    "phoneAlternate",
    "street1",
    "street2",
    "city",
    "state",
    "zip",
    "country",
    "latitude",
    "longitude",
    "status",
    "notes",
    "customFields",
    "integrationData",
    "appointment",
    "statusModified",
    "ownerModified",
    "dateCreated",
    "dateModified",
]
DIGEST_SCRIPT = """
import hashlib, json
from salesrabbit_sandbox.data import LeadFactory
f = LeadFactory(42, 3000)
text = json.dumps([f.lead(i) for i in f.ids()], sort_keys=True)
print(hashlib.sha256(text.encode()).hexdigest())
"""


@pytest.fixture(scope="module")
def leads() -> list[dict[str, Any]]:
    factory = LeadFactory(42, 3000)
    return [lead for lead in map(factory.lead, factory.ids()) if lead is not None]


def test_leads_have_exactly_the_documented_fields(
    leads: list[dict[str, Any]],
) -> None:
    for lead in leads:
        assert list(lead)[: len(LEAD_FIELDS)] == LEAD_FIELDS
        assert set(lead) - set(LEAD_FIELDS) <= {"campaignId"}
    share = sum("campaignId" in lead for lead in leads) / len(leads)
    assert 0.28 < share < 0.39


def test_generated_dates_lie_in_the_fixed_window(
    leads: list[dict[str, Any]],
) -> None:
    for lead in leads:
        # The blank_owner_date bad value leaves ownerModified empty.
        names = [n for n in LEAD_FIELDS[-4:] if n != "ownerModified" or lead[n]]
        stamps = [lead[name] for name in names]
        assert all(isinstance(s, str) and s.endswith("+00:00") for s in stamps)
        created, modified = lead["dateCreated"], lead["dateModified"]
        assert "2024-01-01T00:00:00+00:00" <= created <= modified
        assert modified <= "2026-06-30T23:59:59+00:00"
        assert created <= lead["statusModified"] <= modified


def test_blank_strings_are_empty_not_null(leads: list[dict[str, Any]]) -> None:
    not_text = {
        "id",
        "userId",
        "latitude",
        "longitude",
        "customFields",
        "integrationData",
        "appointment",
    }
    text_fields = [field for field in LEAD_FIELDS if field not in not_text]
    assert all(isinstance(lead[f], str) for lead in leads for f in text_fields)
    assert sum(lead["email"] == "" for lead in leads) > 300
    assert Counter(lead["status"] for lead in leads).most_common(1)[0][0] == "Not Home"


def test_same_seed_gives_the_same_leads_in_another_process() -> None:
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    result = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    factory = LeadFactory(42, 3000)
    text = json.dumps([factory.lead(i) for i in factory.ids()], sort_keys=True)
    assert result.stdout.strip() == hashlib.sha256(text.encode()).hexdigest()


def test_another_seed_gives_other_leads() -> None:
    assert LeadFactory(1, 10).lead(10000) != LeadFactory(2, 10).lead(10000)


def test_ids_start_at_10000_with_deterministic_gaps() -> None:
    ids = list(LeadFactory(42, 20).ids())
    assert ids[:8] == [10000, 10001, 10002, 10003, 10004, 10005, 10006, 10008]
    assert len(ids) == 20


def test_every_bad_value_kind_is_present_from_50_leads() -> None:
    for count in (50, 3000):
        kinds = {value.kind for value in bad_value_catalog(42, count)}
        assert kinds == {kind.name for kind in KINDS}


def test_about_five_percent_of_leads_carry_a_bad_value() -> None:
    carriers = {value.lead_id for value in bad_value_catalog(42, 3000)}
    assert 0.035 < len(carriers) / 3000 < 0.07


def test_catalogue_matches_served_leads_and_the_warehouse_rules() -> None:
    catalogue = bad_value_catalog(5, 400)
    with Sandbox(leads=400, seed=5, api_key="k") as sandbox:
        api = Api(sandbox.url, "k")
        for value in catalogue:
            lead = api.get(f"/leads/{value.lead_id}").json()["data"]
            assert lead[value.field] == value.value
            assert breaks_warehouse_rule(value.field, value.value) is not value.valid
        api.close()


def test_leads_outside_the_catalogue_break_no_rule(
    leads: list[dict[str, Any]],
) -> None:
    flagged = {(v.lead_id, v.field) for v in bad_value_catalog(42, 3000) if not v.valid}
    for lead in leads:
        for field, value in lead.items():
            if isinstance(value, str) and breaks_warehouse_rule(field, value):
                assert (lead["id"], field) in flagged


def test_named_bad_values_are_served_exactly() -> None:
    values = {(v.kind, v.value) for v in bad_value_catalog(42, 3000)}
    for expected in [
        ("state_too_long", "NEWTON FALLS"),
        ("phone_without_digits", "call office"),
        ("email_without_tld", "notanemail@domain"),
        ("email_double_dot", "john..doe@"),
        ("email_with_space", "a b@c.com"),
        ("email_double_at", "x@@y.com"),
        ("emoji_in_name", "José 😀"),
        ("plus_uppercase_email", "John.Doe+leads@Example.COM"),
    ]:
        assert expected in values
    at_limit = next(
        v.value
        for v in bad_value_catalog(42, 3000)
        if v.kind == "multibyte_name_at_limit"
    )
    assert len(at_limit) == 255
    assert all(ord(ch) > 127 for ch in at_limit)


def test_nul_bytes_survive_the_json_round_trip(api: Api, sandbox: Sandbox) -> None:
    nul = [
        v
        for v in sandbox.bad_values()
        if v.kind in {"nul_in_notes", "nul_in_last_name"}
    ]
    assert {v.field for v in nul} == {"notes", "lastName"}
    for value in nul:
        lead = api.get(f"/leads/{value.lead_id}").json()["data"]
        assert "\x00" in lead[value.field]


def test_stamp_arrays_agree_with_full_leads() -> None:
    factory = LeadFactory(9, 500)
    modified, status = factory.stamps()
    for index, lead_id in enumerate(factory.ids()):
        times = factory.timeline_of(index, lead_id)
        assert (modified[index], status[index]) == (
            times.modified,
            times.status_modified,
        )
