"""The input contract, for every public callable of scaling_lib.

The promise (README, "Bad input"): a public function given a bad argument raises ``ValueError`` (or
``TypeError`` for a wrong type) whose message names the argument; it never returns a silent NaN or
inf and never lets a raw internal error out (ZeroDivisionError, OverflowError, numpy's broadcasting
or "truth value is ambiguous", a math domain error, a RuntimeWarning turned error).

How it is checked: every public callable (functions, classes' constructors and their public methods,
in every module of the package) has an entry in ``tests/contract_registry.py`` with valid example
arguments. For each argument in turn the fuzz substitutes each of :data:`BAD_VALUES` (and values
derived from the valid one: an empty array, a longer array, a 2-D array, a list, an integer array)
and calls it under a timeout. The call must either return a finite result, or raise ``ValueError`` /
``TypeError`` naming the argument. A NaN or inf in the result is a failure unless the registry entry
declares it (``nonfinite=``) and the callable's docstring documents it.

Run ``python tests/test_contract.py`` to print the totals and every failure.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import inspect
import math
import os
import pkgutil
import re
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contract_registry as registry  # noqa: E402

import scaling_lib  # noqa: E402
from scaling_lib import _checks  # noqa: E402

#: Seconds any one call may take before it counts as a hang.
CALL_TIMEOUT = 5.0

#: Fixed bad values, tried on every argument.
BAD_VALUES = (
    ("0", 0), ("-1", -1), ("nan", math.nan), ("inf", math.inf), ("-inf", -math.inf),
    ("1e308", 1e308), ("1e-308", 1e-308), ("empty array", np.array([])), ("string", "abc"),
    ("None", None), ("True", True),
)


def derived_bad_values(valid) -> list:
    """Bad values made from a valid one: a longer array (a mismatched length), a 2-D array, a list,
    an integer array. Only for numeric valid values (and a list of a string)."""
    if isinstance(valid, str):
        return [("list", [valid])]
    if isinstance(valid, (bool, np.bool_)) or valid is None:
        return []
    try:
        arr = np.asarray(valid)
    except Exception:
        return []
    if arr.dtype.kind not in "iuf" or arr.size == 0:
        return []
    flat = arr.reshape(-1)
    out = [("mismatched length", np.resize(flat, flat.size + 1).astype(arr.dtype)),
           ("2-D", np.stack([arr, arr]) if arr.ndim else np.array([[valid]])),
           ("list", arr.tolist() if arr.ndim else [valid])]
    if np.all(np.abs(arr) < 2.0**53):
        out.append(("integer array", np.atleast_1d(np.rint(arr).astype(np.int64))))
    return out


# ---- discovery ----------------------------------------------------------------------------------

def _modules() -> list:
    mods = [scaling_lib]
    for info in pkgutil.walk_packages(scaling_lib.__path__, "scaling_lib."):
        mods.append(importlib.import_module(info.name))
    return mods


def public_callables() -> dict:
    """``{name: object}`` for every public callable defined in scaling_lib, named by its module
    (without ``scaling_lib.``) and qualified name: ``compute.training_flops``,
    ``power_laws.PowerLawFit`` (the constructor), ``power_laws.PowerLawFit.predict``.

    A name is public if neither it nor any part of its module's path starts with an underscore
    (``_checks`` is the library's own machinery; its warning and error classes are exported from
    ``scaling_lib`` itself). Re-exports and aliases are counted once, where defined."""
    found, seen = {}, set()
    for module in _modules():
        short = module.__name__.removeprefix("scaling_lib").lstrip(".")
        if any(part.startswith("_") for part in short.split(".") if part):
            continue
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if not callable(obj) or id(obj) in seen:
                continue
            seen.add(id(obj))
            key = f"{short}.{name}" if short else name
            found[key] = obj
            if inspect.isclass(obj):
                for mname, member in vars(obj).items():
                    if mname.startswith("_"):
                        continue
                    if isinstance(member, (staticmethod, classmethod)) or inspect.isfunction(member):
                        found[f"{key}.{mname}"] = getattr(obj, mname)
    return found


# ---- one call ------------------------------------------------------------------------------------

class CallTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CallTimeout


def _nonfinite(obj, seen_types: set, depth: int = 0):
    """Describe the first NaN or inf in ``obj`` (numbers, arrays, containers, dataclasses' public
    fields, text), or return None. Records the types of dataclasses met in ``seen_types``."""
    if depth > 6:
        return None
    if isinstance(obj, (bool, np.bool_, int, np.integer)):
        return None
    if isinstance(obj, (float, np.floating)):
        return None if math.isfinite(obj) else repr(float(obj))
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc" and not np.all(np.isfinite(obj)):
            kinds = " and ".join(k for k, m in (("nan", np.isnan(obj)), ("inf", np.isinf(obj))) if m.any())
            return f"array with {np.count_nonzero(~np.isfinite(obj))} {kinds} value(s)"
        if obj.dtype.kind == "O":
            for item in obj.reshape(-1)[:1000]:
                found = _nonfinite(item, seen_types, depth + 1)
                if found:
                    return found
        return None
    if isinstance(obj, str):
        m = re.search(r"(?<![A-Za-z])[-+]?(nan|inf)(?![A-Za-z])", obj)
        return f"text {obj[max(0, m.start() - 30):m.end() + 10]!r}" if m else None
    if isinstance(obj, dict):
        items = list(obj.values())
    elif isinstance(obj, (list, tuple)):
        items = list(obj)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        seen_types.add(type(obj))
        items = [getattr(obj, f.name) for f in dataclasses.fields(obj) if not f.name.startswith("_")]
    else:
        return None
    for item in items[:10000]:
        found = _nonfinite(item, seen_types, depth + 1)
        if found:
            return found
    return None


def _names(arg: str, message: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(arg)}(?![A-Za-z0-9_])", message) is not None


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise :class:`CallTimeout` in the block after ``seconds`` (SIGALRM: in the main thread only;
    in another thread, as under some test runners, the block runs untimed)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call(entry: registry.Case, target, kwargs: dict, seen_types: set):
    """Run one call; return ``(result kind, detail, result)``: ``("returned", description of a
    non-finite value or None, result)``, ``("raised", exception, None)``, ``("timeout", None, None)``."""
    try:
        with _time_limit(entry.timeout or CALL_TIMEOUT), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # as the suite's pytest configuration does: numpy's overflow and invalid-value warnings
            # in scaling_lib's own code are errors (matplotlib's, drawing odd values, are not)
            warnings.filterwarnings("error", category=RuntimeWarning, module="scaling_lib")
            with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"):
                func = target() if entry.method else target
                if entry.method:
                    seen_types.add(type(func.__self__))  # a library-made instance of its class
                out = func(**kwargs)
        found = _nonfinite(out, seen_types)
        if entry.quotes_input and found and found.startswith("text"):
            found = None  # the text quotes the input back (feedback on an answer)
        return "returned", found, out
    except CallTimeout:
        return "timeout", None, None
    except Exception as exc:  # noqa: BLE001 - every escape is classified
        return "raised", exc, None
    finally:
        if entry.teardown is not None:
            entry.teardown()


def _allowed_nonfinite(entry: registry.Case, description: str) -> bool:
    kinds = {k for k in ("nan", "inf") if k in description.lower()}
    return bool(kinds) and kinds <= set(entry.nonfinite)


def _target(name: str, obj, entry: registry.Case):
    """What to call: the function or class itself, or for a method a factory of the bound method."""
    if entry.method:
        method = name.rsplit(".", 1)[1]
        return lambda: getattr(entry.instance(), method)
    return obj


def _stopped(entry: registry.Case, kind: str, detail) -> bool:
    """Whether a call ended at the example's designated last check (see ``Case.final_error``)."""
    return (bool(entry.final_error) and kind == "raised" and isinstance(detail, ValueError)
            and entry.final_error in str(detail))


