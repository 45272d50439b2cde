from __future__ import annotations

from typing import Any

import pytest
from sandbox_helpers import LEADS, Api

from salesrabbit_sandbox import Sandbox


def all_ids(api: Api, headers: dict[str, str], per_page: int = 100) -> list[int]:
    bodies = api.pages("/leads", headers, perPage=per_page)
    return [lead["id"] for body in bodies for lead in body["data"]]


def test_paging_covers_every_lead_once_and_ends_without_more_pages(api: Api) -> None:
    bodies = list(api.pages("/leads", perPage=30))
    ids = [lead["id"] for body in bodies for lead in body["data"]]
    assert len(ids) == LEADS
    assert ids == sorted(set(ids))
    assert [b["meta"]["morePages"] for b in bodies] == [True] * 6 + [False]


def test_default_page_size_is_100_and_large_sizes_are_clamped_to_2000() -> None:
    with Sandbox(leads=2500, seed=1, api_key="k") as sandbox:
        api = Api(sandbox.url, "k")
        assert len(api.get("/leads").json()["data"]) == 100
        body = api.get("/leads", perPage=5000).json()
        assert len(body["data"]) == 2000
        assert body["meta"]["morePages"] is True
        api.close()


def test_page_after_the_last_is_empty_without_more_pages(api: Api) -> None:
    body = api.get("/leads", page=99, perPage=100).json()
    assert body == {"data": [], "meta": {"morePages": False}}


@pytest.mark.parametrize(
    "params", [{"page": 0}, {"page": "x"}, {"perPage": 0}, {"perPage": "-5"}]
)
def test_invalid_paging_parameters_answer_400(api: Api, params: dict[str, Any]) -> None:
    response = api.get("/leads", **params)
    assert response.status_code == 400
    assert "error" in response.json()


def test_single_lead_by_id_and_404_for_unknown(api: Api, sandbox: Sandbox) -> None:
    lead = next(sandbox.leads())
    assert api.get(f"/leads/{lead['id']}").json() == {"data": lead}
    assert api.get("/leads/7").status_code == 404
    assert api.get("/leads/10007").status_code == 404  # a gap in the ids


def test_wrong_or_missing_key_answers_401_json(sandbox: Sandbox) -> None:
    for key in ("wrong", ""):
        response = Api(sandbox.url, key).get("/leads")
        assert response.status_code == 401
        assert response.json()["error"]


def test_if_modified_since_is_inclusive(api: Api, sandbox: Sandbox) -> None:
    leads = list(sandbox.leads())
    pivot = sorted(lead["dateModified"] for lead in leads)[LEADS // 2]
    header = {"If-Modified-Since": pivot}
    served = [lead for b in api.pages("/leads", header) for lead in b["data"]]
    expected = [lead for lead in leads if lead["dateModified"] >= pivot]
    assert served == expected
    assert any(lead["dateModified"] == pivot for lead in served)


@pytest.mark.parametrize(
    "value",
    [
        "2025-03-01T00:00:00+00:00",
        "2025-03-01T00:00:00Z",
        "Sat, 01 Mar 2025 00:00:00 GMT",
    ],
)
def test_if_modified_since_accepts_iso_z_and_http_dates(api: Api, value: str) -> None:
    ids = all_ids(api, {"If-Modified-Since": value}, per_page=2000)
    expected = all_ids(api, {"If-Modified-Since": "2025-03-01T00:00:00+00:00"})
    assert ids == expected
    assert 0 < len(ids) < LEADS


def test_if_modified_since_after_every_lead_answers_304_empty(api: Api) -> None:
    response = api.get("/leads", {"If-Modified-Since": "2031-01-01T00:00:00+00:00"})
    assert response.status_code == 304
    assert response.content == b""


def test_unparseable_if_modified_since_answers_400(api: Api) -> None:
    response = api.get("/leads", {"If-Modified-Since": "last tuesday"})
    assert response.status_code == 400
    assert "If-Modified-Since" in response.json()["error"]


def test_if_status_modified_since_filters_on_status_modified(
    api: Api, sandbox: Sandbox
) -> None:
    leads = list(sandbox.leads())
    pivot = sorted(lead["statusModified"] for lead in leads)[LEADS // 3]
    ids = all_ids(api, {"If-Status-Modified-Since": pivot})
    assert ids == [lead["id"] for lead in leads if lead["statusModified"] >= pivot]


def test_users_answers_every_user_on_every_page_with_more_pages(api: Api) -> None:
    first = api.get("/users", page=1).json()
    assert 20 <= len(first["data"]) <= 30
    assert first["meta"]["morePages"] is True
    for page in (2, 17):
        assert api.get("/users", page=page, perPage=5).json() == first
    user = first["data"][0]
    assert set(user) == {
        "id",
        "firstName",
        "lastName",
        "email",
        "phone",
        "active",
        "role",
        "dateCreated",
        "dateModified",
    }


def test_leads_belong_to_sandbox_users(api: Api, sandbox: Sandbox) -> None:
    users = {u["id"]: f"{u['firstName']} {u['lastName']}" for u in sandbox.users()}
    for lead in sandbox.leads():
        assert users[lead["userId"]] == lead["userName"]
