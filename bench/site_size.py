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


#: The issue's target for a chapter page with everything it loads.
TARGET_BYTES = 4e6
IMAGES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")


def page_parts(html: Path, root: Path) -> dict[str, int]:
    """Bytes of the page itself, of the images it shows, and of its other files (scripts, styles)."""
    text = html.read_text(encoding="utf-8")
    parts = {"html": html.stat().st_size, "images": 0, "scripts": 0, "largest": ("", 0)}
    seen = set()
    for ref in re.findall(r'(?:src|href)="([^"#?]+)', text):
        if "://" in ref or ref.endswith(".html") or "_sources/" in ref:  # links, not loads
            continue
        target = (html.parent / ref).resolve()
        if target.is_file() and target not in seen and root in target.parents:
            seen.add(target)
            size = target.stat().st_size
            parts["images" if target.suffix.lower() in IMAGES else "scripts"] += size
            if size > parts["largest"][1]:
                parts["largest"] = (target.name, size)
    return parts


def page_size(html: Path, root: Path) -> tuple[int, int]:
    """Bytes of the page itself, and of the page plus every local file it references."""
    parts = page_parts(html, root)
    return parts["html"], parts["html"] + parts["images"] + parts["scripts"]


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html").resolve()
    if not (root / "chapters").is_dir():
        sys.exit(f"no built site at {root}: run bash scripts/build.sh first")
    print(f"{'page':20s} {'HTML kB':>8s} {'images kB':>10s} {'other kB':>9s} {'total kB':>9s}  "
          f"{'target':7s} largest file")
    over = 0
    for html in sorted((root / "chapters").glob("*.html")):
        parts = page_parts(html, root)
        total = parts["html"] + parts["images"] + parts["scripts"]
        over += total > TARGET_BYTES
        name, size = parts["largest"]
        print(f"{html.stem:20s} {parts['html'] / 1e3:8.0f} {parts['images'] / 1e3:10.0f} {parts['scripts'] / 1e3:9.0f} "
              f"{total / 1e3:9.0f}  {'over' if total > TARGET_BYTES else 'ok':7s} {name} ({size / 1e3:.0f} kB)")
    print(f"{over} page(s) over the target of {TARGET_BYTES / 1e6:.0f} MB with everything they load")
    lite = folder_size(root / "lite") if (root / "lite").is_dir() else 0
    everything = folder_size(root)
    print(f"site without lite/: {(everything - lite) / 1e6:.1f} MB; lite/ (JupyterLite): {lite / 1e6:.1f} MB; "
          f"total {everything / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
