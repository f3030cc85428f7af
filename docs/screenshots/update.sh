#!/usr/bin/env bash
# Copies the README's screenshots from the browser tests' shots (already cropped to the widget or
# one of its views) into docs/screenshots/, quantised to 48 colours when pngquant is installed
# (apt-get install pngquant), so each PNG stays small (<= ~150 KB).  Run the browser tests first:
#   pytest tests/browser/test_notebooks_lab.py tests/browser/test_jupyterlab.py
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHOTS="$ROOT/artifacts/browser"
OUT="$ROOT/docs/screenshots"

# README name          shot under artifacts/browser/
while read -r name shot; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    src="$SHOTS/$shot"
    [[ -f "$src" ]] || { echo "missing $src: run the browser tests first" >&2; exit 1; }
    if command -v pngquant >/dev/null; then
        pngquant --force --strip --output "$OUT/$name.png" 48 -- "$src"
    else
        cp "$src" "$OUT/$name.png"
    fi
    printf '%-22s %7d bytes  <- %s\n' "$name.png" "$(stat -c %s "$OUT/$name.png")" "$shot"
done <<'LIST'
identity-map         notebooks/07-debugging-identity-map.png
session-sets         notebooks/04-relationships-cascades-identity-map.png
transaction-stack    notebooks/05-transactions-savepoints-transactions.png
plan-graph           notebooks/06-cycles-post-update-plan-graph-wide.png
sql-log              notebooks/07-debugging-sql-log.png
why                  notebooks/04-relationships-cascades-why.png
narration            notebooks/04-relationships-cascades-narration.png
timeline             notebooks/03-unit-of-work-timeline-past.png
dark-theme           widget-dark.png
LIST
