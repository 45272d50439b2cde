"""A self-contained HTML data-quality report on the SalesRabbit warehouse."""

from salesrabbit_quality_report.page import render
from salesrabbit_quality_report.warehouse import (
    Issue,
    Lead,
    RuleCount,
    Run,
    Snapshot,
    read_snapshot,
)

__all__ = ["Issue", "Lead", "RuleCount", "Run", "Snapshot", "read_snapshot", "render"]
