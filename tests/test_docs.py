"""The README tells the truth about the tap's settings and the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from tap_salesrabbit.tap import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
TAP = Path(sys.executable).parent / "tap-salesrabbit"


def about_rows() -> list[str]:
    """The markdown rows ``--about`` prints for the tap's own settings."""
    about = subprocess.run(
        [str(TAP), "--about", "--format=markdown"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ours = set(SETTINGS["properties"])
    return [
        line
        for line in about.splitlines()
        if line.startswith("| ") and line.split("|")[1].strip() in ours
    ]


def test_readme_settings_table_matches_the_tap():
    readme = (ROOT / "README.md").read_text()

    rows = about_rows()
    assert len(rows) >= 9
    for row in rows:
        assert row in readme


def test_meltano_settings_match_the_tap():
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    tap = project["plugins"]["extractors"][0]
    in_meltano = {s["name"] for s in tap["settings"]}
    assert in_meltano == set(SETTINGS["properties"])
    secret = next(s for s in tap["settings"] if s["name"] == "api_key")
    assert secret["sensitive"] is True


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
