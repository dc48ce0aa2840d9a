"""The student edition (scripts/student_edition.py) and the in-browser copy: one rewriter
(scripts/sphinx_ext/notebook_copies.py). No solution survives in the student edition, the exercise
checks do, nothing of the book's MyST markup is left raw, and a student notebook runs."""

import json
import re
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts" / "sphinx_ext"))
import notebook_copies  # noqa: E402

CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
RAW = ("{cite", "{glue", "{doc}", "{term}", "{ref}", "{exercise}", "{solution-", "{admonition}",
       "{literalinclude}", "{dropdown}")


def _solution_parts(nb):
    """The code of every solution cell, and the sentences of every solution's text, in a chapter."""
    code, prose, inside = [], [], False
    for cell in nb.cells:
        text = cell.source
        if cell.cell_type == "code":
            if inside and text.strip():
                code.append(text.strip())
            continue
        for line in text.splitlines():
            if "{solution-start}" in line:
                inside = True
            elif "{solution-end}" in line:
                inside = False
            elif inside and len(line.strip()) > 40 and "{" not in line and "$" not in line:
                prose.append(line.strip())
    return code, prose


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    import runpy
    script = runpy.run_path(str(ROOT / "scripts" / "student_edition.py"))
    assert script["main"](["--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_solution_survives_and_the_checks_do(student, chapter):
    original = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    edition = json.loads((student / f"{chapter}.ipynb").read_text())
    text = "\n".join(c["source"] for c in edition["cells"])
    code, prose = _solution_parts(original)
    for part in code + prose:
        assert part not in text, (chapter, part[:80])
    checks = [c.source for c in original.cells if c.cell_type == "code" and "exercises.check(" in c.source]
    for check in checks:
        assert check.strip() in text, chapter
    markdown = "\n".join(c["source"] for c in edition["cells"] if c["cell_type"] == "markdown")
    assert not any(raw in markdown for raw in RAW), chapter
    assert not re.search(r"\bsolutions?\b", markdown, re.I) or chapter == "capstone"
    setup = next(c for c in edition["cells"] if c["cell_type"] == "code")
    assert "notebook.setup()" in setup["source"] and "git" in setup["source"]  # fetches the code on Colab


def test_the_capstone_loses_its_worked_examples(student):
    edition = json.loads((student / "capstone.ipynb").read_text())
    text = "\n".join(c["source"] for c in edition["cells"])
    assert "A worked example" not in text and "What the worked example" not in text
    assert "capstone.grade(" not in text and "fit_approach3(" not in text


def test_citations_and_glued_values_are_filled_in():
    book = notebook_copies.load_book(ROOT)
    nb = nbformat.read(ROOT / "chapters" / "chinchilla.ipynb", as_version=4)
    glue = notebook_copies.glued_values(nb)
    out = notebook_copies.rewrite(nb, book, "browser", "chinchilla")
    markdown = "\n".join(c.source for c in out.cells if c.cell_type == "markdown")
    assert "[Hoffmann et al., 2022](https://arxiv.org/abs/2203.15556)" in markdown  # arXiv:2203.15556
    assert glue and str(glue["budget_gap"]) in markdown
    with pytest.raises(ValueError, match="edition"):
        notebook_copies.rewrite(nb, book, "teacher", "chinchilla")


def test_print_output_is_written_as_single_strings(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1); print(2)", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="a\nb\n"),
        nbformat.v4.new_output("stream", name="stdout", text="c\n")])])
    book = notebook_copies.Book(references={})
    notebook_copies.write(notebook_copies.rewrite(nb, book, "student", "x"), tmp_path / "x.ipynb")
    outputs = json.loads((tmp_path / "x.ipynb").read_text())["cells"][0]["outputs"]
    assert outputs == [{"name": "stdout", "output_type": "stream", "text": "a\nb\nc\n"}]


@pytest.mark.slow
def test_a_student_notebook_runs(student):
    """The student power-laws chapter (among the fastest) executes from the edition's own folder."""
    nb = nbformat.read(student / "power_laws.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(student)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    checks = [o for c in nb.cells if c.cell_type == "code" and "exercises.check(" in c.source for o in c.outputs]
    assert checks  # the exercise checks ran and answered
    assert not any(o.output_type == "error" for c in nb.cells if c.cell_type == "code" for o in c.outputs)
