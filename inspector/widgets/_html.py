# widgets/_html.py
"""A static, escaped HTML rendering of a snapshot dict: what shows where widgets cannot run."""

from __future__ import annotations

import re
from html import escape
from typing import Any

_STYLE = "border-collapse:collapse;font-size:12px"
_SQL_SHOWN = 20  # statements of the SQL log in the static rendering
_ROWS_SHOWN = 25  # objects per table: the fallback stays small at any session size
_STEPS_SHOWN = 40  # flush steps listed
_NOTES_SHOWN = 10  # diagnostics listed
_CELL = "border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top"


# controls and invisible format characters (bidi overrides, zero-width marks): shown as escapes
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _e(value: Any) -> str:
    text = _INVISIBLE.sub(lambda m: "\\u%04x" % ord(m.group()), "" if value is None else str(value))
    return escape(text, quote=True)


def _change(attr: dict[str, Any]) -> str:
    added, deleted = attr.get("added") or [], attr.get("deleted") or []
    if attr.get("kind") == "relationship":
        parts = [f"+{a}" for a in added] + [f"\u2212{d}" for d in deleted]
        return f"{attr.get('name')}: {', '.join(parts) or attr.get('value')}"
    before = ", ".join(deleted) or "\u2205"
    after = ", ".join(added) or attr.get("value")
    return f"{attr.get('name')}: {before} \u2192 {after}"


def snapshot_html(snapshot: dict[str, Any], error: str = "") -> str:
    """Identity map (and what left the session), transaction stack, flush steps, diagnostics
    and the latest SQL as plain tables and lists; every value escaped."""
    snap = snapshot or {}
    marks = {name: set(snap.get(name) or ()) for name in ("new", "dirty", "deleted")}
    objects = snap.get("objects") or ()
    held = [o for o in objects if o.get("in_session", True)]
    left = [o for o in objects if not o.get("in_session", True)]
    statuses: dict[str, int] = {}
    for obj in held:
        statuses[str(obj.get("status"))] = statuses.get(str(obj.get("status")), 0) + 1
    counts = ", ".join(f"{n} {_e(s)}" for s, n in statuses.items()) or "no objects"
    sets = ", ".join(f"{len(ids)} {name}" for name, ids in marks.items())
    out = [
        f'<div class="si-static"><b>{_e(snap.get("session", "Session"))}</b>'
        f"<div>{len(held)} object{'' if len(held) == 1 else 's'} in the session ({counts});"
        f" {sets}; {len(left)} left the session</div>"
    ]
    if error:
        out.append(f'<div style="color:#c62828">{_e(error)}</div>')
    head = "".join(
        f'<th style="{_CELL}">{t}</th>' for t in ("Class", "Identity", "Status", "Changes", "Marks")
    )

    def table(objects: list[dict[str, Any]]) -> str:
        rows = []
        for obj in objects[:_ROWS_SHOWN]:
            attrs = obj.get("attributes") or ()
            changes = "<br>".join(_e(_change(a)) for a in attrs if a.get("changed"))
            flags = " ".join(name for name, ids in marks.items() if obj.get("id") in ids)
            cells = (obj.get("cls"), obj.get("identity") or "\u2014", obj.get("status"))
            rows.append(
                "<tr>"
                + "".join(f'<td style="{_CELL}">{_e(c)}</td>' for c in cells)
                + f'<td style="{_CELL}">{changes}</td><td style="{_CELL}">{_e(flags)}</td></tr>'
            )
        more = len(objects) - _ROWS_SHOWN
        tail = f"<div>\u2026 and {more} more (the live inspector lists them all)</div>"
        tail = tail if more > 0 else ""
        return f'<table style="{_STYLE}"><tr>{head}</tr>{"".join(rows)}</table>{tail}'

    out.append(table(held))
    if left:
        out.append(f"<div>Left the session ({len(left)}):</div>{table(left)}")
    stack = snap.get("transactions") or ()
    if stack:
        levels = " \u2192 ".join(
            f"{_e(t.get('kind'))} ({_e(t.get('status'))}, {_e(t.get('connections'))} conn)"
            for t in stack
        )
        out.append(f"<div>Transactions: {levels}</div>")
    flush = snap.get("flush")
    if flush:
        status, cursor = _e(flush.get("status")), _e(flush.get("cursor"))
        out.append(f"<div>Flush {status}, next step index {cursor}</div><ol>")
        steps = flush.get("steps") or ()
        for step in steps[:_STEPS_SHOWN]:
            sql = "".join(
                f"<br><code>{_e(st.get('sql'))}</code> {_e(st.get('parameters'))}"
                for st in step.get("statements") or ()
            )
            out.append(f"<li>{_e(step.get('label'))} [{_e(step.get('state'))}]{sql}</li>")
        if len(steps) > _STEPS_SHOWN:
            out.append(f"<li>\u2026 and {len(steps) - _STEPS_SHOWN} more steps</li>")
        out.append("</ol>")
    for note in (snap.get("diagnostics") or ())[:_NOTES_SHOWN]:
        out.append(f"<div>{_e(note)}</div>")
    sql = (snap.get("sql") or ())[-_SQL_SHOWN:]
    if sql:
        out.append(f"<div>SQL log (last {len(sql)}):</div><ol>")
        out.extend(
            f"<li><code>{_e(e.get('sql'))}</code> {_e(e.get('parameters'))}"
            + (f" \u00d7 {_e(e.get('batch'))}" if (e.get("batch") or 1) > 1 else "")
            + f" \u2014 {_e(e.get('origin'))} {_e(e.get('source'))}"
            + (f' <b style="color:#c62828">failed: {_e(e["error"])}</b>' if e.get("error") else "")
            + "</li>"
            for e in sql
        )
        out.append("</ol>")
    out.append("</div>")
    return "".join(out)
