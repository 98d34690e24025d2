"""What verify's fork server imports first (`projections.parallel_hashing._context`): a stand-in
for the caller's main script, so that the workers it forks do not run that script again.

A worker forked by a fork server first makes its `__main__` the caller's: it runs the script
(as `__mp_main__`) unless the server's `__main__` already has that file (or, for `python -m`,
that module name). Preloading `"__main__"` was meant to do that once in the server, but Python
3.11's server never does it (it looks for the script's path under a key the preparation data
no longer has: CPython gh-126631, gh-137996), so each worker ran the script again on every
`verify`, ~0.5 s of CPU for `pact-ledger`'s imports. Running it in the server instead would
run the caller's code there, with the server's `sys.argv`. The workers need nothing from it
(their function and arguments live in `projections` and `ledger`), so the server's `__main__`
becomes an empty module that names the script's file or module (`MAIN_PATH`, `MAIN_NAME`, set
by `_start_fork_server`): nothing of the caller's runs in the server or its workers. A
process's fork server forks only verify's workers here; a target defined in a main script would
not be found in them.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
import types

#: The caller's main script, as `multiprocessing.spawn` names it to the workers: its file, or
#: the module `python -m` ran (one of the two).
MAIN_PATH = "PACT_LEDGER_FORK_SERVER_MAIN"
MAIN_NAME = "PACT_LEDGER_FORK_SERVER_MAIN_MODULE"


def stand_in(path: str | None, name: str | None) -> None:
    """`__main__` an empty module with the script's file (`path`) or module name (`name`): a
    worker's `_fixup_main_from_path` / `_fixup_main_from_name` then finds it in place."""
    main = types.ModuleType("__mp_main__")
    if path:
        main.__file__ = path
    if name:
        main.__spec__ = importlib.machinery.ModuleSpec(name, None)
    sys.modules["__main__"] = sys.modules["__mp_main__"] = main


# In the fork server only (started as `python -c`, with a variable set for it).
if (os.environ.get(MAIN_PATH) or os.environ.get(MAIN_NAME)) and \
        "multiprocessing.forkserver" in sys.modules and \
        getattr(sys.modules["__main__"], "__file__", None) is None:
    stand_in(os.environ.get(MAIN_PATH), os.environ.get(MAIN_NAME))
