"""Size of the built site: each page with the images and scripts it loads, and the whole site with
and without its in-browser copy (JupyterLite, in lite/).

Run after building (bash scripts/build.sh): .venv/bin/python bench/site_size.py [_build/html]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def page_size(html: Path, root: Path) -> tuple[int, int]:
    """Bytes of the page itself, and of the page plus every local file it references."""
    text = html.read_text(encoding="utf-8")
    total = html.stat().st_size
    seen = set()
    for ref in re.findall(r'(?:src|href)="([^"#?]+)', text):
        if "://" in ref or ref.endswith(".html"):
            continue
        target = (html.parent / ref).resolve()
        if target.is_file() and target not in seen and root in target.parents:
            seen.add(target)
            total += target.stat().st_size
    return html.stat().st_size, total


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html").resolve()
    if not (root / "chapters").is_dir():
        sys.exit(f"no built site at {root}: run bash scripts/build.sh first")
    print(f"{'page':32s} {'HTML kB':>8s} {'with assets kB':>15s}")
    for html in sorted((root / "chapters").glob("*.html")):
        own, with_assets = page_size(html, root)
        print(f"{html.stem:32s} {own / 1e3:8.0f} {with_assets / 1e3:15.0f}")
    lite = folder_size(root / "lite") if (root / "lite").is_dir() else 0
    everything = folder_size(root)
    print(f"site without lite/: {(everything - lite) / 1e6:.1f} MB; lite/ (JupyterLite): {lite / 1e6:.1f} MB; "
          f"total {everything / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
