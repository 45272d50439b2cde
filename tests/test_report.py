"""The data-quality report: what a sales-ops person sees, checked as they see it.

The warehouse here is written by hand (the relations dbt builds, with awkward
values in them), so these tests run in seconds; test_transform.py checks the
report the real pipeline writes. The page is parsed with the standard
library, and rendered in headless Chromium where it is installed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import typing as t
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

if t.TYPE_CHECKING:
    from conftest import Warehouse

REPORT = str(Path(sys.executable).parent / "salesrabbit-quality-report")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
URL = "https://app.salesrabbit.com/leads/{}"

SCHEMA_SQL = """
create schema analytics;
create table analytics.lead_issues (
    lead_id bigint, field text, rule text, value text, detail text,
    limit_value integer, salesrabbit_url text,
    lead_modified_at timestamptz, checked_at timestamptz
);
create table analytics.leads (
    lead_id bigint, first_name text, last_name text, business_name text,
    user_name text, is_deleted boolean, has_issues boolean
);
create table analytics.data_quality_runs (
    run_id text, run_started_at timestamptz, field text, rule text,
    issue_count bigint, leads_checked bigint, leads_with_issues bigint
);
"""

MIXED_SCRIPTS = "ÑÚÑÉŻ渡辺" + "😀" * 4
ISSUES = [
    (101, "state", "max_length", "NEWTON FALLS", "12 characters, limit 10"),
    (101, "email", "email_format", "x@@y.com", "not an address like name@domain.tld"),
    (102, "notes", "control_characters", "Gate code 4411\ufffd dog", "control"),
    (103, "firstName", "max_length", "<script>alert('x')</script>" * 4, "long"),
    (104, "email", "email_format", 'a"b&c@<d>', "not an address"),
    (105, "state", "max_length", MIXED_SCRIPTS, "11 characters, limit 10"),
]
RUNS = [  # (run id, started at, issue count per (field, rule))
    ("run-1", "2026-11-01 06:00+00", {("state", "max_length"): 5}),
    ("run-2", "2026-11-02 06:00+00", {("state", "max_length"): 3}),
    ("run-3", "2026-11-03 06:00+00", {("state", "max_length"): 2}),
]


class Page(HTMLParser):
    """What a reader gets from the page: links, table cells, scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.scripts = 0
        self.external: list[str] = []
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.external += [f"{tag} {name}" for name in ("src",) if name in attributes]
        if tag in ("script", "link", "iframe", "object"):
            self.scripts += tag == "script"
            self.external.append(tag)
        elif tag == "table":
            self._table = attributes.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a":
            self._link = (attributes.get("href") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "tr" and self._table and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "a" and self._link is not None:
            href, text = self._link
            self.links["".join(text).strip()] = href
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def fill(warehouse: Warehouse) -> None:
    """The relations dbt would build, holding awkward values."""
    with warehouse.server.connect(warehouse.name) as db:
        # A server far from UTC: the page must still show UTC times.
        db.execute(f"alter database \"{warehouse.name}\" set timezone = 'Asia/Tokyo'")
        db.execute(SCHEMA_SQL)
        for lead_id, field_name, rule, value, detail in ISSUES:
            db.execute(
                "insert into analytics.lead_issues values"
                " (%s, %s, %s, %s, %s, null, %s, '2024-05-06 07:08:09+00', now())",
                (lead_id, field_name, rule, value, detail, URL.format(lead_id)),
            )
        for lead_id in sorted({issue[0] for issue in ISSUES}):
            db.execute(
                "insert into analytics.leads values"
                " (%s, 'Ana <b>', 'Lopez & Sons', null, 'Rep \x01 One', false, true)",
                (lead_id,),
            )
        db.execute(
            "insert into analytics.leads values"
            " (200, 'Clean', 'Lead', null, 'Rep', false, false)"
        )
        for run_id, started_at, counts in RUNS:
            for (field_name, rule), count in counts.items():
                db.execute(
                    "insert into analytics.data_quality_runs values"
                    " (%s, %s, %s, %s, %s, 7, %s)",
                    (run_id, started_at, field_name, rule, count, count),
                )


def write_report(
    warehouse: Warehouse, output: Path
) -> subprocess.CompletedProcess[str]:
    server = warehouse.server
    env = {
        **os.environ,
        "QUALITY_REPORT_HOST": server.host,
        "QUALITY_REPORT_PORT": str(server.port),
        "QUALITY_REPORT_USER": server.user,
        "QUALITY_REPORT_PASSWORD": server.password,
        "QUALITY_REPORT_DATABASE": warehouse.name,
    }
    return subprocess.run(
        [REPORT, "--output", str(output)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def report(warehouse: Warehouse, tmp_path: Path) -> Path:
    fill(warehouse)
    output = tmp_path / "reports" / "data_quality.html"
    result = write_report(warehouse, output)
    assert result.returncode == 0, result.stderr
    assert str(output) in result.stderr
    return output


def test_report_counts_every_problem_per_rule_and_field(report: Path) -> None:
    rows = parse(report.read_text("utf-8")).tables["counts-table"]
    counts = {(row[1], row[0].split()[-1]): row[2] for row in rows[1:-1]}
    assert counts == {
        ("state", "max_length"): "2",
        ("email", "email_format"): "2",
        ("notes", "control_characters"): "1",
        ("firstName", "max_length"): "1",
    }
    assert rows[-1][2] == str(len(ISSUES))


def test_report_shows_the_trend_over_the_last_runs(report: Path) -> None:
    rows = parse(report.read_text("utf-8")).tables["trend-table"]
    builds = [(row[0], row[1]) for row in rows[1:]]
    assert builds == [
        ("2026-11-03 06:00 UTC", "2"),
        ("2026-11-02 06:00 UTC", "3"),
        ("2026-11-01 06:00 UTC", "5"),
    ]


def test_every_affected_lead_links_to_its_salesrabbit_page(report: Path) -> None:
    page = parse(report.read_text("utf-8"))
    for lead_id in {issue[0] for issue in ISSUES}:
        assert page.links[f"Lead {lead_id}"] == URL.format(lead_id)
    assert "Lead 200" not in page.links
    lead_rows = page.tables["lead-table"][1:]
    assert [row[0] for row in lead_rows] == [f"Lead {n}" for n in range(101, 106)]


def test_report_escapes_values_and_needs_no_scripts(report: Path) -> None:
    html = report.read_text("utf-8")
    page = parse(html)
    assert page.scripts == 0
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    text = " ".join(cell for rows in page.tables.values() for r in rows for cell in r)
    assert 'a"b&c@<d>' in text
    assert "ÑÚÑÉŻ渡辺😀😀😀😀" in text
    assert "Gate code 4411\ufffd dog" in text
    assert "Rep \u2401 One" in text  # a control character, made visible
    assert "Ana <b> Lopez & Sons" in text
    assert page.external == []  # no scripts, styles or images from elsewhere
    assert "@import" not in html
    assert "url(" not in html
    assert set(page.links.values()) == {URL.format(issue[0]) for issue in ISSUES}


def test_report_without_lead_issues_says_to_run_dbt(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    result = write_report(warehouse, tmp_path / "report.html")
    assert result.returncode == 1
    assert "analytics.lead_issues does not exist" in result.stderr
    assert not (tmp_path / "report.html").exists()


# CI installs Chromium (.ci/run): there a missing browser is a failure.
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"),
    reason="no Chromium installed",
)


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with a throwaway profile and no network chatter."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                *args,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and decoded scanlines of a PNG, with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


@needs_chromium
def test_report_screenshot_shows_a_drawn_page(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"

    result = chromium(
        "--window-size=1280,1600", f"--screenshot={shot}", report.as_uri()
    )

    assert result.returncode == 0, result.stderr[-2000:]
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1280, 1600)
    # A blank or single-colour page compresses to a handful of byte values;
    # text, tables and the trend bars use many.
    assert len(set(pixels)) > 64


@needs_chromium
def test_report_renders_in_a_browser_with_its_links(report: Path) -> None:
    result = chromium("--dump-dom", report.as_uri())

    assert result.returncode == 0, result.stderr[-2000:]
    page = parse(result.stdout)
    assert page.scripts == 0
    for lead_id in {issue[0] for issue in ISSUES}:
        assert page.links[f"Lead {lead_id}"] == URL.format(lead_id)
    assert len(page.tables["lead-table"]) == 1 + len({i[0] for i in ISSUES})
    assert len(page.tables["trend-table"]) == 1 + len(RUNS)
