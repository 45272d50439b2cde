from __future__ import annotations

import time
from pathlib import Path

from sandbox_helpers import Api

from salesrabbit_sandbox import Sandbox

MILLION = 1_000_000


def resident_megabytes() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def test_a_million_leads_page_400_is_fast_and_memory_stays_small() -> None:
    before = resident_megabytes()
    with Sandbox(leads=MILLION, seed=42, api_key="k") as sandbox:
        api = Api(sandbox.url, "k")
        header = {"If-Modified-Since": "2024-03-01T00:00:00+00:00"}
        started = time.monotonic()
        first = api.get("/leads", header, page=1, perPage=2000)
        first_seconds = time.monotonic() - started
        started = time.monotonic()
        page_400 = api.get("/leads", header, page=400, perPage=2000)
        page_400_seconds = time.monotonic() - started
        api.close()
        grown = resident_megabytes() - before
    assert first.status_code == page_400.status_code == 200
    rows = page_400.json()["data"]
    assert len(rows) == 2000
    assert all(lead["dateModified"] >= "2024-03-01T00:00:00+00:00" for lead in rows)
    timing = f"first page {first_seconds:.2f}s, page 400 {page_400_seconds:.2f}s"
    assert page_400_seconds < 2.0, timing
    assert grown < 150, f"resident memory grew {grown:.0f} MB"
