"""Helpers shared by the sandbox tests: an API client and the warehouse rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import requests

API_KEY = "test-key"
LEADS = 200
SEED = 7

LENGTH_LIMITS = {
    "firstName": 255,
    "lastName": 255,
    "businessName": 255,
    "street1": 255,
    "street2": 255,
    "userName": 255,
    "city": 100,
    "country": 100,
    "status": 100,
    "state": 10,
    "zip": 20,
    "phonePrimary": 20,
    "phoneAlternate": 20,
}
EMAIL = re.compile(r"[^@\s.]+(\.[^@\s.]+)*@[^@\s.]+(\.[^@\s.]+)*\.[A-Za-z]{2,}")


COORDINATE_LIMITS = {"latitude": 90, "longitude": 180}


def breaks_warehouse_rule(field: str, value: str) -> bool:
    """Say whether a value breaks a default rule of transform's rules seed."""
    if "\x00" in value:
        return True
    if len(value) > LENGTH_LIMITS.get(field, 10**9):
        return True
    if field.startswith("phone") and value and not re.search(r"\d", value):
        return True
    if field in COORDINATE_LIMITS:
        return abs(float(value)) > COORDINATE_LIMITS[field]
    return field == "email" and bool(value) and not EMAIL.fullmatch(value)


class Api:
    """A requests session that speaks to the sandbox API with a token."""

    def __init__(self, url: str, key: str = API_KEY) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"

    def get(
        self, path: str, headers: dict[str, str] | None = None, **params: Any
    ) -> requests.Response:
        return self.session.get(
            self.url + path, params=params, headers=headers or {}, timeout=10
        )

    def pages(
        self, path: str, headers: dict[str, str] | None = None, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Yield each page's body until morePages is false (at most 10,000)."""
        for page in range(1, 10_001):
            response = self.get(path, headers, page=page, **params)
            assert response.status_code == 200, response.text
            body = response.json()
            yield body
            if not body["meta"]["morePages"]:
                return
        raise AssertionError("paging never ended")

    def close(self) -> None:
        self.session.close()
