"""The garbage collector, settled once the bot has started.

By the time the bot takes its first update it holds some 400,000 objects that live as
long as the process: modules, the SQLAlchemy mappers and compiled statements, aiogram's
routers and the pydantic schemas of every Telegram type. CPython's cyclic collector
walks all of them at each full collection (about a quarter of a second on this code),
and a full collection comes every few thousand updates: an update that meets one waits
for it. ``gc.freeze()`` moves what exists at startup out of the collector's sight (the
objects are still freed by reference counting; only cycle detection skips them), so a
full collection then walks what updates leave behind, not the whole program.

The young generation's threshold is raised for the same reason: one update allocates
thousands of short-lived objects (pydantic models, SQL rows), most freed by reference
counting anyway; collecting every 700 allocations spends time on objects about to die.
"""

from __future__ import annotations

import gc

# Allocations (net of frees) between young-generation collections; CPython's default
# is 700. The older generations keep their defaults. A young collection's pause grows
# with it: bench.open_loop at 40/s, two runs each, longest pause 24–35 ms at 5,000
# against 38–59 ms at 20,000, for a little more time in all (150–160 against 80–130 ms).
YOUNG_THRESHOLD = 5_000


def settle() -> None:
    """Call once, after the dispatcher, the database engine and the bot are built."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
