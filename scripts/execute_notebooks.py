"""Re-execute chapter notebooks in place, so their stored outputs are what the code now prints.

nbval compares every chapter's stored outputs with a fresh run, so after changing a chapter or
scaling_lib, run this and commit the notebooks. Before executing, it makes each notebook's first cell
the book's set-up cell (``scaling_lib.notebook.setup_cell`` with ``repository.url`` of
``_config.yml``): a new chapter gets it inserted, an older copy is replaced.

Run: python scripts/execute_notebooks.py [--setup-only] [chapters/some_chapter.ipynb ...]
     (default: every chapter; --setup-only writes the set-up cell and executes nothing)
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

from scaling_lib import notebook

ROOT = Path(__file__).resolve().parent.parent


def repository_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def put_setup_cell(nb) -> bool:
    """Make ``nb``'s first cell the book's set-up cell, tagged to be hidden; return whether it changed.

    A first code cell that calls ``notebook.setup()`` is an older set-up cell and is replaced; otherwise
    the set-up cell is inserted before the first cell."""
    source = notebook.setup_cell(repository_url())
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "code" and "notebook.setup()" in first.source:
        tags = first.metadata.setdefault("tags", [])
        changed = first.source != source or notebook.SETUP_TAG not in tags
        first.source = source
        if notebook.SETUP_TAG not in tags:
            tags.append(notebook.SETUP_TAG)
        return changed
    nb.cells.insert(0, nbformat.v4.new_code_cell(source, metadata={"tags": [notebook.SETUP_TAG]}))
    return True


def main(args: list[str]) -> int:
    setup_only = "--setup-only" in args
    paths = [a for a in args if a != "--setup-only"]
    notebooks = [Path(p) for p in paths] or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in notebooks:
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        nb = nbformat.read(path, as_version=4)
        changed = put_setup_cell(nb)
        if setup_only:
            if changed:
                nbformat.write(nb, path)
            print(f"{'wrote the set-up cell of' if changed else 'set-up cell already current in'} {name}")
            continue
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
        print(f"executed {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
