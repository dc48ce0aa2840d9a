"""The book's own scaling experiment, in numpy and scipy: ``language`` (the synthetic language and its
exact facts), ``model`` (the network), ``training`` (Adam and its schedule), ``sweep`` (the runs, on
several cores, and the tables they make) and ``analysis`` (the committed tables, fitted and checked);
``schedules`` and ``schedule_runs`` (warmup-stable-decay schedules and their runs)."""
