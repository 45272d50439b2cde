"""Deterministic leads, each rebuilt on demand from the seed and its id.

Nothing here stores a lead. A lead's cheap fields (timestamps, status, owner)
come from a 64-bit hash of ``(seed, id)``; the rest of its content comes from a
``random.Random`` seeded with that hash. Filtering a million leads by
``dateModified`` therefore costs one hash per lead and builds no dictionaries.
"""

from __future__ import annotations

import itertools
import operator
import random
import threading
from array import array
from collections.abc import Iterator
from typing import NamedTuple

from salesrabbit_sandbox import vocab
from salesrabbit_sandbox.badvalues import KINDS, BadKind, BadValue
from salesrabbit_sandbox.content import compose_lead, status_path
from salesrabbit_sandbox.hashing import derive, mix64
from salesrabbit_sandbox.jsonutil import JsonObject
from salesrabbit_sandbox.timefmt import iso
from salesrabbit_sandbox.users import lead_owners, make_users

FIRST_LEAD_ID = 10_000
ID_BLOCK = 8
"""Of every eight consecutive id numbers the last is unused: ids have gaps."""
ID_PATTERN = (True,) * (ID_BLOCK - 1) + (False,)
WINDOW_START = 1_704_067_200  # 2024-01-01T00:00:00+00:00
WINDOW_END = 1_782_863_999  # 2026-06-30T23:59:59+00:00
CREATION_SPAN = WINDOW_END - WINDOW_START - 45 * 86_400
QUICK_EDIT_SECONDS = 7_200
BAD_ONE_IN = 20
"""About one lead in twenty carries an awkward value."""
PINNED_FROM = 50
"""From this many leads on, every bad-value kind appears at least once."""
EVENT_ID_FACTOR = 10
"""Generated status events of lead ``n`` have ids ``n * 10 + k``."""
LEAD_SALT = 0x4C45_4144
BAD_SALT = 0x4241_4421
EVENT_SALT = 0x4556_4E54

STATUS_BY_PERCENT = tuple(
    status
    for status, weight in zip(vocab.STATUSES, vocab.STATUS_WEIGHTS, strict=True)
    for _ in range(weight)
)


class Timeline(NamedTuple):
    """A lead's four timestamps, in epoch seconds."""

    created: int
    owner_modified: int
    status_modified: int
    modified: int


def timeline(index: int, count: int, bits: int) -> Timeline:
    """Derive a generated lead's timestamps from its position and hash.

    Creation time grows with the id, as in a real account; about half the
    leads are edited within two hours of creation, the rest any time up to the
    end of the window, skewed towards soon.
    """
    created = WINDOW_START + CREATION_SPAN * index // count + (bits & 0xFFFF)
    fraction = (bits >> 16) & 0xFFFF
    if (bits >> 32) & 0xFF < 128:
        modified = created + fraction % QUICK_EDIT_SECONDS
    else:
        modified = created + ((WINDOW_END - created) * fraction * fraction >> 32)
    mode = (bits >> 40) & 0xFF
    if mode < 64:
        status = created
    elif mode < 128:
        status = modified
    else:
        status = created + (modified - created) * ((bits >> 48) & 0xFF) // 256
    owner = created if bits >> 58 >= 8 else created + (status - created) // 2
    return Timeline(created, owner, status, modified)


