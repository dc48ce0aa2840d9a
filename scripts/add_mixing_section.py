"""Add the data-mixing section (Ye et al. 2024) to chapters/after_chinchilla.ipynb, idempotently.

The chapter is edited by more than one person at once, so this section is kept as a script instead
of a hand-edited notebook: run it after merging, then re-execute the chapter::

    .venv/bin/python scripts/add_mixing_section.py [chapters/after_chinchilla.ipynb]
    .venv/bin/python scripts/execute_notebooks.py chapters/after_chinchilla.ipynb

What it does (each step is skipped, or its cells refreshed, when it was done before; cells are found
by their ids, which all start with ``mixing-``, and by their text, never by position):

* drops the distillation section's closing paragraph on data mixtures, which said that the book
  computes nothing from a data-mixing law, and moves its Llama 3 sentence into the new section;
* inserts the section (prose, the fit, the optimum, a figure with its code hidden, the method's
  source in a dropdown) right after the distillation section's last cell;
* inserts the section's exercise at the end of the chapter's exercises, before the summary;
* adds a line to the chapter's list of aims and a bullet to its summary.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "chapters" / "after_chinchilla.ipynb"

OLD_PARAGRAPH_START = "**Data mixtures.**"

AIM = "* fit a data-mixing law to a few small runs and choose a training mixture from it;"
AIM_AFTER = "* compute effective parameters at low training precision"

SUMMARY_BULLET = (
    "* Ye et al.'s data-mixing law predicts each domain's loss as $c_i + k_i \\exp(\\sum_j t_{ij} r_j)$\n"
    "  in the mixture $r$; fitted on a few small runs it forecasts unseen mixtures, and because every\n"
    "  term is convex the best mixture for a target is one well-defined point of the simplex.")
SUMMARY_BEFORE = "* On 148 public models"

FIGURE_METADATA = {"mystnb": {
    "figure": {"name": "fig-after-mixing",
               "caption": "An illustrative data-mixing law over three domains (stated, not fitted to a corpus): "
                          "left, the loss of a validation set of 45 % web, 25 % code and 30 % books over all "
                          "mixtures, with the 20 simulated training mixtures, the true optimum and the fitted "
                          "law's choice; right, the fitted law's forecasts for 30 mixtures it never saw."},
    "image": {"alt": "Left: a triangle whose corners are all web, all code and all books, shaded by the weighted "
                     "loss, lowest in a pale region left of the centre where a star (the true optimum) sits inside "
                     "a ring (the fitted law's choice); dots mark the training mixtures spread over the triangle. "
                     "Right: forecast against measured loss for held-out mixtures, web, code and books points all "
                     "on the diagonal from 0.6 to 1.9 nats per token."}}}

SECTION = [
    ("markdown", "mixing-01", [], r"""(after-chinchilla-mixing)=
### Data mixtures

Pretraining text comes from several domains (web pages, code, books, papers), and the proportions in
which they are mixed change what the model learns. Ye et al. found a {term}`data-mixing law`: for a
model of one size trained for one number of steps, the loss on each validation domain $i$ is
predictable from the training proportions $r_1, \dots, r_M$ ($r_j \ge 0$, $\sum_j r_j = 1$) {cite}`ye2024datamixing`:

$$
L_i(r) = c_i + k_i \exp\Big(\sum_{j=1}^{M} t_{ij}\, r_j\Big).
$$

$c_i$ is the part of the loss that no mixture removes, and $t_{ij} < 0$ means that training on
domain $j$ lowers the loss on domain $i$. Fitted on a few small runs, the law forecasts mixtures
never trained, so the best one can be picked before the expensive run. Chained with scaling laws in
training steps and model size, their pipeline chose the mixture of a 1-billion-parameter model
trained on 100 billion tokens of RedPajama, which then did as well as the default mixture trained
for 48 % more steps ({cite}`ye2024datamixing`, abstract). The Llama 3 report says it used "a similar
method" to its downstream forecasts to select its pretraining data mix
({cite}`grattafiori2024llama3`, Sec. 3.2.1).

