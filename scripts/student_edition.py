"""Write the student edition: every chapter as a notebook to hand out, without its solutions.

Solutions and their outputs are removed (and the capstone's worked examples); the exercises and
their checks (``exercises.check``) stay; citations, glued numbers and cross-references become plain
Markdown; the set-up cell stays first after the title, so each notebook runs in Colab (it fetches the
book's code), on Binder and in a local install. The rewriting is the one the site's in-browser copy
uses (scripts/sphinx_ext/notebook_copies.py), with solutions removed instead of folded.

Run: python scripts/student_edition.py [--out student_edition] [--site https://…] [chapter ...]
     (default: every chapter, into student_edition/; --site makes links to the glossary, notation
     and other non-notebook pages point at the published website)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "sphinx_ext"))

import notebook_copies  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter names (e.g. chinchilla); default: all")
    parser.add_argument("--out", type=Path, default=ROOT / "student_edition", help="folder to write into")
    parser.add_argument("--site", default=None, help="the published website's address, for links to its pages")
    args = parser.parse_args(argv)
    known = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}
    unknown = sorted(set(args.chapters) - known)
    if unknown:
        parser.error(f"no such chapter: {', '.join(unknown)} (chapters: {', '.join(sorted(known))})")
    written = notebook_copies.write_edition(ROOT, args.out, "student", site_url=args.site, pages=args.chapters or None)
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
