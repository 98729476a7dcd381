"""patches.heap: what is alive is frozen out of the collector's walks; what is made later is still collected."""

from __future__ import annotations

import gc
import weakref

from patches import heap


class _Node:
    """An object that can be part of a reference cycle and be watched with a weak reference."""

    def __init__(self) -> None:
        self.other: object = None


def test_freeze_keeps_the_heap_out_of_full_collections_and_still_collects_new_garbage() -> None:
    try:
        frozen = heap.freeze()
        assert frozen == gc.get_freeze_count() > 1000  # the test process's own heap: modules, code, fixtures
        # A cycle made after the freeze is garbage the collector still finds.
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        watch = weakref.ref(a)
        del a, b
        gc.collect()
        assert watch() is None
    finally:
        gc.unfreeze()  # leave the test process as it was
