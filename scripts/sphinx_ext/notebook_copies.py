"""Copies of the chapters for reading and running outside the website.

One rewriter, two editions:

* ``edition="browser"``: the in-browser copy (JupyterLite, built into the site's ``lite/`` by
  ``book_site``). Solutions stay, folded (their cells collapsed under a "Solution" line).
* ``edition="student"``: the student edition (``scripts/student_edition.py``). Solutions and their
  outputs are removed, and so are the capstone's worked examples; exercise checks stay.

Both turn the book's MyST markup into the Markdown that Jupyter, JupyterLite and Colab render:
citations become author-year text linked to the paper (arXiv or DOI), glued values are filled in
from the notebook's stored outputs, cross-references become links to the sibling notebooks,
directives become block quotes, details or code blocks. The set-up cell is moved under the title
and collapsed; ``glue`` calls go (their values are already in the text); explorers' stored outputs
(widget views, which show as their text repr without a kernel) become a line saying to run the cell;
consecutive printed outputs are merged and written as single strings (JupyterLab joins a list-valued
stream text with commas when it merges two outputs, the stray comma at the start of printed lines).
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

EDITIONS = ("browser", "student")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
GLUE_PREFIX = "application/papermill.record/"
SETUP_MARK = "notebook.setup()"

_ROLE = re.compile(r"\{([a-z][\w:-]*)\}`([^`]*)`")
_FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|:{3,})\s*\{([\w:-]+)\}\s*(.*?)\s*$")
_TARGET = re.compile(r"^\(([\w-]+)\)=\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_EQ_LABEL = re.compile(r"(\$\$)\s*\(([\w-]+)\)\s*$", re.M)
_ARXIV = re.compile(r"arXiv[:\s]*(\d{4}\.\d{4,5})", re.I)
_TITLES = {"note": "Note", "tip": "Tip", "warning": "Warning", "important": "Important",
           "caution": "Caution", "attention": "Attention", "hint": "Hint", "seealso": "See also",
           "danger": "Danger", "error": "Error"}


# ---------------------------------------------------------------------------------------------
# What the rewriter needs to know about the book: its references, its pages and labels.

@dataclass
class Reference:
    text: str        # "Hoffmann et al., 2022"
    url: str | None  # arXiv or DOI link


def load_references(bib_path: Path) -> dict[str, Reference]:
    """Author-year text and a link for every entry of ``references.bib``."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    def plain(latex: str) -> str:
        return Text.from_latex(latex).render_as("text")

    references = {}
    for key, entry in parse_file(str(bib_path)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [plain(" ".join(p.last_names)) or plain(" ".join(p.first_names)) for p in people
                 if " ".join(p.last_names + p.first_names).lower() != "others"]
        others = any(" ".join(p.last_names).lower() == "others" for p in people)
        if not names:
            who = plain(entry.fields.get("organization", entry.fields.get("institution", key)))
        elif len(names) == 1:
            who = names[0] + (" et al." if others else "")
        elif len(names) == 2 and not others:
            who = f"{names[0]} and {names[1]}"
        else:
            who = f"{names[0]} et al."
        year = entry.fields.get("year", "n.d.")
        references[key] = Reference(f"{who}, {year}", reference_url(entry.fields))
    return references


def reference_url(fields) -> str | None:
    """The paper's DOI or arXiv page from a BibTeX entry's fields, or its ``url``."""
    if fields.get("doi"):
        return "https://doi.org/" + fields["doi"]
    if fields.get("eprint") and fields.get("archiveprefix", "arXiv").lower() == "arxiv":
        return "https://arxiv.org/abs/" + fields["eprint"]
    for name in ("journal", "note", "howpublished", "booktitle"):
        found = _ARXIV.search(fields.get(name, ""))
        if found:
            return "https://arxiv.org/abs/" + found.group(1)
    return fields.get("url") or None


@dataclass
class Book:
    """The book's references, the title of each page, and where each label points."""
    references: dict[str, Reference]
    titles: dict[str, str] = field(default_factory=dict)              # "chinchilla" -> title
    notebooks: set[str] = field(default_factory=set)                  # pages that are notebooks
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (page, text)
    site_url: str | None = None  # where the website's pages are, for links to non-notebook pages


def load_book(root: Path, site_url: str | None = None) -> Book:
    book = Book(load_references(root / "references.bib"), site_url=site_url)
    for path in sorted((root / "chapters").glob("*.ipynb")) + sorted((root / "chapters").glob("*.md")):
        name = path.stem
        if path.suffix == ".ipynb":
            book.notebooks.add(name)
            nb = json.loads(path.read_text(encoding="utf-8"))
            text = "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for i, line in enumerate(lines):
            heading = _HEADING.match(line)
            if heading and name not in book.titles and len(heading.group(1)) == 1:
                book.titles[name] = _strip_roles(heading.group(2))
            target = _TARGET.match(line)
            if target:
                following = next((l for l in lines[i + 1:] if l.strip()), "")
                h = _HEADING.match(following)
                book.labels[target.group(1)] = (name, _strip_roles(h.group(2)) if h else target.group(1))
            if line.strip().startswith(":label:"):
                book.labels[line.split(":label:", 1)[1].strip()] = (name, "the exercise")
    return book


def _strip_roles(text: str) -> str:
    return _ROLE.sub(lambda m: _role_text(m.group(2)), text)


def _role_text(content: str) -> str:
    explicit = re.match(r"^(.*?)\s*<([^>]+)>$", content, re.S)
    return explicit.group(1) if explicit else content


# ---------------------------------------------------------------------------------------------
# Markdown.

class Rewriter:
    def __init__(self, book: Book, edition: str, glue: dict[str, object], page: str):
        if edition not in EDITIONS:
            raise ValueError(f"edition must be one of {EDITIONS}; got {edition!r}")
        self.book, self.edition, self.glue, self.page = book, edition, glue, page
        self.exercises = 0

    # roles ------------------------------------------------------------------------------------
    def role(self, match: re.Match) -> str:
        name, content = match.group(1), match.group(2)
        if name in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts"):
            return self.cite(name, content)
        if name.startswith("glue"):
            return self.glued(content)
        if name == "doc":
            return self.page_link(content)
        if name in ("ref", "numref"):
            return self.ref(content)
        if name == "math":
            return f"${content}$"
        if name == "eq":
            return f"({content})"
        if name == "fa":
            return ""
        return _role_text(content)  # term, abbr, ...: the text

    def cite(self, name: str, content: str) -> str:
        parts = []
        for key in (k.strip() for k in content.split(",")):
            ref = self.book.references.get(key)
            if ref is None:
                raise ValueError(f"{self.page}: citation key {key!r} is not in references.bib")
            parts.append(f"[{ref.text}]({ref.url})" if ref.url else ref.text)
        return "(" + "; ".join(parts) + ")"

    def glued(self, content: str) -> str:
        key, _, spec = content.partition(":")
        if key not in self.glue:
            raise ValueError(f"{self.page}: glued value {key!r} is not among the notebook's stored outputs")
        value = self.glue[key]
        return format(value, spec) if spec else str(value)

    def page_link(self, content: str) -> str:
        text = _role_text(content)
        target = re.match(r"^.*<([^>]+)>$", content)
        page = (target.group(1) if target else content).strip().rsplit("/", 1)[-1]
        title = text if target else self.book.titles.get(page, page)
        return self.link(page, title)

    def link(self, page: str, text: str, anchor: str = "") -> str:
        if page in self.book.notebooks:
            return f"[{text}]({page}.ipynb{anchor})" if page != self.page or anchor else text
        if self.book.site_url:
            return f"[{text}]({self.book.site_url.rstrip('/')}/chapters/{page}.html{anchor})"
        return f"*{text}*"

    def ref(self, content: str) -> str:
        explicit = re.match(r"^(.*?)\s*<([^>]+)>$", content, re.S)
        label = explicit.group(2) if explicit else content
        page, text = self.book.labels.get(label, (self.page, label))
        if explicit:
            text = explicit.group(1)
        return self.link(page, text) if page != self.page else f"*{text}*"

    # blocks -----------------------------------------------------------------------------------
    def markdown(self, text: str) -> str:
        lines = [l for l in text.splitlines() if not _TARGET.match(l)]
        out = self.blocks(lines)
        text = "\n".join(out)
        text = _EQ_LABEL.sub(r"\1", text)
        text = _ROLE.sub(self.role, text)
        return re.sub(r"\n{3,}", "\n\n", text).strip("\n")

    def blocks(self, lines: list[str]) -> list[str]:
        out, i = [], 0
        while i < len(lines):
            opened = _FENCE_OPEN.match(lines[i])
            if not opened:
                out.append(lines[i])
                i += 1
                continue
            indent, fence, name, argument = opened.groups()
            j = i + 1
            while j < len(lines) and not re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[j]):
                j += 1
            body = lines[i + 1:j]
            options = {}
            while body and re.match(r"^\s*:[\w-]+:", body[0]):
                key, _, value = body.pop(0).strip()[1:].partition(":")
                options[key] = value.strip()
            out.extend(self.directive(name, argument, options, body))
            i = j + 1
        return out

    def directive(self, name: str, argument: str, options: dict, body: list[str]) -> list[str]:
        inner = self.blocks(body)
        if name == "exercise":
            self.exercises += 1
            title = f"**Exercise {self.exercises}" + (f": {argument}**" if argument else ".**")
            return ["", title, "", *inner, ""]
        if name == "literalinclude":
            return ["", f"```{options.get('language', 'python')}", *self.include(argument, options), "```", ""]
        if name in ("admonition", "dropdown") or name in _TITLES:
            title = argument or _TITLES.get(name, name.capitalize())
            if name == "dropdown" or "dropdown" in options.get("class", ""):
                return ["", f"<details><summary><b>{_strip_roles(title)}</b></summary>", "", *inner, "", "</details>", ""]
            return ["", *(f"> {l}" if l else ">" for l in [f"**{title}**", "", *inner]), ""]
        if name in ("math",):
            return ["", "$$", *inner, "$$", ""]
        if name in ("code-block", "code"):
            return ["", f"```{argument}", *body, "```", ""]
        return ["", *inner, ""]

    def include(self, argument: str, options: dict) -> list[str]:
        path = (self.book_root / "chapters" / argument).resolve()
        source = path.read_text(encoding="utf-8")
        if "pyobject" in options:
            scope = ast.parse(source).body
            node = None
            for part in options["pyobject"].split("."):
                node = next((n for n in scope if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                             and n.name == part), None)
                if node is None:
                    raise ValueError(f"{self.page}: {options['pyobject']} is not in {argument}")
                scope = node.body
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            lines = source.splitlines()[first - 1:node.end_lineno]
            margin = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
            return [l[margin:] for l in lines]
        return source.splitlines()

    book_root = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------------------------
