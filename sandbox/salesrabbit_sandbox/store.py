"""The sandbox's current leads: generated ones, minus deletions, plus edits.

Generated leads are never stored. A lead that is modified or added lives
whole in ``_edited``; a deleted id sits in ``_deleted``. Listings page
through *views*: sorted arrays of the ids that pass one filter, built once
per filter value and dropped on every change, so paging through 500 pages
costs one scan, not 500.
"""

from __future__ import annotations

import copy
import heapq
import itertools
import operator
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from salesrabbit_sandbox import vocab
from salesrabbit_sandbox.data import EVENT_ID_FACTOR, LeadFactory, event_times
from salesrabbit_sandbox.jsonutil import JsonObject
from salesrabbit_sandbox.timefmt import Clock, epoch_of, iso
from salesrabbit_sandbox.users import full_name

ViewKey = tuple[int | None, int | None]
"""A lead filter: (``If-Modified-Since``, ``If-Status-Modified-Since``)."""
EventView = tuple["array[int]", "array[int]"]
"""Per matching event: its lead id and its position in the lead's history."""
VIEW_CACHE_SIZE = 8

_Key = TypeVar("_Key")
_View = TypeVar("_View")


@dataclass(frozen=True)
class Page:
    """One page of a listing.

    Attributes:
        rows: The leads on this page, or for status histories the events
            grouped by lead id.
        count: How many rows (events for status histories) are on the page.
        more_pages: True when a later page has rows.
        matched: How many rows pass the filters across all pages.
    """

    rows: list[JsonObject] | dict[str, list[JsonObject]]
    count: int
    more_pages: bool
    matched: int


