"""Transport: one base stream that talks to the SalesRabbit API.

Every endpoint shares what lives here: bearer authentication, paging with
``page``/``perPage`` until ``meta.morePages`` is false, the conditional
``If-*-Modified-Since`` header, retries, the resume checkpoint, and the log
lines people read.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import typing as t
from dataclasses import dataclass
from functools import cached_property
from http import HTTPStatus
from importlib import metadata
from urllib.parse import urlparse

import backoff
import requests
from singer_sdk.authenticators import BearerTokenAuthenticator
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from singer_sdk.helpers._state import PROGRESS_MARKERS
from singer_sdk.streams import RESTStream
from singer_sdk.streams.rest import PageContext

from tap_salesrabbit.checkpoint import Checkpoint
from tap_salesrabbit.conform import conform_record
from tap_salesrabbit.timeutil import (
    parse_duration,
    parse_timestamp,
    retry_after_seconds,
    to_api_timestamp,
)

if t.TYPE_CHECKING:
    from collections.abc import Generator, Iterable

    from backoff.types import Details
    from singer_sdk.helpers.types import Context

    from tap_salesrabbit.tap import TapSalesRabbit

BODY_EXCERPT = 200
MAX_BACKOFF_SECONDS = 300.0


class AccessDeniedError(FatalAPIError):
    """SalesRabbit refused the API key: nothing will work until it is fixed."""


@dataclass
class Page:
    """One page of an endpoint, parsed."""

    records: list[dict[str, t.Any]]
    more_pages: bool
    fingerprint: int


@dataclass
class SyncTally:
    """What one stream sync did, for its progress and summary lines."""

    started: float
    records: int = 0
    pages: int = 0
    retries: int = 0
    warnings: int = 0

    def rate(self) -> float:
        """Records per second so far."""
        return self.records / max(time.monotonic() - self.started, 1e-6)


class ListingOrder:
    """Follows where each record sits in the API's (assumed) listing order.

    A resumed sync re-reads the page where the checkpoint's page began. The
    listing there starts again with records the interrupted sync emitted: at
    or before the checkpoint's position and in order, on one page or more.
    Those are skipped. If that first page holds none of them, more than a
    page of records before the checkpoint has left the listing (deleted), and
    records after it may have moved up past the page: the sync then holds its
    bookmark, so that the next one reads them. Anywhere else, a record listed
    after a higher position breaks the order: it is emitted, and the caller
    stops trusting checkpoints for the rest of the sync.
    """

    def __init__(self, checkpoint: Checkpoint | None, first_page: int) -> None:
        self.resumed = checkpoint is not None
        self._skip_through = checkpoint.position if checkpoint else None
        self._first_page = first_page
        self._skipped_any = False
        self.last = self._skip_through
        self.broken = False
        self.held = bool(checkpoint and checkpoint.hold_bookmark)

    @property
    def holds_bookmark(self) -> bool:
        """A resumed sync that may have missed records keeps the old bookmark."""
        return self.resumed and (self.broken or self.held)

    def already_emitted(self, position: list[t.Any]) -> bool:
        """True for a record the interrupted sync emitted: skip it."""
        if self._skip_through is None:
            return False
        previous = self.last if self._skipped_any else None
        in_run = previous is None or _safe_le(previous, position)
        if in_run and _safe_le(position, self._skip_through):
            self._skipped_any = True
            self.last = position
            return True
        self._skip_through = None
        return False

    def end_of_page(self) -> bool:
        """Note the end of a page; True when it shows the listing moved up."""
        first, self._first_page = self._first_page, 0
        if not self.resumed or first <= 1 or self._skipped_any:
            return False
        self.held = True
        return True

    def breaks_order(self, position: list[t.Any]) -> list[t.Any] | None:
        """Note a record's position; on the first break, return the one before."""
        before, self.last = self.last, position
        if self.broken or before is None or _safe_le(before, position):
            return None
        self.broken = True
        return before