# Notebooks.

def glued_values(nb) -> dict[str, object]:
    """Every value the notebook glues, read from its stored outputs."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            text = output.get("data", {}).get(meta.get("mime_prefix", GLUE_PREFIX) + "text/plain")
            if text is None:
                continue
            text = "".join(text) if isinstance(text, list) else text
            try:
                values[meta["name"]] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                values[meta["name"]] = text
    return values


def _without_glue(source: str) -> str:
    """The code without its ``glue`` import and top-level ``glue(...)`` calls."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: leave as is
        return source
    lines = source.splitlines()
    drop = set()
    for node in tree.body:
        is_import = isinstance(node, ast.ImportFrom) and node.module == "myst_nb" and [a.name for a in node.names] == ["glue"]
        is_call = (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                   and isinstance(node.value.func, ast.Name) and node.value.func.id == "glue")
        if is_import or is_call:
            drop.update(range(node.lineno - 1, node.end_lineno))
    if not drop:
        return source
    kept = [l for i, l in enumerate(lines) if i not in drop]
    if any(re.search(r"\bglue\b", l) for l in kept):  # a nested call: keep a harmless stand-in
        kept.insert(0, "glue = lambda name, value, display=True: None  # the value is in the text already")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds, names it reads)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    bound, read = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else read).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return bound, read


