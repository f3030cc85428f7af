"""``python -m inspector export NOTEBOOK.ipynb``: a self-contained HTML page of a notebook whose
Session Inspector views still show what they recorded (see :mod:`inspector.export`)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m inspector", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser(
        "export", help="write a notebook as one HTML page that works offline",
        description="Write NOTEBOOK as one self-contained HTML page (no CDN, no kernel): each "
                    "Session Inspector shows its last recorded snapshot.")
    export.add_argument("notebook", help="the .ipynb file")
    export.add_argument("-o", "--output", help="the HTML file (default: NOTEBOOK with .html)")
    run = export.add_mutually_exclusive_group()
    run.add_argument("--execute", dest="execute", action="store_true", default=None,
                     help="run the notebook first (default: only when it saved no inspector "
                          "state)")
    run.add_argument("--no-execute", dest="execute", action="store_false",
                     help="never run it; inspectors without saved state show as text")
    export.add_argument("--timeout", type=int, default=300,
                        help="seconds a cell may run when executing (default 300)")
    export.add_argument("--kernel", default="python3", help="kernel name (default python3)")
    args = parser.parse_args(argv)

    from .export import ExportError, export_html

    try:
        out = export_html(args.notebook, args.output, execute=args.execute,
                          timeout=args.timeout, kernel=args.kernel)
    except ExportError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
