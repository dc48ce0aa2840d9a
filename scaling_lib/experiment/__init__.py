"""The book's own scaling experiment, in numpy and scipy: ``markov`` (a Markov chain's exact facts and
its sampler), ``exact`` (arithmetic with the same bits on every CPU), ``language`` (the synthetic
language built on them), ``model`` (the network), ``training`` (Adam and its schedule), ``sweep`` (the
runs, on several cores, and the tables they make), ``analysis`` (the committed tables, fitted and
checked), ``schedules`` and ``schedule_runs`` (warmup-stable-decay schedules and their runs)."""