One thing no data can tell apart: the proportions sum to one, so adding the same number to every
$t_{ij}$ of a row and dividing $k_i$ by its exponential leaves every $L_i$ unchanged. `scaling_lib.mixing`
removes that freedom by making each row of $t$ sum to zero, which makes $k_i$ the reducible loss at
the uniform mixture. The book found no table of the paper's fitted constants it could check, so the
law below is illustrative, stated rather than fitted to any corpus: three domains, twenty small runs
simulated from it with 0.3 % scatter (seeded), and the law fitted back from them."""),
    ("code", "mixing-02", [], """from scaling_lib import mixing
from scaling_lib import exercises_mixing  # registers this section's exercise

truth = mixing.MixingLaw(
    c=[1.2, 0.6, 1.0], k=[0.5, 0.4, 0.45], domains=("web", "code", "books"),
    t=[[-2.0, 0.3, -0.5], [0.3, -3.0, 0.4], [-0.5, 0.3, -2.5]])
runs, run_losses = mixing.simulate_mixtures(truth, 20, noise=0.003, seed=0)
mix_fit = mixing.fit_mixing_law(runs, run_losses, domains=truth.domains)
mix_fit"""),
    ("code", "mixing-03", ["hide-cell"], """normal = truth.normalized()
glue("ac_mix_t_err", f"{np.max(np.abs(mix_fit.law.t - normal.t)):.2f}", display=False)
glue("ac_mix_c_err", f"{np.max(np.abs(mix_fit.law.c - normal.c)):.3f}", display=False)
glue("ac_mix_runs", f"{mix_fit.n_mixtures}", display=False)"""),
    ("markdown", "mixing-04", [], r"""From {glue:text}`ac_mix_runs` runs the fit recovers the stated law to within
{glue:text}`ac_mix_c_err` nats in every $c_i$ and {glue:text}`ac_mix_t_err` in every normalised
$t_{ij}$. The test of a mixing law is the mixtures it has not seen, and the mixture it recommends.
Take a validation set of 45 % web, 25 % code and 30 % books: the loss to minimise is
$\sum_i s_i L_i(r)$ with those shares $s_i$. Each $L_i$ is a constant plus the exponential of a
linear function of $r$, so it is convex, and so is the weighted sum: over the simplex of mixtures
there is one minimum, which `mixing.optimal_mixture` finds. The table compares the fitted law's
choice with the true optimum and with the uniform mixture, each scored by the true law:"""),
    ("markdown", "mixing-05", [], """:::{dropdown} The method's source: `mixing.optimal_mixture`
```{literalinclude} ../scaling_lib/mixing.py
:pyobject: optimal_mixture
```
:::"""),
    ("code", "mixing-06", [], """weights = [0.45, 0.25, 0.30]  # validation set: web, code, books
best = mixing.optimal_mixture(truth, weights)
chosen = mixing.optimal_mixture(mix_fit.law, weights)
uniform = np.full(3, 1 / 3)
print(f"{'mixture':20s} {'web':>5s} {'code':>5s} {'books':>5s} {'true loss':>9s}")
for name, mix in (("true optimum", best.proportions),
                  ("fitted law's choice", chosen.proportions),
                  ("uniform", uniform)):
    shares = " ".join(f"{share:5.2f}" for share in mix)
    print(f"{name:20s} {shares} {truth.total_loss(mix, weights):9.4f}")"""),
    ("code", "mixing-07", ["hide-cell"], """held_out, measured = mixing.simulate_mixtures(truth, 30, noise=0.003,
                                              seed=1)
