# trace/text.py
"""User values as safe, bounded text: what every view of the inspector shows.

``repr()`` of a user's value may raise, return something that is not a string, take a huge int
past Python's digit limit, run to 100,000 characters or carry control characters (NUL, bidi
overrides that reorder what a reader sees).  :func:`safe_repr` turns any of these into plain
text: failures become a ``<repr failed: ...>`` note, control and bidi characters become visible
``\\x..`` / ``\\u....`` escapes, and the result is capped (the whole text stays available on
request: see :meth:`inspector.trace.Recorder.full_text`).  Escaping for HTML or DOT is left to
each renderer; this only makes the text *honest*.
"""

from __future__ import annotations

import re
from typing import Any

#: characters of the short form of a value (snapshots); longer text ends in :data:`ELLIPSIS`
SHORT = 80
#: characters of the whole form (sent on request); beyond it the text is cut with a note
WHOLE = 1_000_000
ELLIPSIS = "…"

# C0 / C1 controls except tab and newline, and the invisible format characters that change how
# text around them reads: bidi embeddings / overrides / isolates, zero-width marks, BOM
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_LINEBREAKS = re.compile("[\t\n]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return "\\x%02x" % code if code < 0x100 else "\\u%04x" % code


def visible(text: str, keep_lines: bool = False) -> str:
    """``text`` with control and invisible format characters shown as escapes (tab and newline
    too unless ``keep_lines``)."""
    text = _INVISIBLE.sub(_escape, text)
    return text if keep_lines else _LINEBREAKS.sub(_escape, text)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def _repr(value: Any, depth: int = 0) -> str:
    try:
        text = repr(value)
        if not isinstance(text, str):  # pragma: no cover - repr() itself refuses non-str
            raise TypeError("__repr__ returned %s" % type(text).__name__)
        return str.__str__(text)  # a str subclass's own methods are not trusted
    except ValueError as e:
        if isinstance(value, int):  # past sys.get_int_max_str_digits()
            return "<int of %d bits (too long to print)>" % value.bit_length()
        error = e
    except Exception as e:  # noqa: BLE001 - a broken __repr__ must not break the inspector
        error = e
    # a plain container with one bad member: show the others
    if depth < 4 and type(value) in (list, tuple, dict):
        if type(value) is dict:
            inner = ", ".join("%s: %s" % (_repr(k, depth + 1), _repr(v, depth + 1))
                              for k, v in value.items())
            return "{%s}" % inner
        inner = ", ".join(_repr(v, depth + 1) for v in value)
        if type(value) is tuple:
            return "(%s%s)" % (inner, "," if len(value) == 1 else "")
        return "[%s]" % inner
    return "<repr failed: %s>" % type(error).__name__


def whole_repr(value: Any, limit: int = WHOLE) -> str:
    """``repr(value)`` that never raises, made visible, at most ``limit`` characters."""
    text = _repr(value)
    if len(text) > limit:
        return visible(text[:limit]) + "%s (%d characters, cut at %d)" % (
            ELLIPSIS, len(text), limit)
    return visible(text)


def error_text(error: BaseException, width: int = 2000) -> str:
    """``"Type: message"`` of an exception, whatever its ``__str__`` does, cut to ``width``."""
    try:
        message = str.__str__(str(error))
    except Exception as e:  # noqa: BLE001
        message = "<str failed: %s>" % type(e).__name__
    text = "%s: %s" % (type(error).__name__, message) if message else type(error).__name__
    return clip(visible(text, keep_lines=True), width)


def safe_repr(value: Any, width: int = SHORT) -> str:
    """The short form of ``value``: :func:`whole_repr` cut to ``width`` characters."""
    text = whole_repr(value, limit=max(width * 4, 4096))
    return clip(text, width)