def fuzz_one(name: str, obj, entry: registry.Case, seen_types: set) -> dict:
    """Fuzz one callable; return its tally and failures."""
    target = _target(name, obj, entry)
    valid_args = {k: v.get() if isinstance(v, registry.Lazy) else v for k, v in entry.args.items()}
    failures, calls = [], 0
    if entry.run_valid:
        kind, detail, _ = call(entry, target, dict(valid_args), seen_types)
        if entry.final_error:
            if not _stopped(entry, kind, detail):
                failures.append(f"{name}(valid example): should stop at {entry.final_error!r}; {kind} {detail}")
        elif kind != "returned" or (detail and not _allowed_nonfinite(entry, detail)):
            failures.append(f"{name}(valid example): {kind} {type(detail).__name__ if kind == 'raised' else ''}"
                            f" {detail}")
    for arg, valid in valid_args.items():
        skipped = entry.skip_values.get(arg, ())
        for label, bad in BAD_VALUES + tuple(derived_bad_values(valid)):
            if label in skipped:
                continue
            calls += 1
            kind, detail, _ = call(entry, target, {**valid_args, arg: bad}, seen_types)
            where = f"{name}({arg}={label})"
            if kind == "timeout":
                failures.append(f"{where}: no answer within {entry.timeout or CALL_TIMEOUT} s")
            elif kind == "returned":
                if detail and not _allowed_nonfinite(entry, detail):
                    failures.append(f"{where}: returned {detail}")
            elif _stopped(entry, kind, detail):
                pass  # the bad value is legal here and the call went on to the example's last check
            elif isinstance(detail, (ValueError, TypeError)) and not isinstance(detail, Warning):
                if not _names(arg, str(detail)):
                    failures.append(f"{where}: {type(detail).__name__} not naming {arg!r}: {str(detail)[:200]}")
            else:
                failures.append(f"{where}: {type(detail).__name__}: {str(detail)[:150]}")
    return {"calls": calls, "failures": failures}