class SalesRabbitStream(RESTStream[int]):
    """A SalesRabbit list endpoint.

    Subclasses declare ``name``, ``path``, keys and schema, and override
    :meth:`records_from_body` when the endpoint does not return a list.
    """

    #: Conditional header that filters on the replication key, if any.
    since_header: t.ClassVar[str | None] = None
    #: Fields of a record that put it in the API's (assumed) listing order.
    position_fields: t.ClassVar[tuple[str, ...]] = ("id",)

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.tally = SyncTally(started=time.monotonic())
        self.current_page = 0

    @property
    def url_base(self) -> str:
        """The API root from the ``api_url`` setting."""
        return str(self.config["api_url"]).rstrip("/")

    @property
    def requests_session(self) -> requests.Session:
        """One keep-alive session, shared by every stream of the tap."""
        tap = t.cast("TapSalesRabbit", self._tap)
        return tap.http_session

    @cached_property
    def authenticator(self) -> BearerTokenAuthenticator:
        """Send the ``api_key`` setting as a bearer token."""
        return BearerTokenAuthenticator(token=self.config["api_key"])

    @cached_property
    def user_agent(self) -> str:
        """Name the tap and its version to SalesRabbit."""
        return f"tap-salesrabbit/{metadata.version('tap-salesrabbit')}"

    @property
    def http_headers(self) -> dict[str, str]:
        """Headers sent with every request."""
        return {"Accept": "application/json", "User-Agent": self.user_agent}

    @property
    def timeout(self) -> int:
        """Seconds to wait for one response: the ``request_timeout`` setting."""
        return int(self.config.get("request_timeout", 60))

    @property
    def page_size(self) -> int:
        """Records asked for per page: the ``page_size`` setting."""
        return int(self.config.get("page_size", 2000))

    def record_url(self, record: dict[str, t.Any]) -> str:
        """The SalesRabbit web page of a record, for log lines."""
        return f"{str(self.config['app_url']).rstrip('/')}/leads/{record.get('id')}"

    def record_label(self, record: dict[str, t.Any]) -> str:
        """How a log line names a record: its id and, for leads, its link."""
        return f"record {record.get('id')}"

    # Retries -------------------------------------------------------------

    def request_decorator(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Retry throttling, server errors, timeouts, dropped connections, bad JSON.

        Logging is left to :meth:`backoff_handler`, one line per retry.
        """
        retry_on = (
            RetriableAPIError,
            requests.exceptions.Timeout,
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        )
        decorate = backoff.on_exception(
            self.backoff_wait_generator,
            retry_on,
            max_tries=self.backoff_max_tries,
            on_backoff=self.backoff_handler,
            jitter=self.backoff_jitter,
            logger=None,
        )
        wrapped: t.Callable[..., t.Any] = decorate(func)
        return wrapped

    def backoff_max_tries(self) -> int:
        """Attempts per request: one plus the ``max_retries`` setting."""
        return int(self.config.get("max_retries", 8)) + 1

    def backoff_wait_generator(self) -> Generator[float, t.Any, None]:
        """Wait ``Retry-After`` when the API says so, else back off exponentially.

        The generator receives each failure from ``backoff`` and answers with
        the seconds to wait before the next attempt.
        """
        attempt = 0
        failure = yield 0.0
        while True:
            attempt += 1
            told = self._retry_after(failure)
            if told is not None:
                failure = yield min(told, MAX_BACKOFF_SECONDS)
            else:
                failure = yield min(2.0 ** (attempt - 1), MAX_BACKOFF_SECONDS)

    def backoff_jitter(self, value: float) -> float:
        """Add up to a quarter of the wait, so parallel clients spread out."""
        return value + random.uniform(0, value / 4)  # noqa: S311

    def backoff_handler(self, details: Details) -> None:
        """Log one line per retry: what failed, on which page, what follows."""
        self.tally.retries += 1
        failure = details.get("exception")
        self.logger.warning(
            "%s page %d: %s; retry %d of %d in %.1f s",
            self.name,
            self.current_page,
            _describe_failure(failure),
            details["tries"],
            self.backoff_max_tries() - 1,
            details.get("wait", 0.0),
        )

    @staticmethod
    def _retry_after(failure: object) -> float | None:
        if isinstance(failure, RetriableAPIError) and failure.response is not None:
            header = failure.response.headers.get("Retry-After")
            return retry_after_seconds(header, dt.datetime.now(dt.UTC))
        return None

    # Responses -----------------------------------------------------------

    def body_excerpt(self, response: requests.Response) -> str:
        """The start of a body, for an error line; the API key blanked out.

        An error body may echo the request, ``Authorization`` header included.
        """
        excerpt = _excerpt(response.text)
        key = str(self.config.get("api_key") or "")
        return excerpt.replace(key, "[api_key]") if key else excerpt

    def validate_response(self, response: requests.Response) -> None:
        """Sort a response into usable, retriable or fatal.

        Raises:
            AccessDeniedError: on 401 and 403.
            RetriableAPIError: on 429 and 5xx.
            FatalAPIError: on any other 4xx.
        """
        status = response.status_code
        if status == HTTPStatus.NOT_MODIFIED or status < HTTPStatus.BAD_REQUEST:
            return
        path = urlparse(response.url).path or self.path
        if status in {HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN}:
            msg = (
                f"SalesRabbit refused the API key ({status} on {path}). Check the "
                "api_key setting (TAP_SALESRABBIT_API_KEY): create a token in the "
                "SalesRabbit web app under Integrations > API."
            )
            raise AccessDeniedError(msg)
        excerpt = self.body_excerpt(response)
        msg = f"{status} {response.reason} for {path}: {excerpt}"
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= 500:
            raise RetriableAPIError(msg, response)
        raise FatalAPIError(msg)

    def records_from_body(self, body: t.Any) -> list[dict[str, t.Any]]:
        """Take the records out of a decoded response body.

        Override for endpoints whose ``data`` is not a list of records.

        Raises:
            FatalAPIError: when ``data`` is not a list of objects.
        """
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            msg = (
                f"{self.path} page {self.current_page}: expected a list in "
                f"'data', got {type(data).__name__}"
            )
            raise FatalAPIError(msg)
        return self.require_objects(data, "data")

    def require_objects(self, items: list[t.Any], where: str) -> list[dict[str, t.Any]]:
        """Check that every item of a list is an object, so it can be a record.

        Raises:
            FatalAPIError: naming the page and the first item that is not.
        """
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                msg = (
                    f"{self.path} page {self.current_page}: {where}[{index}] is "
                    f"{type(item).__name__}, not an object, so it cannot be read "
                    "as a record"
                )
                raise FatalAPIError(msg)
        return items

    def parse_response(self, response: requests.Response) -> Iterable[dict[str, t.Any]]:
        """Yield the records of one response (used by the SDK's own tools)."""
        yield from self._read_page(response).records

    def _read_page(self, response: requests.Response) -> Page:
        if response.status_code == HTTPStatus.NOT_MODIFIED:
            return Page(records=[], more_pages=False, fingerprint=0)
        try:
            body = response.json()
        except (json.JSONDecodeError, requests.exceptions.JSONDecodeError):
            msg = (
                f"{self.path} page {self.current_page} is not valid JSON: "
                f"{self.body_excerpt(response)}"
            )
            raise RetriableAPIError(msg, response) from None
        return Page(
            records=self.records_from_body(body),
            more_pages=self._more_pages(body),
            fingerprint=hash(response.content),
        )

    def _more_pages(self, body: t.Any) -> bool:
        """Read ``meta.morePages``; without it, a partial read would look whole."""
        meta = body.get("meta") if isinstance(body, dict) else None
        more = meta.get("morePages") if isinstance(meta, dict) else None
        if not isinstance(more, bool):
            msg = (
                f"{self.path} page {self.current_page}: the reply has no boolean "
                "meta.morePages, so the tap cannot tell whether more pages follow; "
                "stopping rather than reporting a partial read as a finished sync"
            )
            raise FatalAPIError(msg)
        return more

    def _fetch_page(self, request: requests.PreparedRequest) -> Page:
        response = self.requests_session.send(
            self.authenticator(request), timeout=self.timeout
        )
        try:
            self.validate_response(response)
        except AccessDeniedError as error:
            # One line and stop: raised further, the SDK and the tap would each
            # log it, and no retry or other stream can succeed with this key.
            self.logger.error("%s", error)
            raise SystemExit(1) from None
        return self._read_page(response)

    def get_url_params(
        self, context: Context | None, next_page_token: int | None
    ) -> dict[str, t.Any]:
        """Ask for one page of ``page_size`` records."""
        return {"page": next_page_token or 1, "perPage": self.page_size}

    def get_new_paginator(self) -> None:
        """Paging is done by :meth:`request_records`, which also checkpoints."""
        return

    # Incremental reads -----------------------------------------------------

    def get_replication_key_signpost(
        self, context: Context | None = None
    ) -> dt.datetime | None:
        """Cap the bookmark at the sync's start less the ``lookback_window``.

        A resumed sync keeps the cap of the sync it continues, so records
        changed while it was interrupted are read by the next sync.
        """
        if not self.replication_key:
            return None
        if checkpoint := Checkpoint.read(self.get_context_state(context)):
            return parse_timestamp(checkpoint.signpost)
        lookback = parse_duration(self.config.get("lookback_window", "1h"))
        start = dt.datetime.fromtimestamp(self._initialized_at / 1000, tz=dt.UTC)
        return (start - lookback).replace(microsecond=0)

    def _since(self, context: Context | None) -> str | None:
        start = self.get_starting_timestamp(context)
        return to_api_timestamp(start) if start else None

    def _page_request(self, page: int, since: str | None) -> requests.PreparedRequest:
        http_request = self.get_http_request(
            page=PageContext(stream_context=None, next_page_token=page)
        )
        headers = dict(http_request.headers)
        if since and self.since_header:
            headers[self.since_header] = since
        return self.build_prepared_request(
            method=http_request.method,
            url=http_request.url,
            params=http_request.encode_params(),
            headers=headers,
        )

    # The page loop -----------------------------------------------------------

    def request_records(self, context: Context | None) -> Iterable[dict[str, t.Any]]:
        """Read every page, checkpointing after each one.

        Yields:
            The records of each page, in the API's order.
        """
        self.tally = SyncTally(started=time.monotonic())
        state = self.get_context_state(context)
        resume = Checkpoint.read(state) if self.replication_key else None
        since = resume.since if resume else self._since(context)
        self._start_progress_markers(state, resume)
        self.current_page = resume.first_page(self.page_size) if resume else 1
        self.order = ListingOrder(resume, self.current_page)
        fetch = self.request_decorator(self._fetch_page)
        previous = None
        self._log_start(since, resume)
        while True:
            page = fetch(self._page_request(self.current_page, since))
            if previous is not None and page.fingerprint == previous:
                self._warn_repeated_page()
                break
            previous = page.fingerprint
            yield from self._new_records(page, state)
            self.tally.pages += 1
            self._log_page(len(page.records))
            if not page.more_pages:
                break
            if self._stop_after_page(state, since):
                return
            self.current_page += 1
        Checkpoint.clear(state)
        if self.order.holds_bookmark:
            state.pop(PROGRESS_MARKERS, None)
        self._log_summary(state, "done")

    def _new_records(
        self, page: Page, state: dict[str, t.Any]
    ) -> Generator[dict[str, t.Any], None, None]:
        """Yield a page's records, less those a resumed sync already emitted."""
        for record in page.records:
            position = [record.get(f) for f in self.position_fields]
            if self.order.already_emitted(position):
                continue
            before = self.order.breaks_order(position)
            if before is not None:
                self._order_broken(state, position, before)
            self.tally.records += 1
            yield record
        if self.order.end_of_page():
            self._warn_listing_moved_up()

    def _stop_after_page(self, state: dict[str, t.Any], since: str | None) -> bool:
        """Checkpoint a finished page; say whether max_records ends the sync here."""
        if not self.replication_key:
            return False
        if not self.order.broken:
            self._checkpoint(state, since, self.order.last)
        limit = int(self.config.get("max_records") or 0)
        if not limit or self.tally.records < limit or self.order.broken:
            return False
        self._stop_for_max_records(state, limit)
        return True

    def _start_progress_markers(
        self, state: dict[str, t.Any], resume: Checkpoint | None
    ) -> None:
        """Begin this sync's progress markers, carrying over a resumed maximum."""
        if not self.replication_key:
            return
        markers: dict[str, t.Any] = {"Note": "see 'resume' for where to restart"}
        if resume and resume.max_seen:
            markers["replication_key"] = self.replication_key
            markers["replication_key_value"] = resume.max_seen
        state[PROGRESS_MARKERS] = markers

    def _checkpoint(
        self, state: dict[str, t.Any], since: str | None, position: list[t.Any] | None
    ) -> None:
        signpost = state.get("replication_key_signpost")
        if position is None or signpost is None:
            return
        markers = state.get(PROGRESS_MARKERS, {})
        Checkpoint(
            since=since,
            signpost=str(signpost),
            page=self.current_page,
            position=position,
            max_seen=markers.get("replication_key_value"),
            page_size=self.page_size,
            hold_bookmark=self.order.holds_bookmark,
        ).write(state)
        self._flush_state()

    def _flush_state(self) -> None:
        """Emit STATE now, whatever the SDK's own rhythm."""
        self.state_manager.is_flushed = False
        self._write_state_message()

    def _stop_for_max_records(self, state: dict[str, t.Any], limit: int) -> None:
        # The bookmark must not move until the whole listing has been read:
        # drop this sync's progress markers; the checkpoint carries them.
        state.pop(PROGRESS_MARKERS, None)
        self.logger.info(
            "%s: stopping after %d records (max_records is %d); the next run of "
            "the same command re-reads page %d, skips the records already "
            "emitted from it, and continues",
            self.name,
            self.tally.records,
            limit,
            self.current_page,
        )
        self._log_summary(state, "stopped for max_records")

    def _order_broken(
        self, state: dict[str, t.Any], position: list[t.Any], before: list[t.Any]
    ) -> None:
        """Drop the checkpoint at once: it assumed an order the API does not keep.

        A resumed sync also keeps its old bookmark: what it skipped as already
        emitted may not have been, so only a full read may move the bookmark.
        """
        Checkpoint.clear(state)
        self._flush_state()
        self.tally.warnings += 1
        self.logger.warning(
            "%s page %d: %s comes after %s, so the API does not list by %s as "
            "assumed; the resume checkpoint is dropped, and if this sync is "
            "interrupted the next one starts again from the last bookmark%s%s",
            self.name,
            self.current_page,
            position,
            before,
            ", ".join(self.position_fields),
            "; the bookmark stays where it was, since the records skipped as "
            "already emitted may not have been"
            if self.order.resumed
            else "",
            "; max_records is ignored for the rest of this sync, which could "
            "not be resumed"
            if self.config.get("max_records")
            else "",
        )

    def _warn_listing_moved_up(self) -> None:
        self.tally.warnings += 1
        self.logger.warning(
            "%s page %d: none of the records the interrupted sync read here is "
            "listed any more, so more than a page of them was deleted and later "
            "records may have moved up past this page; this sync reads on but "
            "keeps the old bookmark, so the next one reads those records",
            self.name,
            self.current_page,
        )

    def _warn_repeated_page(self) -> None:
        self.tally.warnings += 1
        self.logger.warning(
            "%s page %d repeats page %d: the endpoint ignores paging, so "
            "the stream ends here with every record it returned",
            self.name,
            self.current_page,
            self.current_page - 1,
        )

    # Records -----------------------------------------------------------------

    def post_process(
        self, row: dict[str, t.Any], context: Context | None = None
    ) -> dict[str, t.Any] | None:
        """Fit the record to the schema, keeping every value; warn once if needed."""
        conformed = conform_record(row, self.schema)
        problems = conformed.describe()
        if self.replication_key and not conformed.record.get(self.replication_key):
            problems += (
                f"{'; ' if problems else ''}no readable {self.replication_key}, "
                "so it is emitted but does not move the bookmark"
            )
        if problems:
            self.tally.warnings += 1
            self.logger.warning(
                "%s %s: %s", self.name, self.record_label(row), problems
            )
        if conformed.extra:
            self._note_new_fields(conformed.extra)
        return conformed.record

    def _increment_stream_state(
        self, latest_record: dict[str, t.Any], *, context: Context | None = None
    ) -> None:
        """Leave the bookmark alone for a record without a readable key.

        :meth:`post_process` has already warned, naming the record; the SDK
        would add a bare "New replication value is null" for each one.
        """
        if self.replication_key and not latest_record.get(self.replication_key):
            return
        super()._increment_stream_state(latest_record, context=context)

    def _note_new_fields(self, names: list[str]) -> None:
        seen: set[str] = self.__dict__.setdefault("_reported_fields", set())
        for name in names:
            if name not in seen:
                seen.add(name)
                self.logger.info(
                    "%s: field %r is not in the schema; its values are kept in "
                    "extraFields",
                    self.name,
                    name,
                )

    # Log lines ---------------------------------------------------------------

    def _log_start(self, since: str | None, resume: Checkpoint | None) -> None:
        if resume:
            self.logger.info(
                "%s: resuming an interrupted sync at page %d, after %s %s",
                self.name,
                resume.page,
                "/".join(self.position_fields),
                resume.position,
            )
        if self.since_header:
            self.logger.info(
                "%s: asking for records changed since %s",
                self.name,
                since or "the beginning",
            )

    def _log_page(self, count: int) -> None:
        self.logger.info(
            "%s page %d: %d records (%d so far, %.0f records/s)",
            self.name,
            self.current_page,
            count,
            self.tally.records,
            self.tally.rate(),
        )

    def _log_summary(self, state: dict[str, t.Any], ending: str) -> None:
        checkpoint = Checkpoint.read(state)
        self.logger.info(
            "%s %s: %d records, %d pages, %d retries, %d warnings in %.1f s; "
            "bookmark %s; checkpoint %s",
            self.name,
            ending,
            self.tally.records,
            self.tally.pages,
            self.tally.retries,
            self.tally.warnings,
            time.monotonic() - self.tally.started,
            _bookmark_to_save(state) or "not used",
            f"page {checkpoint.page} after {checkpoint.position}"
            if checkpoint
            else "none",
        )


def _bookmark_to_save(state: dict[str, t.Any]) -> str | None:
    """The bookmark the SDK will save: the newest value seen, capped."""
    markers = state.get(PROGRESS_MARKERS, {})
    newest = markers.get("replication_key_value")
    signpost = state.get("replication_key_signpost")
    if newest:
        return min(str(newest), str(signpost or newest))
    saved = state.get("replication_key_value")
    return str(saved) if saved else None


def _safe_le(left: list[t.Any], right: list[t.Any]) -> bool:
    try:
        return bool(left <= right)
    except TypeError:
        return False


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= BODY_EXCERPT:
        return flat or "(empty body)"
    return flat[:BODY_EXCERPT] + "…"


def _describe_failure(failure: object) -> str:
    if isinstance(failure, RetriableAPIError):
        return str(failure)
    if isinstance(failure, requests.exceptions.Timeout):
        return "no answer within request_timeout"
    if isinstance(failure, requests.exceptions.ConnectionError):
        return "connection failed or was dropped"
    return type(failure).__name__
