"""One BLAS thread for the experiment's computations.

Threads split a matrix product's sums differently from one thread, and the last-bit differences
they make in the language's tables, or in a model's updates, grow over thousands of training steps
to about 1e-3 nats. Building a language and training a model therefore run with one BLAS thread,
so that their results depend only on their arguments and on the machine's arithmetic, not on how
many cores it has. (The sweep gets its parallelism from worker processes instead.)
"""

from __future__ import annotations

import contextlib
import sys


def one_blas_thread():
    """A context in which BLAS uses one thread (nothing to do in WebAssembly, which has none)."""
    if sys.platform == "emscripten":
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