def run_fuzz(prefixes: tuple = ()) -> dict:
    """Fuzz every registered callable (or those whose names start with one of ``prefixes``); return
    the totals, the failures and the record types seen.

    With one BLAS thread: every problem here is tiny, and BLAS threads only wait on each other
    (scipy's L-BFGS-B on 20 runs takes ten times longer with two threads on a busy machine)."""
    from threadpoolctl import threadpool_limits

    public_callables()  # imports every module first: the limit applies to the BLAS libraries loaded
    with threadpool_limits(limits=1, user_api="blas"):
        return _run_fuzz(prefixes)


def _run_fuzz(prefixes: tuple) -> dict:
    start, cpu = time.perf_counter(), time.process_time()
    found = public_callables()
    if prefixes:
        found = {k: v for k, v in found.items() if k.startswith(tuple(prefixes))}
    seen_types: set = set()
    failures, calls, covered, timings = [], 0, 0, {}
    for name, obj in found.items():
        entry = registry.ENTRIES.get(name)
        if entry is None or isinstance(entry, registry.Record):
            continue
        covered += 1
        began = time.process_time()
        tally = fuzz_one(name, obj, entry, seen_types)
        timings[name] = time.process_time() - began
        calls += tally["calls"]
        failures += tally["failures"]
    return {"callables": len(found), "fuzzed": covered, "calls": calls, "failures": failures,
            "seen_types": seen_types, "seconds": time.perf_counter() - start, "timings": timings,
            "cpu_seconds": time.process_time() - cpu}


def summary(totals: dict) -> str:
    records = totals["callables"] - totals["fuzzed"]
    return (f"contract fuzz: {totals['callables']} public callables ({totals['fuzzed']} fuzzed, {records} "
            f"result records' constructors exempt), {totals['calls']} bad calls, "
            f"{len(totals['failures'])} failures, {totals['seconds']:.1f} s ({totals['cpu_seconds']:.1f} s of CPU)")


# ---- the tests -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def totals(tmp_path_factory):
    # Some callables write files (a table's path is an argument, and "abc" is a valid path): the fuzz
    # runs in a folder of its own so that nothing it writes lands in the checkout.
    here = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("fuzz"))
    try:
        out = run_fuzz()
    finally:
        os.chdir(here)
    print("\n" + summary(out))
    return out


