"""Keep Python's garbage collector from walking the loaded model: freeze the heap once the server is up.

A Rasa process holds about 660,000 long-lived Python objects once TensorFlow, spaCy and the model are
loaded. CPython's cyclic collector walks all of them in every full (oldest-generation) collection: 225 to
232 ms each in the running server on this 2-core machine (timed with `gc.callbacks` while it loaded and
under `benchmarks/load.py`), a pause that lands on whichever messages are in flight. `gc.freeze()`
(Python 3.7+, the technique Instagram published for their Django servers) moves every object alive at that
moment into a permanent generation the collector never scans; objects made later are collected as
before. The frozen objects are the model, the code and the caches that live as long as the process, so
nothing that would have been freed is kept.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)


def freeze() -> int:
    """Collect what is garbage now, then freeze everything left; returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    logger.info("froze %d objects (the loaded model and code) out of the garbage collector's reach", frozen)
    return frozen
