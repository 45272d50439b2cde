"""The prod environment holds no connection value: variables supply them all.

A missing variable must stop the run with its name, never fall back to the
demo's sandbox or local database.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from e2e import Pipeline

SECRET_KEY = "prod-key-never-printed"


def prod(tmp_path: Path, **variables: str) -> Pipeline:
    """Meltano in prod, with only ``variables`` set of the connection ones."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TAP_SALESRABBIT_", "TARGET_POSTGRES_", "DBT_"))
    }
    env |= {
        "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "MELTANO_ENVIRONMENT": "prod",
        "DBT_TARGET_PATH": str(tmp_path / "dbt-target"),
        "DBT_LOG_PATH": str(tmp_path / "dbt-logs"),
        **variables,
    }
    return Pipeline(env=env)


def config_of(pipeline: Pipeline, plugin: str) -> dict[str, object]:
    printed = pipeline.run("config", "print", plugin).stdout
    return dict(json.loads(printed[printed.index("{") :]))


def test_prod_talks_to_the_real_api_and_stores_no_key(tmp_path):
    tap = config_of(prod(tmp_path), "tap-salesrabbit")

    assert tap["api_url"] == "https://api.salesrabbit.com"
    assert "api_key" not in tap


def test_prod_takes_every_connection_value_from_variables(tmp_path):
    pipeline = prod(
        tmp_path,
        TAP_SALESRABBIT_API_KEY=SECRET_KEY,
        TARGET_POSTGRES_HOST="db.example.com",
        TARGET_POSTGRES_PORT="6543",
        TARGET_POSTGRES_USER="loader",
        TARGET_POSTGRES_DATABASE="warehouse",
    )

    target = config_of(pipeline, "target-postgres")
    dbt = config_of(pipeline, "dbt-postgres")

    for config in (target, dbt):
        assert config["host"] == "db.example.com"
        assert config["port"] == 6543
        assert config["user"] == "loader"
        assert config["database"] == "warehouse"
    printed = pipeline.run("config", "print", "tap-salesrabbit")
    assert SECRET_KEY not in printed.stdout + printed.stderr


def test_dbt_in_prod_without_a_host_names_the_missing_variable(tmp_path):
    result = prod(tmp_path).run("invoke", "dbt-postgres:debug", check=False)

    assert result.returncode != 0
    assert "DBT_POSTGRES_HOST" in result.stdout + result.stderr
    assert "55432" not in result.stdout + result.stderr
