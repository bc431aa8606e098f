"""Load Pagoda's gdb helpers: `source tools/gdb/pagoda.py` in gdb.

`make gdb-x86` and `make gdb-riscv` do this before connecting. The
commands (pg-buddyinfo, pg-pt, ...) and functions ($pfn_to_page, ...)
live in the pagoda_gdb package next to this file; docs/debugging.md
shows them at work. Sourcing the file again after editing the package
reloads it, which is handy when working on a helper.
"""

import inspect
import os
import sys

import gdb

# Not __file__: gdb leaves it naming the first script it ran, so a script
# that sources this one would point us at its own directory.
_here = os.path.dirname(os.path.abspath(inspect.currentframe().f_code.co_filename))
if _here not in sys.path:
    sys.path.insert(0, _here)

if "pagoda_gdb" in sys.modules:
    # A second source: pick up edits. gdb keeps the old command objects,
    # whose invoke() now runs the old code, so new ones replace them.
    for _name in [m for m in sys.modules if m.startswith("pagoda_gdb")]:
        del sys.modules[_name]

import pagoda_gdb  # noqa: E402  (after the path is set up)

pagoda_gdb.register()
gdb.write("pagoda: %s; functions %s (help CMD for each)\n"
          % (", ".join(pagoda_gdb.COMMANDS), ", ".join(pagoda_gdb.FUNCTIONS)))