forecast = np.asarray(mix_fit.predict(held_out))
miss = np.abs(forecast / measured - 1)
regret = truth.total_loss(chosen.proportions, weights) - best.loss
gain = truth.total_loss(uniform, weights) - best.loss
glue("ac_mix_miss", f"{100 * np.median(miss):.2f}", display=False)
glue("ac_mix_miss_max", f"{100 * miss.max():.1f}", display=False)
glue("ac_mix_regret", f"{regret:.1e}", display=False)
glue("ac_mix_gain", f"{gain:.4f}", display=False)"""),
    ("code", "mixing-08", ["hide-input", FIGURE_METADATA], """figures.mixing_figure(truth, weights, runs,
                      {"true optimum": best.proportions,
                       "fitted law's choice": chosen.proportions},
                      held_out, measured, forecast)"""),
    ("markdown", "mixing-09", [], r"""On 30 mixtures it never saw, the fitted law's forecasts miss the measured losses by
{glue:text}`ac_mix_miss` % in the median, close to the 0.3 % scatter of the simulated runs, and
{glue:text}`ac_mix_miss_max` % at worst. Its recommended mixture costs {glue:text}`ac_mix_regret` nats
more than the true optimum, against the {glue:text}`ac_mix_gain` nats that the optimum saves over
the uniform mixture: the valley is flat near its floor, so a slightly wrong law still picks a good
mixture. That is the good case, for three reasons. The law
belongs to one model size and one number of steps, so a mixture chosen on small runs must be carried
to the large one through other scaling laws, as their pipeline does; with $M$ domains each validation
domain has $M + 1$ constants, so the runs needed grow with the number of domains; and the convexity
is a property of the form, which a real loss surface need not share."""),
]

EXERCISE = [
    ("markdown", "mixing-ex-01", [], r"""```{exercise}
:label: after-ex-mixing

Two domains, web and code, with losses on them
$L_\text{web} = 1.2 + 0.5\,e^{-2.0\,r_\text{web} + 0.3\,r_\text{code}}$ and
$L_\text{code} = 0.6 + 0.4\,e^{0.3\,r_\text{web} - 3.0\,r_\text{code}}$
(`exercises_mixing.EXERCISE_LAW`). A validation set is 70 % web and 30 % code. With $x$ the share of
code in training, find the $x$ that minimises $0.7\,L_\text{web} + 0.3\,L_\text{code}$ by setting the
derivative to zero, and check it with
`exercises.check("after_chinchilla.mixing_code_share", answer)`.
```"""),
    ("code", "mixing-ex-02", [], """exercises.check("after_chinchilla.mixing_code_share", answer=None)  # replace None"""),
    ("markdown", "mixing-ex-03", [], r"""```{solution-start} after-ex-mixing
:class: dropdown
```

With $r_\text{web} = 1 - x$, each loss is $c_i + k_i e^{t_{i1}} e^{b_i x}$ with
$b_i = t_{i2} - t_{i1}$: $b_\text{web} = 2.3$, $b_\text{code} = -3.3$. The derivative
$0.7\,k_1 e^{t_{11}} b_1 e^{b_1 x} + 0.3\,k_2 e^{t_{21}} b_2 e^{b_2 x}$ vanishes at
$x = \ln\!\big(-0.3\,k_2 e^{t_{21}} b_2 / (0.7\,k_1 e^{t_{11}} b_1)\big) / (b_1 - b_2)$:"""),
    ("code", "mixing-ex-04", [], """law_2 = exercises_mixing.EXERCISE_LAW
(t11, t12), (t21, t22) = law_2.t
b1, b2 = t12 - t11, t22 - t21
x_best = np.log(-0.3 * law_2.k[1] * np.exp(t21) * b2
                / (0.7 * law_2.k[0] * np.exp(t11) * b1)) / (b1 - b2)
searched = mixing.optimal_mixture(law_2, [0.7, 0.3]).proportions[1]
print(f"closed form x = {x_best:.4f}; optimal_mixture: {searched:.4f}")"""),
    ("markdown", "mixing-ex-05", [], r"""Code helps its own domain steeply and hurts web a little, so a validation set that is mostly web
still wants a minority of code, not none.

```{solution-end}
```"""),
]