def _merge_streams(outputs: list) -> list:
    merged = []
    for output in outputs:
        output = copy.deepcopy(output)
        if output.get("output_type") == "stream":
            output["text"] = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
            if merged and merged[-1].get("output_type") == "stream" and merged[-1]["name"] == output["name"]:
                merged[-1]["text"] += output["text"]
                continue
        merged.append(output)
    return merged


def _explorer_note(edition: str) -> dict:
    text = ("An interactive explorer: run the cells above and then this one to open its controls."
            if edition == "student" else
            "An interactive explorer: run this notebook's cells (Run ▸ Run All Cells) to open its controls.")
    return nbformat.v4.new_output("display_data", data={"text/markdown": f"*{text}*", "text/plain": text})


_SOLUTION_START = re.compile(r"^\s*(`{3,}|:{3,})\s*\{solution-start\}.*$", re.M)
_SOLUTION_END = re.compile(r"^\s*(`{3,}|:{3,})\s*\{solution-end\}[^\n]*\n\s*\1\s*$", re.M)
_WORKED_EXAMPLE = re.compile(r"^\s*(`{3,}|:{3,})\s*\{admonition\}[^\n]*worked example", re.I | re.M)


def _split_solutions(cells: list) -> list[tuple[object, bool]]:
    """Each cell paired with whether it belongs to a solution, markdown cells split at the
    solution-start / solution-end fences (which may be in different cells)."""
    pieces, inside = [], False
    for cell in cells:
        if cell.cell_type != "markdown":
            pieces.append((cell, inside))
            continue
        text = cell.source
        while text:
            marker = (_SOLUTION_END if inside else _SOLUTION_START).search(text)
            if marker is None:
                pieces.append((_md_like(cell, text), inside))
                break
            before = text[:marker.start()]
            if before.strip():
                pieces.append((_md_like(cell, before), inside))
            if not inside:  # skip the start fence's block: its options and closing fence
                rest = text[marker.end():]
                close = re.search(rf"^\s*{re.escape(marker.group(1))}\s*$", rest, re.M)
                text = rest[close.end():] if close else rest
            else:
                text = text[marker.end():]
            inside = not inside
    return [(c, s) for c, s in pieces if c.cell_type != "markdown" or c.source.strip()]


