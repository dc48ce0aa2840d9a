"""Fetch the JavaScript the site serves itself, from the npm registry, into _vendor/.

The static site must render widgets and math with no CDN: require.js and the ipywidgets
html-manager (which myst-nb adds to pages that hold widget state) and MathJax 3 are packed by
`npm pack` at pinned versions (npm checks each tarball's integrity) and unpacked into _vendor/,
which the book lists in html_static_path. Nothing here is committed to the repository.

Run: python scripts/fetch_vendor_js.py   (does nothing when _vendor/ is already complete)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "_vendor"

# package@version -> {path inside the tarball (a file, or a folder ending in /): path under _vendor/}
PACKAGES = {
    "requirejs@2.3.8": {"package/require.js": "static/require.js"},
    # The manager loads its icon fonts from @jupyter-widgets/html-manager/dist/ relative to the page,
    # and every page of the book lives in chapters/.
    "@jupyter-widgets/html-manager@1.0.15": {
        "package/dist/embed-amd.js": "static/embed-amd.js",
        "package/dist/": "extra/chapters/@jupyter-widgets/html-manager/dist/",  # fonts only
    },
    "mathjax@3.2.2": {
        "package/es5/tex-chtml.js": "static/mathjax/tex-chtml.js",
        "package/es5/input/tex/extensions/": "static/mathjax/input/tex/extensions/",
        "package/es5/output/chtml/fonts/woff-v2/": "static/mathjax/output/chtml/fonts/woff-v2/",
    },
}
# Of a folder (a source ending in /), only these kinds of file are copied.
FOLDER_SUFFIXES = {
    "package/dist/": (".woff", ".woff2", ".ttf", ".eot", ".svg"),
    "package/es5/input/tex/extensions/": (".js",),
    "package/es5/output/chtml/fonts/woff-v2/": (".woff",),
}
MARKERS = ["static/require.js", "static/embed-amd.js", "static/mathjax/tex-chtml.js",
           "extra/chapters/@jupyter-widgets/html-manager/dist"]


def complete() -> bool:
    return all((VENDOR / m).exists() for m in MARKERS)


def main() -> int:
    if complete():
        print(f"_vendor/ is complete ({', '.join(MARKERS)})")
        return 0
    npm = shutil.which("npm")
    if npm is None:
        print("npm is needed to fetch the site's JavaScript (Debian: apt-get install npm)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            out = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                                 check=True, capture_output=True, text=True).stdout.split()[-1]
            with tarfile.open(Path(tmp) / out) as tar:
                for member in tar.getmembers():
                    for src, dest in files.items():
                        if src.endswith("/") and not member.name.endswith(FOLDER_SUFFIXES[src]):
                            continue
                        if member.isfile() and (member.name == src or (src.endswith("/") and member.name.startswith(src))):
                            target = VENDOR / dest / member.name[len(src):] if src.endswith("/") else VENDOR / dest
                            target.parent.mkdir(parents=True, exist_ok=True)
                            target.write_bytes(tar.extractfile(member).read())
            print(f"fetched {spec}")
    if not complete():
        print("_vendor/ is still incomplete after fetching", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