def test_every_public_callable_has_a_registry_entry():
    missing = sorted(set(public_callables()) - set(registry.ENTRIES))
    assert not missing, ("public callables without an entry in tests/contract_registry.py (add valid "
                         "example arguments for each): " + ", ".join(missing))


def test_the_registry_names_only_public_callables():
    stale = sorted(set(registry.ENTRIES) - set(public_callables()))
    assert not stale, "entries of tests/contract_registry.py that name no public callable: " + ", ".join(stale)


def test_registry_entries_name_real_arguments():
    found = public_callables()
    wrong = []
    for name, entry in registry.ENTRIES.items():
        if name not in found or isinstance(entry, registry.Record):
            continue
        try:
            params = inspect.signature(found[name]).parameters
        except (TypeError, ValueError):
            continue
        if any(p.kind is p.VAR_KEYWORD for p in params.values()):
            continue
        wrong += [f"{name}: {arg}" for arg in entry.args if arg not in params]
    assert not wrong, "registry arguments the callables do not take: " + ", ".join(wrong)


def test_bad_arguments_keep_the_contract(totals):
    failures = totals["failures"]
    assert not failures, f"{len(failures)} calls break the contract:\n" + "\n".join(failures)


def test_declared_infinities_are_documented():
    found = public_callables()
    undocumented = []
    for name, entry in registry.ENTRIES.items():
        if isinstance(entry, registry.Record) or not entry.nonfinite or name not in found:
            continue
        doc = inspect.getdoc(found[name]) or ""
        words = {"inf": r"\binf\b|infinit", "nan": r"\bnan\b"}
        if not all(re.search(words[k], doc, re.IGNORECASE) for k in entry.nonfinite):
            undocumented.append(f"{name} ({', '.join(entry.nonfinite)})")
    assert not undocumented, "non-finite results the docstrings do not mention: " + ", ".join(undocumented)


def test_exempt_constructors_are_result_records_the_library_makes(totals):
    found = public_callables()
    constants = {type(v) for m in _modules() for v in vars(m).values()}
    wrong = []
    for name, entry in registry.ENTRIES.items():
        if not isinstance(entry, registry.Record) or name not in found:
            continue
        cls = found[name]
        if not (inspect.isclass(cls) and dataclasses.is_dataclass(cls)):
            wrong.append(f"{name} is not a dataclass")
        elif cls not in totals["seen_types"] and cls not in constants:
            wrong.append(f"{name}: no registered call returns one and no module constant is one")
    assert not wrong, "constructors exempt as result records that are not: " + "; ".join(wrong)


def test_unidentified_fit_warning_is_public():
    assert issubclass(_checks.UnidentifiedFitWarning, UserWarning)
    assert issubclass(_checks.ArgumentTypeError, TypeError) and issubclass(_checks.ArgumentTypeError, ValueError)


if __name__ == "__main__":
    result = run_fuzz(tuple(sys.argv[1:]))
    for line in result["failures"]:
        print(line)
    missing = sorted(set(public_callables()) - set(registry.ENTRIES))
    if missing:
        print("unregistered:", ", ".join(missing))
    slowest = sorted(result["timings"].items(), key=lambda kv: -kv[1])[:12]
    print("most CPU:", ", ".join(f"{k} {v:.1f} s" for k, v in slowest))
    print(summary(result))


# ---- the issue's reproducers, one per root cause -------------------------------------------------