def _metadata(tags) -> dict:
    """A cell's metadata from its spec: tag strings, and dicts merged in as they are."""
    metadata = {}
    names = [t for t in tags if isinstance(t, str)]
    for extra in (t for t in tags if isinstance(t, dict)):
        metadata.update(extra)
    if names:
        metadata["tags"] = names
    return metadata


def _cell(kind, cell_id, tags, source):
    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source)
    cell.id = cell_id
    cell.metadata.update(_metadata(tags))
    return cell


def _refresh(nb, specs) -> bool:
    """Update cells already inserted (by id); True if all of ``specs`` were there."""
    by_id = {c.get("id"): c for c in nb.cells}
    if not all(cell_id in by_id for _, cell_id, _, _ in specs):
        return False
    for kind, cell_id, tags, source in specs:
        cell = by_id[cell_id]
        if cell.source != source:
            cell.source = source
            if kind == "code":
                cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("tags", None)
        cell.metadata.update(_metadata(tags))
    return True


def _index(nb, predicate, what: str) -> int:
    found = [i for i, c in enumerate(nb.cells) if predicate(c)]
    if not found:
        raise SystemExit(f"add_mixing_section: cannot find {what} in the notebook")
    return found


def add_section(nb) -> list:
    """Apply every step to ``nb`` in place; return what was changed."""
    done = []
    # 1. the old closing paragraph of the distillation section
    for cell in nb.cells:
        if cell.cell_type == "markdown" and OLD_PARAGRAPH_START in cell.source:
            cell.source = cell.source[:cell.source.index(OLD_PARAGRAPH_START)].rstrip() + "\n"
            done.append("dropped the old data-mixtures paragraph")
    # 2. the section, after the distillation section's last cell
    if not _refresh(nb, SECTION):
        start = _index(nb, lambda c: c.cell_type == "markdown" and c.source.lstrip().startswith(
            "## Distillation"), "the distillation section")[0]
        following = [i for i, c in enumerate(nb.cells) if i > start and c.cell_type == "markdown"
                     and re.match(r"\s*(\([\w-]+\)=\s*\n)?## ", c.source)]
        at = following[0] if following else len(nb.cells)
        nb.cells[at:at] = [_cell(*spec) for spec in SECTION]
        done.append(f"inserted the section at cell {at}")
    # 3. the exercise, before the summary
    if not _refresh(nb, EXERCISE):
        holder = _index(nb, lambda c: c.cell_type == "markdown" and "\n## Summary" in "\n" + c.source,
                        "the summary")[-1]
        cell = nb.cells[holder]
        head, tail = ("\n" + cell.source).split("\n## Summary", 1)
        head = head[1:]
        summary = _cell("markdown", "mixing-summary", [], "## Summary" + tail)
        cells = [_cell(*spec) for spec in EXERCISE]
        if head.strip():
            cell.source = head.rstrip() + "\n"
            nb.cells[holder + 1:holder + 1] = cells + [summary]
        else:  # the summary had a cell of its own
            nb.cells[holder:holder] = cells
        done.append("inserted the exercise before the summary")
    # 4. the aims and the summary
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if AIM_AFTER in cell.source and AIM not in cell.source:
            lines = cell.source.split("\n")
            i = next(n for n, line in enumerate(lines) if line.startswith(AIM_AFTER))
            j = i + 1
            while j < len(lines) and lines[j].startswith("  "):
                j += 1
            lines[j:j] = [AIM]
            cell.source = "\n".join(lines)
            done.append("added the aim")
        if "## Summary" in cell.source and SUMMARY_BULLET not in cell.source:
            if SUMMARY_BEFORE in cell.source:
                cell.source = cell.source.replace(SUMMARY_BEFORE, SUMMARY_BULLET + "\n" + SUMMARY_BEFORE, 1)
            else:
                cell.source = cell.source.rstrip() + "\n" + SUMMARY_BULLET
            done.append("added the summary bullet")
    return done


def main(argv) -> int:
    path = Path(argv[1]) if len(argv) > 1 else NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    done = add_section(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"{path}: " + ("; ".join(done) if done else "already up to date"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
