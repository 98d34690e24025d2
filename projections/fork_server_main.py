"""What verify's fork server imports first (`projections.parallel_hashing._context`): a stand-in
for the caller's main script, so that the workers it forks do not run that script again.

A worker forked by a fork server first makes its `__main__` the caller's: it runs the script
(as `__mp_main__`) unless the server's `__main__` already has that file. Preloading
`"__main__"` was meant to do that once in the server, but Python 3.11's server never does it
(it looks for the script's path under a key the preparation data no longer has: CPython
gh-126631, gh-137996), so each worker ran the script again on every `verify`, ~0.5 s of CPU
for `pact-ledger`'s imports. Running it in the server instead would run the caller's code
there, with the server's `sys.argv`. The workers need nothing from it (their function and
arguments live in `projections` and `ledger`), so the server's `__main__` becomes an empty
module that names the script's file (`MAIN_PATH`, set by `_start_fork_server`): nothing of
the caller's runs in the server or its workers. A process's fork server forks only verify's
workers here; a target defined in a main script would not be found in them.
"""

from __future__ import annotations

import os
import sys
import types

#: The caller's main script, as `multiprocessing.spawn` names it to the workers.
MAIN_PATH = "PACT_LEDGER_FORK_SERVER_MAIN"


def stand_in(path: str) -> None:
    """`__main__` an empty module with `path` as its file: a worker's `_fixup_main_from_path`
    then finds its main module in place."""
    main = types.ModuleType("__mp_main__")
    main.__file__ = path
    sys.modules["__main__"] = sys.modules["__mp_main__"] = main


# In the fork server only (started as `python -c`, with the variable set for it).
if os.environ.get(MAIN_PATH) and "multiprocessing.forkserver" in sys.modules and \
        getattr(sys.modules["__main__"], "__file__", None) is None:
    stand_in(os.environ[MAIN_PATH])
