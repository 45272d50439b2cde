"""The resume checkpoint an interrupted sync leaves in its stream's STATE.

singer-sdk resumes only streams sorted by their replication key. SalesRabbit
lists records in a stable order by id (an assumption, see the README), not by
modification time, so this tap keeps its own checkpoint beside the SDK's
bookmark while a sync runs:

- ``since``: the ``If-Modified-Since`` value the interrupted sync asked with;
- ``signpost``: the cap that sync put on its bookmark (its start, less the
  lookback window);
- ``page`` and ``position``: the last page it finished and the sort key of the
  last record on it;
- ``max_seen``: the newest replication value it had emitted.

The next sync asks with the same ``since``, restarts at ``page`` (reading that
page again, so that records moved up a page by deletions are not missed;
counted again if ``page_size`` changed), skips the records at or before
``position`` with which the listing starts again, and keeps the old
``signpost``, so a record changed while the sync was interrupted is fetched by
the sync after. A finished sync removes the checkpoint, and so does a sync that
finds the listing out of order (see ``client.ListingOrder``).
"""

from __future__ import annotations

import typing as t
from dataclasses import asdict, dataclass

STATE_KEY = "resume"


@dataclass(frozen=True)
class Checkpoint:
    """Where an unfinished sync of one stream stopped."""

    since: str | None
    signpost: str
    page: int
    position: list[t.Any]
    max_seen: str | None
    #: The page size the pages were counted in; None in older checkpoints.
    page_size: int | None = None
    #: True once a resumed sync may have missed records: when it finishes,
    #: the bookmark stays where it was.
    hold_bookmark: bool = False

    @classmethod
    def read(cls, state: t.Mapping[str, t.Any]) -> Checkpoint | None:
        """Return the checkpoint kept in a stream state, if it holds a valid one."""
        raw = state.get(STATE_KEY)
        if not isinstance(raw, dict):
            return None
        try:
            checkpoint = cls(
                since=raw.get("since"),
                signpost=str(raw["signpost"]),
                page=int(raw["page"]),
                position=list(raw["position"]),
                max_seen=raw.get("max_seen"),
                page_size=int(raw["page_size"]) if raw.get("page_size") else None,
                hold_bookmark=raw.get("hold_bookmark") is True,
            )
        except (KeyError, TypeError, ValueError):
            return None
        return checkpoint if checkpoint.page >= 1 else None

    def write(self, state: dict[str, t.Any]) -> None:
        """Store this checkpoint in a stream state."""
        state[STATE_KEY] = asdict(self)

    def first_page(self, page_size: int) -> int:
        """The page to read first when reading ``page_size`` records a page.

        It is the page that holds the start of the checkpoint's page, however
        many records a page had when the checkpoint was written.
        """
        counted_in = self.page_size or page_size
        return (self.page - 1) * counted_in // page_size + 1

    @staticmethod
    def clear(state: dict[str, t.Any]) -> None:
        """Mark a stream state as having no checkpoint: the sync finished.

        The key stays, set to null: Meltano merges the STATE of some runs
        (``--full-refresh``) into the one before, where a removed key would
        leave an old checkpoint in place.
        """
        state[STATE_KEY] = None