def _reproducers():
    from scaling_lib import (chinchilla, compute, exercises, footprint, inference_aware, kaplan,
                             parameter_counts, power_laws, quanta)
    from scaling_lib.experiment import analysis, language, sweep

    law = chinchilla.HOFFMANN_2022
    return [
        # 1. choice-valued arguments given an array or a list
        (lambda: kaplan.loss_nd(1e9, 1e10, fit=np.array([1.0, 2.0])), "fit"),
        (lambda: exercises.check(["power_laws.halve"], 7.7), "exercise"),
        # 2. mismatched lengths named before numpy broadcasts
        (lambda: compute.training_flops(np.ones(5), np.ones(6)), "n_params"),
        (lambda: chinchilla.loss(np.ones(5), np.ones(6)), "n_tokens"),
        # 3. overflow to inf
        (lambda: compute.training_flops(1e308, 1e308), "n_params"),
        (lambda: compute.gpu_hours(1e20, 1e-308, 0.5), "peak_flops_per_second"),
        (lambda: kaplan.loss_n(1e-308), "n_params"),
        (lambda: footprint.energy_kwh(1e308, watts_per_accelerator=700.0), "accelerator_hours"),
        # 4. silent NaN
        (lambda: quanta.quanta_loss([0, 10], alpha=1e308, n_quanta=1000), "alpha"),
        (lambda: kaplan.frontier_contradiction(D_c=1e-308), "D_c"),
        # 5. noise without an upper bound
        (lambda: power_laws.simulate_power_law([1.0, 2.0], 1.0, 0.5, noise=1e308), "noise"),
        # 6. counts without an upper bound
        (lambda: quanta.quanta_frequencies(1e308, 0.5), "n_quanta"),
        (lambda: chinchilla.bootstrap_allocation(2, [1e8] * 9, [1e18] * 9, [3.0] * 9, n_resamples=1e308),
         "n_resamples"),
        # 7. wrong exception types
        (lambda: power_laws.scale_for_reduction(1e-308, 2.0), "alpha"),
        (lambda: kaplan.frontier_contradiction(D_c=1e308), "D_c"),
        (lambda: sweep.training_settings(0), "width"),
        # 8. objects not type-checked
        (lambda: analysis.seed_spread(None), "sweep"),
        # 9. the caller's argument, not an inner variable
        (lambda: compute.build_or_buy(1e9, 1e10, 1e12, api_dollars_per_million_tokens=1.0,
                                      peak_flops_per_second=1e15, training_utilization=0,
                                      serving_utilization=0.5, dollars_per_gpu_hour=2.0), "training_utilization"),
        (lambda: inference_aware.overtraining(1e-308, 2e12), "n_params"),
        # 10. raw internal errors
        (lambda: inference_aware.lifetime_optimum(1e308, 1e12), "target_loss"),
        (lambda: inference_aware.size_fraction_for_overhead(1e308), "overhead"),
        (lambda: parameter_counts.compare_counting([768.0, 1e6, 1.5e9]), "n_non_embedding_range"),
        # 11. no validation at all
        (lambda: sweep.RunSpec(language_seed=float("nan"), budget=1e9, width=8, seed=0), "language_seed"),
        (lambda: sweep.RunSpec(0, "abc", 8, 0), "budget"),
        (lambda: sweep.RunSpec(0, 1e9, None, 0), "width"),
        (lambda: sweep.RunSpec(0, 1e9, 8, -1.5), "seed"),
        (lambda: sweep.RunSpec(0, 1e9, 8, 0, variant=3), "variant"),
        (lambda: sweep.training_settings(float("nan")), "width"),
        # 12. the cache before validation
        (lambda: language.build_language([0]), "seed"),
        # 13. booleans are not numbers
        (lambda: chinchilla.loss(True, True, law), "n_params"),
    ]


@pytest.mark.parametrize("case", range(len(_reproducers())))
def test_each_reproducer_of_the_issue_raises_naming_its_argument(case):
    call_, argument = _reproducers()[case]
    with pytest.raises((ValueError, TypeError)) as info:
        call_()
    assert _names(argument, str(info.value)), str(info.value)


def test_population_loss_without_a_held_out_sample_says_none():
    # 14. no held-out sample, no held-out estimate: None, not NaN
    lang = registry._language()
    exact, held = registry._model().population_loss(lang)
    assert held is None and np.isfinite(exact)
    exact2, held2 = registry._model().population_loss(lang, registry._heldout())
    assert exact2 == exact and np.isfinite(held2)
