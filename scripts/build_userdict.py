"""Regenerate analysis/data/userdict.txt from the agency, talent-category and term tables.

    python scripts/build_userdict.py [--titles FILE] [--out PATH] [--check]

``--titles`` adds terms quoted in catalogue titles (one title per line). ``--check``
exits non-zero when the committed file is out of date (for CI). The same logic is
importable: ``from knowledge.userdict import build_userdict``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge.userdict import USERDICT, build_userdict

__all__ = ["build_userdict", "main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=Path, help="file with one catalogue title per line")
    parser.add_argument("--out", type=Path, default=USERDICT)
    parser.add_argument("--check", action="store_true", help="fail if the file on disk differs")
    args = parser.parse_args(argv)
    titles = args.titles.read_text(encoding="utf-8").splitlines() if args.titles else []
    if args.check:
        lines = build_userdict(None, titles=titles)
        current = args.out.read_text(encoding="utf-8").splitlines() if args.out.exists() else []
        if current != lines:
            print(f"{args.out} is out of date: run scripts/build_userdict.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date ({len(lines)} words)")
        return 0
    lines = build_userdict(args.out, titles=titles)
    print(f"wrote {len(lines)} words to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
