"""The SalesRabbit API itself: ``/leads``, ``/users``, ``/leadStatusHistories``.

Each endpoint follows the assumptions in the root README ("What we assume
about the API"); where the real API is unknown the sandbox takes the least
convenient plausible behaviour (``/users`` ignores paging).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from http import HTTPStatus

from salesrabbit_sandbox.messages import Reply, Request, RequestError
from salesrabbit_sandbox.store import LeadStore, Page
from salesrabbit_sandbox.timefmt import parse_since

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 2000
LEAD_PATH = re.compile(r"/leads/(\d+)")

Endpoint = Callable[[LeadStore, Request], Reply]


def handle_api(store: LeadStore, api_key: str, request: Request) -> Reply:
    """Answer an API request: check the token, then route by path.

    Raises:
        RequestError: The request is malformed (answered as 400).
    """
    if not _authorized(request, api_key):
        return Reply.error(HTTPStatus.UNAUTHORIZED, "Invalid or missing API token")
    endpoint = _route(request.path)
    if endpoint is None:
        return Reply.error(HTTPStatus.NOT_FOUND, f"No such endpoint: {request.path}")
    if request.method != "GET":
        return Reply.error(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET is supported")
    return endpoint(store, request)


def list_leads(store: LeadStore, request: Request) -> Reply:
    """``GET /leads``: leads by id ascending, filtered by the two headers."""
    key = (
        _since(request, "If-Modified-Since"),
        _since(request, "If-Status-Modified-Since"),
    )
    page = store.lead_page(key, *_paging(request))
    if key != (None, None) and page.matched == 0:
        return Reply(HTTPStatus.NOT_MODIFIED)
    return _envelope(page)


def get_lead(store: LeadStore, request: Request) -> Reply:
    """``GET /leads/{id}``: one lead, or 404."""
    match = LEAD_PATH.fullmatch(request.path)
    lead = store.lead(int(match.group(1))) if match else None
    if lead is None:
        return Reply.error(HTTPStatus.NOT_FOUND, "Lead not found")
    return Reply.json({"data": lead}, rows=1)


def list_users(store: LeadStore, request: Request) -> Reply:
    """``GET /users``: every user on every page, and always ``morePages``."""
    users = store.users()
    return Reply.json({"data": users, "meta": {"morePages": True}}, rows=len(users))


def list_status_histories(store: LeadStore, request: Request) -> Reply:
    """``GET /leadStatusHistories``: events keyed by lead id, paged by event."""
    since = _since(request, "If-Status-Modified-Since")
    page = store.event_page(since, *_paging(request))
    if since is not None and page.matched == 0:
        return Reply(HTTPStatus.NOT_MODIFIED)
    return _envelope(page)


ROUTES: dict[str, Endpoint] = {
    "/leads": list_leads,
    "/users": list_users,
    "/leadStatusHistories": list_status_histories,
}


def _route(path: str) -> Endpoint | None:
    if LEAD_PATH.fullmatch(path):
        return get_lead
    return ROUTES.get(path)


def _envelope(page: Page) -> Reply:
    body = {"data": page.rows, "meta": {"morePages": page.more_pages}}
    return Reply.json(body, rows=page.count)


def _authorized(request: Request, api_key: str) -> bool:
    scheme, _, token = (request.header("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(token.strip().encode(), api_key.encode())


def _since(request: Request, header: str) -> int | None:
    value = request.header(header)
    if value is None:
        return None
    try:
        return parse_since(value)
    except ValueError as error:
        message = f"{header} is not an ISO 8601 or HTTP date: {value[:40]!r}"
        raise RequestError(message) from error


def _paging(request: Request) -> tuple[int, int]:
    page = _positive(request, "page", 1)
    per_page = _positive(request, "perPage", DEFAULT_PER_PAGE)
    return page, min(per_page, MAX_PER_PAGE)


def _positive(request: Request, name: str, default: int) -> int:
    text = request.query.get(name)
    if text is None:
        return default
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise RequestError(f"{name} must be a positive integer, got {text[:20]!r}")
    return int(text)
