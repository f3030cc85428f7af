# widgets/_static.py
"""Paths of the esbuild output in ``inspector/static``, built from ``js/`` and committed."""

from __future__ import annotations

import pathlib

STATIC = pathlib.Path(__file__).resolve().parent.parent / "static"

WIDGET_JS = STATIC / "widget.js"
WIDGET_CSS = STATIC / "widget.css"
GRAPHVIZ_RUNTIME_JS = STATIC / "graphviz-runtime.js"
