"""Render a :class:`Snapshot` as one self-contained HTML page.

Inline CSS, an inline SVG chart, no scripts and no external assets: the file
opens the same from a mail attachment, a file share or a browser. Every value
from the warehouse is escaped; control characters, which HTML cannot carry,
are shown as their visible Unicode pictures (a NUL byte as ``␀``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import datetime

from salesrabbit_quality_report.warehouse import Lead, RuleCount, Run, Snapshot

RULE_NAMES = {
    "max_length": "Too long for the field",
    "email_format": "Email not like name@domain.tld",
    "phone_digits": "Phone number without digits",
    "coordinate_range": "Coordinate out of range",
    "control_characters": "Control character (e.g. a NUL byte)",
    "data_type": "Value of the wrong type",
}
"""What each rule of ``lead_field_rules`` means, for a person."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINKABLE = ("https://", "http://")

CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c;
  --line: #d9e2ec; --accent: #c2410c; --bar: #ea580c; --ok: #15803d; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI",
  Roboto, "Noto Sans", sans-serif; color: var(--ink); background: #f5f7fa; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; }
p.meta, p.note { color: var(--muted); margin: 0 0 6px; }
section.cards { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 20px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 18px; min-width: 190px; flex: 1; }
.card .n { font-size: 30px; font-weight: 650; }
.card .n.bad { color: var(--accent); }
.card .n.good { color: var(--ok); }
.card .what { color: var(--muted); font-size: 13px; }
table { width: 100%; border-collapse: collapse; background: #fff;
  border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
th, td { text-align: left; padding: 8px 12px; vertical-align: top;
  border-bottom: 1px solid var(--line); }
th { background: #eef2f7; font-size: 13px; color: var(--muted);
  font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: 0; }
.meter { background: #fde7d7; border-radius: 4px; height: 10px;
  min-width: 160px; }
.meter span { display: block; height: 10px; border-radius: 4px;
  background: var(--bar); }
code, .value { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
  monospace; font-size: 13px; }
.value { background: #f1f5f9; border-radius: 4px; padding: 1px 5px;
  overflow-wrap: anywhere; white-space: pre-wrap; }
ul.problems { margin: 0; padding-left: 18px; }
ul.problems li { margin: 2px 0; }
.field { font-weight: 600; }
.detail { color: var(--muted); }
a { color: #1d4ed8; }
a.lead { font-weight: 600; white-space: nowrap; }
.chart { display: inline-block; max-width: 100%; overflow-x: auto;
  background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 16px; margin-bottom: 12px; }
.chart p { margin: 0 0 6px; color: var(--muted); font-size: 13px; }
.chart text { font: 11px system-ui, sans-serif; fill: #52606d; }
.chart rect.bar { fill: var(--bar); }
.chart line { stroke: var(--line); }
.empty { background: #fff; border: 1px dashed var(--line); border-radius: 10px;
  padding: 18px; color: var(--muted); }
td.when { white-space: nowrap; }
#lead-table th:nth-child(1) { width: 110px; }
#lead-table th:nth-child(2) { width: 20%; }
#lead-table th:nth-child(3) { width: 13%; }
#lead-table th:nth-child(5) { width: 150px; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
"""


def render(snapshot: Snapshot) -> str:
    """The whole page for ``snapshot``."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>SalesRabbit data quality</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            _header(snapshot),
            _cards(snapshot),
            _counts(snapshot.counts, snapshot.issue_count),
            _trend(snapshot.runs),
            _leads(snapshot.leads, snapshot.leads_affected),
            "<footer>Counts cover every open problem in "
            f"<code>{_text(snapshot.schema)}.lead_issues</code>. Fix a lead in "
            "SalesRabbit and it leaves this page after the next sync.</footer>",
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _text(value: object) -> str:
    """``value`` escaped for HTML, control characters made visible."""
    return html.escape(_CONTROL.sub(_picture, str(value)), quote=True)


def _picture(match: re.Match[str]) -> str:
    """The visible stand-in of a control character: ␀ for NUL, ␡ for DEL."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "unknown"


def _short(text: str, length: int = 60) -> str:
    """``text`` cut to ``length`` characters, the last one an ellipsis."""
    return text if len(text) <= length else text[: length - 1] + "…"


def _number(count: int) -> str:
    return f"{count:,}"


def _link(url: str, label: str, css_class: str = "") -> str:
    """A link to SalesRabbit; plain text if the URL is not http(s)."""
    if not url.startswith(_LINKABLE):
        return _text(label)
    attributes = f' class="{css_class}"' if css_class else ""
    return f'<a{attributes} href="{_text(url)}">{_text(label)}</a>'


def _header(snapshot: Snapshot) -> str:
    latest = snapshot.runs[-1].started_at if snapshot.runs else None
    return (
        "<header><h1>SalesRabbit data quality</h1>"
        f'<p class="meta">Report written {_when(snapshot.read_at)}'
        f" · last dbt build {_when(latest)}"
        f" · schema <code>{_text(snapshot.schema)}</code></p></header>"
    )


def _cards(snapshot: Snapshot) -> str:
    cards: list[tuple[str, str, int | None]] = [
        (_number(snapshot.issue_count), "problems to fix", snapshot.issue_count),
        (_number(snapshot.leads_affected), "leads affected", snapshot.leads_affected),
    ]
    if snapshot.leads_checked is not None:
        cards.append(
            (_number(snapshot.leads_checked), "leads validated (all live leads)", None)
        )
    if len(snapshot.runs) >= 2:
        change = snapshot.runs[-1].issue_count - snapshot.runs[-2].issue_count
        cards.append((f"{change:+,}", "problems since the build before", change))
    html_cards = []
    for shown, what, badness in cards:
        tone = "" if badness is None else (" bad" if badness > 0 else " good")
        html_cards.append(
            f'<div class="card"><div class="n{tone}">{_text(shown)}</div>'
            f'<div class="what">{_text(what)}</div></div>'
        )
    return f'<section class="cards">{"".join(html_cards)}</section>'


def _counts(counts: list[RuleCount], total: int) -> str:
    title = '<h2 id="counts">Problems by rule and field</h2>'
    if not counts:
        return f'{title}<p class="empty">No open problems. Every lead passes.</p>'
    widest = max(count.issue_count for count in counts)
    rows = "".join(
        "<tr>"
        f"<td>{_text(RULE_NAMES.get(count.rule, count.rule))}"
        f" <code>{_text(count.rule)}</code></td>"
        f'<td class="field">{_text(count.field)}</td>'
        f'<td class="num">{_number(count.issue_count)}</td>'
        f'<td><div class="meter"><span style="width:'
        f'{100 * count.issue_count / widest:.1f}%"></span></div></td>'
        "</tr>"
        for count in counts
    )
    return (
        f'{title}<table id="counts-table"><thead><tr><th>Rule</th><th>Field</th>'
        '<th class="num">Leads</th><th></th></tr></thead>'
        f"<tbody>{rows}</tbody><tfoot><tr><th>All rules</th><th></th>"
        f'<th class="num">{_number(total)}</th><th></th></tr></tfoot></table>'
    )


def _trend(runs: list[Run]) -> str:
    title = f'<h2 id="trend">Trend over the last {len(runs)} builds</h2>'
    if not runs:
        return f'{title}<p class="empty">No build history yet.</p>'
    return title + _chart(runs) + _trend_table(runs)


def _chart(runs: list[Run]) -> str:
    """Problems after each build as bars, oldest on the left."""
    step, bar, height, top, bottom, left = 44, 28, 150, 18, 34, 8
    width = left + step * len(runs) + 8
    highest = max((run.issue_count for run in runs), default=0) or 1
    label_every = max(1, len(runs) // 10)
    parts = [
        f'<svg role="img" aria-label="Problems after each build" width="{width}"'
        f' height="{height + top + bottom}" viewBox="0 0 {width}'
        f' {height + top + bottom}">',
        f'<line x1="0" y1="{top + height}" x2="{width}" y2="{top + height}"/>',
    ]
    for index, run in enumerate(runs):
        bar_height = round(height * run.issue_count / highest)
        x = left + index * step
        y = top + height - bar_height
        parts.append(
            f'<rect class="bar" x="{x}" y="{y}" width="{bar}"'
            f' height="{bar_height}"><title>{_when(run.started_at)}:'
            f" {_number(run.issue_count)} problems</title></rect>"
            f'<text x="{x + bar / 2}" y="{y - 4}" text-anchor="middle">'
            f"{_number(run.issue_count)}</text>"
        )
        if index % label_every == 0 or index == len(runs) - 1:
            parts.append(
                f'<text x="{x + bar / 2}" y="{top + height + 14}"'
                f' text-anchor="middle">{run.started_at:%m-%d}</text>'
                f'<text x="{x + bar / 2}" y="{top + height + 27}"'
                f' text-anchor="middle">{run.started_at:%H:%M}</text>'
            )
    parts.append("</svg>")
    caption = "<p>Open problems after each build (UTC dates)</p>"
    return f'<div class="chart">{caption}{"".join(parts)}</div>'


def _trend_table(runs: list[Run]) -> str:
    rules = sorted({rule for run in runs for rule in run.by_rule})
    head = "".join(
        f'<th class="num"><code>{_text(rule).replace("_", "_<wbr>")}</code></th>'
        for rule in rules
    )
    rows = "".join(
        f'<tr><td class="when">{_when(run.started_at)}</td>'
        f'<td class="num">{_number(run.issue_count)}</td>'
        f'<td class="num">{_number(run.leads_with_issues)}</td>'
        f'<td class="num">{_number(run.leads_checked)}</td>'
        + "".join(
            f'<td class="num">{_number(run.by_rule.get(rule, 0))}</td>'
            for rule in rules
        )
        + "</tr>"
        for run in reversed(runs)
    )
    return (
        '<p class="note">Newest build first.</p>'
        '<table id="trend-table"><thead><tr><th>Build</th>'
        '<th class="num">Problems</th><th class="num">Leads affected</th>'
        f'<th class="num">Live leads</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _leads(leads: list[Lead], affected: int) -> str:
    title = '<h2 id="leads">Leads to fix in SalesRabbit</h2>'
    if not leads:
        return f'{title}<p class="empty">Nothing to fix.</p>'
    note = (
        f'<p class="note">The first {_number(len(leads))} of'
        f" {_number(affected)} leads, by lead id.</p>"
        if len(leads) < affected
        else '<p class="note">Open a lead in SalesRabbit, fix the fields'
        " listed, save; the next sync clears it here.</p>"
    )
    rows = "".join(_lead_row(lead) for lead in leads)
    return (
        f'{title}{note}<table id="lead-table"><thead><tr><th>Lead</th>'
        "<th>Name</th><th>Owner</th><th>Problems</th>"
        "<th>Last modified</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _lead_row(lead: Lead) -> str:
    return (
        f'<tr data-lead-id="{lead.lead_id}">'
        f"<td>{_link(lead.salesrabbit_url, f'Lead {lead.lead_id}', 'lead')}</td>"
        f"<td>{_text(_short(lead.name or ''))}</td>"
        f"<td>{_text(_short(lead.owner or ''))}</td>"
        f'<td><ul class="problems">{"".join(_problems(lead))}</ul></td>'
        f'<td class="when">{_when(lead.modified_at)}</td>'
        "</tr>"
    )


def _problems(lead: Lead) -> Iterable[str]:
    for issue in lead.issues:
        value = (
            f' <span class="value">{_text(issue.value)}</span>'
            if issue.value is not None
            else ""
        )
        yield (
            f'<li data-rule="{_text(issue.rule)}"><span class="field">'
            f"{_text(issue.field)}</span>: {_text(issue.detail or issue.rule)}"
            f"{value}</li>"
        )