class LeadStore:
    """Thread-safe access to the current leads and their status histories.

    Args:
        factory: Generates the initial leads.
        clock: Supplies "now" for modifications and additions.
    """

    def __init__(self, factory: LeadFactory, clock: Clock) -> None:
        self._factory = factory
        self._clock = clock
        self._users = {user["id"]: user for user in factory.users}
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Forget every change: back to the generated leads."""
        with self._lock:
            self._edited: dict[int, JsonObject] = {}
            self._edited_events: dict[int, list[JsonObject]] = {}
            self._deleted: set[int] = set()
            self._edit_stamps: dict[int, tuple[int, int]] = {}
            self._next_id = self._factory.max_id + 1
            self._next_event_id = (self._factory.max_id + 1) * EVENT_ID_FACTOR
            self._lead_views: OrderedDict[ViewKey, array[int]] = OrderedDict()
            self._event_views: OrderedDict[int | None, EventView] = OrderedDict()

    def users(self) -> list[JsonObject]:
        """Return a copy of every user, by id ascending."""
        return copy.deepcopy(list(self._factory.users))

    def lead(self, lead_id: int) -> JsonObject | None:
        """Return a copy of the current lead with this id, or None."""
        with self._lock:
            if lead_id in self._deleted:
                return None
            if lead_id in self._edited:
                return copy.deepcopy(self._edited[lead_id])
            return self._factory.lead(lead_id)

    def events(self, lead_id: int) -> list[JsonObject]:
        """Return a copy of a current lead's status history, oldest first."""
        with self._lock:
            if lead_id in self._deleted:
                return []
            if lead_id in self._edited_events:
                return copy.deepcopy(self._edited_events[lead_id])
            return self._factory.events(lead_id)

    def lead_page(self, key: ViewKey, page: int, per_page: int) -> Page:
        """Return one page of the leads that pass a filter, by id ascending."""
        with self._lock:
            view = self._lead_view(key)
            start = (page - 1) * per_page
            rows = [
                self._require(lead_id) for lead_id in view[start : start + per_page]
            ]
            return Page(rows, len(rows), start + per_page < len(view), len(view))

    def event_page(self, since: int | None, page: int, per_page: int) -> Page:
        """Return one page of status events, grouped by lead id (string keys).

        ``per_page`` counts events, so one lead's history may continue on the
        next page.
        """
        with self._lock:
            lead_ids, positions = self._event_view(since)
            start = (page - 1) * per_page
            stop = min(start + per_page, len(lead_ids))
            grouped: dict[str, list[JsonObject]] = {}
            for lead_id, group in itertools.groupby(
                range(start, stop), lead_ids.__getitem__
            ):
                history = self.events(lead_id)
                grouped[str(lead_id)] = [history[positions[at]] for at in group]
            count = max(stop - start, 0)
            return Page(grouped, count, stop < len(lead_ids), len(lead_ids))

    def iter_leads(self) -> Iterator[JsonObject]:
        """Yield every current lead by id ascending, one at a time."""
        with self._lock:
            view = self._lead_view((None, None))
        for lead_id in view:
            lead = self.lead(lead_id)
            if lead is not None:
                yield lead

    def pick(self, count: int) -> list[int]:
        """Choose ``count`` current lead ids spread evenly over the id range."""
        with self._lock:
            view = self._lead_view((None, None))
        count = min(count, len(view))
        return [view[(2 * n + 1) * len(view) // (2 * count)] for n in range(count)]

    def modify(
        self, ids: Sequence[int], changes: Mapping[str, Any] | None = None
    ) -> list[JsonObject]:
        """Change leads as a rep would now, and return them as changed.

        Every lead gets ``dateModified`` = now. A new ``status`` also sets
        ``statusModified`` and appends a status event; a new ``userId`` sets
        ``ownerModified`` and ``userName``. Explicit values in ``changes`` win,
        and fields the API has never had are accepted.

        Args:
            ids: Lead ids to change.
            changes: Field values to set; None moves each lead to the next
                status in :data:`salesrabbit_sandbox.vocab.STATUSES`.

        Raises:
            LookupError: An id is not a current lead; nothing was changed.
            ValueError: The changes touch ``id``.
        """
        if changes is not None:
            _check_changes(changes)
        with self._lock:
            leads = [self._require(lead_id) for lead_id in ids]
            now = self._clock()
            changed = [self._apply(lead, changes, now) for lead in leads]
            self._invalidate()
            return copy.deepcopy(changed)

    def add(self, partials: Iterable[Mapping[str, Any]]) -> list[JsonObject]:
        """Create leads with ids above any used so far, created now.

        Args:
            partials: One mapping per new lead; its fields override the
                generated content. Pass empty mappings for fully generated
                leads.

        Raises:
            ValueError: A partial sets ``id``.
        """
        partials = list(partials)
        for partial in partials:
            _check_changes(partial)
        with self._lock:
            now = self._clock()
            added = [self._create(partial, now) for partial in partials]
            self._invalidate()
            return copy.deepcopy(added)

    def delete(self, ids: Sequence[int]) -> list[int]:
        """Remove leads from every listing; the API never shows them again.

        Raises:
            LookupError: An id is not a current lead; nothing was deleted.
        """
        with self._lock:
            for lead_id in ids:
                self._require(lead_id)
            for lead_id in ids:
                self._deleted.add(lead_id)
                self._edited.pop(lead_id, None)
                self._edited_events.pop(lead_id, None)
                self._edit_stamps.pop(lead_id, None)
            self._invalidate()
            return list(ids)

    def _require(self, lead_id: int) -> JsonObject:
        lead = self.lead(lead_id)
        if lead is None:
            raise LookupError(f"lead {lead_id} does not exist")
        return lead

    def _apply(
        self, lead: JsonObject, changes: Mapping[str, Any] | None, now: int
    ) -> JsonObject:
        if changes is None:
            changes = {"status": _next_status(lead["status"])}
        updated = {**lead, "dateModified": iso(now)}
        updated.update(self._owner_fields(lead, changes, now))
        if changes.get("status", lead["status"]) != lead["status"]:
            updated["statusModified"] = iso(now)
        updated.update(changes)
        if updated["status"] != lead["status"]:
            self._append_event(updated, lead["status"])
        self._keep(updated, now)
        return updated

    def _create(self, partial: Mapping[str, Any], now: int) -> JsonObject:
        lead_id = self._next_id
        self._next_id += 1
        lead = self._factory.fresh_lead(lead_id, now)
        lead.update(self._owner_fields(lead, partial, now))
        lead.update(partial)
        self._edited_events[lead_id] = []
        self._append_event(lead, None)
        self._keep(lead, now)
        return lead

    def _keep(self, lead: JsonObject, now: int) -> None:
        """Store an edited lead with the instants its listings filter on.

        A timestamp that cannot be read (a test may set ``"yesterday-ish"``)
        filters as the moment of the edit, which the server knows.
        """
        self._edited[lead["id"]] = lead
        self._edit_stamps[lead["id"]] = (
            _readable(lead.get("dateModified"), now),
            _readable(lead.get("statusModified"), now),
        )

    def _owner_fields(
        self, lead: JsonObject, changes: Mapping[str, Any], now: int
    ) -> JsonObject:
        user = self._users.get(changes.get("userId", lead["userId"]))
        if "userId" not in changes or user is None:
            return {}
        return {"userName": full_name(user), "ownerModified": iso(now)}

    def _append_event(self, lead: JsonObject, previous: str | None) -> None:
        history = self._edited_events.get(lead["id"])
        if history is None:
            history = self._factory.events(lead["id"])
        event = {
            "id": self._next_event_id,
            "leadId": lead["id"],
            "status": lead["status"],
            "previousStatus": previous,
            "userId": lead["userId"],
            "statusModified": lead["statusModified"],
        }
        self._next_event_id += 1
        self._edited_events[lead["id"]] = [*history, event]

    def _invalidate(self) -> None:
        self._lead_views.clear()
        self._event_views.clear()

    def _lead_view(self, key: ViewKey) -> array[int]:
        return _cached(self._lead_views, key, self._build_lead_view)

    def _event_view(self, since: int | None) -> EventView:
        return _cached(self._event_views, since, self._build_event_view)

    def _build_lead_view(self, key: ViewKey) -> array[int]:
        modified_since, status_since = key
        generated = self._factory.scan(modified_since, status_since)
        skip = self._deleted | self._edited.keys()
        if skip:
            generated = itertools.filterfalse(skip.__contains__, generated)
        view = array("q", generated)
        edited = [
            lead_id
            for lead_id, (modified, status) in self._edit_stamps.items()
            if (modified_since is None or modified >= modified_since)
            and (status_since is None or status >= status_since)
        ]
        if edited:
            view.extend(edited)
            view = array("q", sorted(view))
        return view

    def _build_event_view(self, since: int | None) -> EventView:
        lead_ids, positions = array("q"), array("H")
        for lead_id, times in self._event_times(since):
            for position, at in enumerate(times):
                if since is None or at >= since:
                    lead_ids.append(lead_id)
                    positions.append(position)
        return lead_ids, positions

    def _event_times(self, since: int | None) -> Iterator[tuple[int, list[int]]]:
        """Yield (lead id, event times) by lead id for leads with a match."""
        generated = self._generated_event_times(since)
        edited = (
            (lead_id, [self._event_time(lead_id, event) for event in history])
            for lead_id, history in sorted(self._edited_events.items())
        )
        return heapq.merge(generated, edited, key=operator.itemgetter(0))

    def _event_time(self, lead_id: int, event: JsonObject) -> int:
        fallback = self._edit_stamps.get(lead_id, (0, 0))[1]
        return _readable(event.get("statusModified"), fallback)

    def _generated_event_times(
        self, since: int | None
    ) -> Iterator[tuple[int, list[int]]]:
        factory = self._factory
        skip = self._deleted | self._edited_events.keys()
        for lead_id in factory.scan(None, since):
            if lead_id not in skip:
                index = factory.index_of(lead_id)
                if index is not None:
                    times = factory.timeline_of(index, lead_id)
                    yield lead_id, event_times(times, factory.bits(lead_id))


def _cached(
    cache: OrderedDict[_Key, _View], key: _Key, build: Callable[[_Key], _View]
) -> _View:
    """Return ``cache[key]``, building it first; keep the most recent few."""
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    value = build(key)
    cache[key] = value
    while len(cache) > VIEW_CACHE_SIZE:
        cache.popitem(last=False)
    return value


def _check_changes(changes: Mapping[str, Any]) -> None:
    if "id" in changes:
        raise ValueError("a lead's id cannot be set or changed")


def _readable(value: object, fallback: int) -> int:
    """Return a timestamp's epoch seconds, or ``fallback`` if it is unreadable."""
    try:
        return epoch_of(value) if isinstance(value, str) else fallback
    except ValueError:
        return fallback


def _next_status(status: str) -> str:
    statuses = vocab.STATUSES
    position = statuses.index(status) if status in statuses else -1
    return statuses[(position + 1) % len(statuses)]