def event_times(times: Timeline, bits: int) -> list[int]:
    """Return when each generated status event happened, oldest first.

    A lead whose status never changed after creation has one event.
    """
    span = times.status_modified - times.created
    steps = 1 + ((bits >> 56) & 3) % 3 if span else 1
    if steps == 1:
        return [times.status_modified]
    return [times.created + span * step // (steps - 1) for step in range(steps)]


class LeadFactory:
    """Builds the generated leads of one ``(seed, count)`` pair.

    Args:
        seed: Any integer; the same seed always gives the same leads.
        count: How many leads to generate, with ids from 10000 upwards.
    """

    def __init__(self, seed: int, count: int) -> None:
        if count < 0:
            raise ValueError("the lead count cannot be negative")
        self.seed = seed
        self.count = count
        self.users = make_users(seed)
        self._owners = lead_owners(self.users)
        self._key = derive(seed, LEAD_SALT)
        self._pinned = pinned_kinds(count)
        self._stamps: tuple[array[int], array[int]] | None = None
        self._stamps_lock = threading.Lock()

    @property
    def max_id(self) -> int:
        """Return the highest generated id (9999 when there are none)."""
        return self.id_at(self.count - 1) if self.count else FIRST_LEAD_ID - 1

    @staticmethod
    def id_at(index: int) -> int:
        """Return the id of the generated lead at a position (from 0)."""
        return FIRST_LEAD_ID + index + index // (ID_BLOCK - 1)

    def index_of(self, lead_id: int) -> int | None:
        """Return the position of a generated id, or None if it is not one."""
        offset = lead_id - FIRST_LEAD_ID
        if offset < 0 or offset % ID_BLOCK == ID_BLOCK - 1:
            return None
        index = offset - offset // ID_BLOCK
        return index if index < self.count else None

    def ids(self) -> Iterator[int]:
        """Yield every generated id, ascending, without a Python-level loop."""
        pattern = itertools.cycle(ID_PATTERN)
        every = itertools.compress(itertools.count(FIRST_LEAD_ID), pattern)
        return itertools.islice(every, self.count)

    def bits(self, lead_id: int) -> int:
        """Return the 64-bit hash all of a lead's values derive from."""
        return mix64(self._key ^ lead_id)

    def timeline_of(self, index: int, lead_id: int) -> Timeline:
        """Return the timestamps of the generated lead at ``index``."""
        return timeline(index, self.count, self.bits(lead_id))

    def stamps(self) -> tuple[array[int], array[int]]:
        """Return every generated lead's ``dateModified`` and ``statusModified``.

        Two arrays of epoch seconds in id order, computed once (a few
        seconds per million leads) and then shared: 8 bytes per lead in all.
        """
        with self._stamps_lock:
            if self._stamps is None:
                self._stamps = self._compute_stamps()
            return self._stamps

    def scan(
        self, modified_since: int | None, status_since: int | None
    ) -> Iterator[int]:
        """Yield generated ids, ascending, whose timestamps pass both filters.

        A filter of None lets everything through. The comparison runs in C
        over :meth:`stamps`, so a new filter value costs milliseconds.
        """
        if modified_since is None and status_since is None:
            return self.ids()
        modified, status = self.stamps()
        tests = []
        if modified_since is not None:
            tests.append(map(modified_since.__le__, modified))
        if status_since is not None:
            tests.append(map(status_since.__le__, status))
        mask = tests[0] if len(tests) == 1 else map(operator.and_, *tests)
        return itertools.compress(self.ids(), mask)

    def lead(self, lead_id: int) -> JsonObject | None:
        """Return the generated lead with this id, or None if there is none."""
        index = self.index_of(lead_id)
        if index is None:
            return None
        return self._build(index, lead_id)[0]

    def events(self, lead_id: int) -> list[JsonObject]:
        """Return the generated status history of a lead, oldest first."""
        index = self.index_of(lead_id)
        if index is None:
            return []
        bits = self.bits(lead_id)
        owner, status = self._owner_and_status(bits)
        times = event_times(self.timeline_of(index, lead_id), bits)
        rng = random.Random(bits ^ EVENT_SALT)
        path = status_path(rng, status, len(times))
        return status_events(lead_id, owner["id"], path, times)

    def fresh_lead(self, lead_id: int, now: int) -> JsonObject:
        """Return a new lead, as a rep would enter it now (no awkward values)."""
        bits = self.bits(lead_id)
        owner, status = self._owner_and_status(bits)
        return compose_lead(lead_id, random.Random(bits), owner, status, [now] * 4)

    def bad_values(self) -> Iterator[BadValue]:
        """Yield every awkward value the generated leads carry, by lead id."""
        for index in range(self.count):
            lead_id = self.id_at(index)
            if self._bad_kind(index, mix64(self.bits(lead_id))) is None:
                continue
            _, kind, values = self._build(index, lead_id)
            if kind is not None:
                for field, value in values.items():
                    yield BadValue(lead_id, field, kind.name, value, kind.valid)

    def _compute_stamps(self) -> tuple[array[int], array[int]]:
        modified, status = array("I"), array("I")
        for index, lead_id in enumerate(self.ids()):
            times = self.timeline_of(index, lead_id)
            modified.append(times.modified)
            status.append(times.status_modified)
        return modified, status

    def _build(
        self, index: int, lead_id: int
    ) -> tuple[JsonObject, BadKind | None, dict[str, str]]:
        bits = self.bits(lead_id)
        owner, status = self._owner_and_status(bits)
        times = list(timeline(index, self.count, bits))
        lead = compose_lead(lead_id, random.Random(bits), owner, status, times)
        kind = self._bad_kind(index, mix64(bits))
        if kind is None:
            return lead, None, {}
        values = kind.rewrite(random.Random(bits ^ BAD_SALT), lead)
        lead.update(values)
        return lead, kind, values

    def _owner_and_status(self, bits: int) -> tuple[JsonObject, str]:
        spread = mix64(bits)
        owner = self._owners[(spread >> 16) % len(self._owners)]
        return owner, STATUS_BY_PERCENT[(spread & 0xFFFF) % 100]

    def _bad_kind(self, index: int, spread: int) -> BadKind | None:
        pinned = self._pinned.get(index)
        if pinned is not None:
            return pinned
        if ((spread >> 32) & 0xFFFF) % BAD_ONE_IN:
            return None
        return KINDS[(spread >> 48) % len(KINDS)]


def pinned_kinds(count: int) -> dict[int, BadKind]:
    """Place one lead of every bad-value kind, spread evenly over the ids.

    Below :data:`PINNED_FROM` leads nothing is pinned and kinds appear only by
    chance.
    """
    if count < PINNED_FROM:
        return {}
    slots = 2 * len(KINDS)
    return {(2 * n + 1) * count // slots: kind for n, kind in enumerate(KINDS)}


def status_events(
    lead_id: int, user_id: int, path: list[str], times: list[int]
) -> list[JsonObject]:
    """Build the status events of a generated lead from its status path."""
    events: list[JsonObject] = []
    previous: str | None = None
    for step, (status, at) in enumerate(zip(path, times, strict=True)):
        events.append(
            {
                "id": lead_id * EVENT_ID_FACTOR + step,
                "leadId": lead_id,
                "status": status,
                "previousStatus": previous,
                "userId": user_id,
                "statusModified": iso(at),
            }
        )
        previous = status
    return events


def bad_value_catalog(seed: int, leads: int) -> list[BadValue]:
    """List every awkward value a freshly started sandbox serves.

    The answer depends only on the seed and the lead count, so an end-to-end
    test can compute it without asking the server. Leads modified after start
    keep their catalogue entry only if the field was not changed.

    Args:
        seed: The sandbox's ``--seed``.
        leads: The sandbox's ``--leads``.

    Returns:
        One entry per (lead, field), ordered by lead id. With 50 leads or more
        every kind in :data:`salesrabbit_sandbox.badvalues.KINDS` is present.
    """
    return list(LeadFactory(seed, leads).bad_values())
