"""Fetch what the site serves but the book did not write, into _vendor/ (never committed).

* JavaScript, from the npm registry: the static site must render widgets and math with no CDN, so
  require.js and the ipywidgets html-manager (which myst-nb adds to pages that hold widget state)
  and MathJax 3 are packed by `npm pack` at pinned versions (npm checks each tarball's integrity)
  and unpacked into _vendor/static and _vendor/extra, which _config.yml lists.
* Wheels, from PyPI: the in-browser copy of the book (JupyterLite) installs ipywidgets from the
  site's own package index, _vendor/lite/pypi/ (scaling_lib's wheel is added there at build time
  by scripts/sphinx_ext/book_site.py).

Run: python scripts/fetch_site_assets.py   (does nothing when _vendor/ is already complete)
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
# Pure-Python wheels the in-browser kernel installs from the site (pinned like requirements.txt).
LITE_WHEELS = ["ipywidgets==8.1.9", "jupyterlab_widgets==3.0.17", "comm==0.2.3", "threadpoolctl==3.8.0"]
LITE_INDEX = VENDOR / "lite" / "pypi"

MARKERS = ["static/require.js", "static/embed-amd.js", "static/mathjax/tex-chtml.js",
           "extra/chapters/@jupyter-widgets/html-manager/dist"]


def complete() -> bool:
    wheels = {p.name.split("-")[0].lower() for p in LITE_INDEX.glob("*.whl")}
    needed = {w.split("==")[0].lower() for w in LITE_WHEELS}
    return all((VENDOR / m).exists() for m in MARKERS) and needed <= wheels


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
    LITE_INDEX.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--dest", str(LITE_INDEX), *LITE_WHEELS], check=True)
    print(f"fetched {', '.join(LITE_WHEELS)}")
    if not complete():
        print("_vendor/ is still incomplete after fetching", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