def _md_like(cell, text: str):
    new = nbformat.v4.new_markdown_cell(text.strip("\n"))
    new.metadata = copy.deepcopy(cell.metadata)
    return new


def rewrite(nb, book: Book, edition: str, page: str):
    """The ``edition`` copy of chapter ``page`` (its file name without .ipynb): a new notebook."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}; got {edition!r}")
    glue = glued_values(nb)
    writer = Rewriter(book, edition, glue, page)
    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
    out.metadata.pop("widgets", None)
    cells = _split_solutions([copy.deepcopy(c) for c in nb.cells])

    # The student edition drops the capstone's worked examples: a dropdown admonition whose title
    # names a worked example, and the folded code cells that follow it.
    if edition == "student":
        kept, dropping = [], False
        for cell, solution in cells:
            if cell.cell_type == "markdown":
                dropping = bool(_WORKED_EXAMPLE.match(cell.source))
                if dropping:
                    continue
            elif dropping and "hide-cell" in cell.metadata.get("tags", []):
                continue
            else:
                dropping = False
            kept.append((cell, solution))
        cells = [(c, s) for c, s in kept if not s]

    setup, body = None, []
    for cell, solution in cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            cell.source = writer.markdown(cell.source)
            if not cell.source.strip():
                continue
        elif cell.cell_type == "code":
            if SETUP_MARK in cell.source and setup is None:
                cell.outputs, cell.execution_count = [], None
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
                setup = cell
                continue
            cell.source = _without_glue(cell.source)
            outputs = []
            for output in _merge_streams(cell.get("outputs", [])):
                data = output.get("data", {})
                if "scrapbook" in output.get("metadata", {}):
                    continue
                if WIDGET_MIME in data:
                    output = _explorer_note(edition)
                outputs.append(output)
            cell.outputs = [] if "remove-output" in tags else outputs
            hidden = cell.metadata.setdefault("jupyter", {})
            if {"hide-input", "hide-cell", "remove-cell", "remove-input"} & set(tags):
                hidden["source_hidden"] = True
            if {"hide-cell", "hide-output"} & set(tags):
                hidden["outputs_hidden"] = True
            if not hidden:
                cell.metadata.pop("jupyter")
        if solution:  # browser edition only: folded
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            if cell.cell_type == "code":
                cell.metadata["jupyter"]["outputs_hidden"] = True
        body.append((cell, solution))

    # Code cells hidden on the site that only glued values, or whose names nothing later reads,
    # are dropped: their values are in the text.
    final = []
    for index, (cell, solution) in enumerate(body):
        if cell.cell_type == "code" and "remove-cell" in cell.metadata.get("tags", []):
            bound, _ = _names(cell.source)
            later = set().union(*(_names(c.source)[1] for c, _ in body[index + 1:] if c.cell_type == "code"))
            if not cell.source.strip() or not (bound & later):
                continue
        if cell.cell_type == "code" and not cell.source.strip():
            continue
        final.append((cell, solution))

    # Solutions (browser edition): a visible line before each folded run of cells.
    cells_out, previous = [], False
    for cell, solution in final:
        if solution and not previous:
            cells_out.append(nbformat.v4.new_markdown_cell(
                "**Solution** (folded: click the ⋯ below, or the bar at the left of a cell, to open it)"))
        cells_out.append(cell)
        previous = solution

    # The set-up cell goes under the title, collapsed, with a line saying what it is.
    if setup is not None:
        at = next((i + 1 for i, c in enumerate(cells_out) if c.cell_type == "markdown" and c.source.lstrip().startswith("# ")), 0)
        note = nbformat.v4.new_markdown_cell(
            "*The next cell sets up this notebook (it installs or fetches the book's code where needed): "
            "run it first.*")
        cells_out[at:at] = [note, setup]
    out.cells = cells_out
    return out


def write(nb, path: Path) -> None:
    """Write ``nb`` with every multi-line string as one string (see the module's docstring)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    text = nbformat.v4.nbjson.JSONWriter().writes(nb, split_lines=False)
    path.write_text(text + "\n", encoding="utf-8")


def write_edition(root: Path, out_dir: Path, edition: str, site_url: str | None = None,
                  pages: list[str] | None = None) -> list[Path]:
    """Write the ``edition`` copy of every chapter notebook (or of ``pages``) into ``out_dir``."""
    book = load_book(root, site_url)
    written = []
    for source in sorted((root / "chapters").glob("*.ipynb")):
        if pages and source.stem not in pages:
            continue
        nb = nbformat.read(source, as_version=4)
        target = out_dir / source.name
        write(rewrite(nb, book, edition, source.stem), target)
        written.append(target)
    return written
