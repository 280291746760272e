"""CYBRELIA benchmark suite: ``make bench`` (``python -m benchmarks``).

These are measurements, not tests: pytest does not collect them (no ``test_*``
files, and pytest only looks in ``tests/``).  The driver (:mod:`benchmarks.suite`)
stays small and starts every measurement in a fresh Python process
(:mod:`benchmarks.probe`), so each timing and each peak-memory figure starts
from a clean interpreter.  What each benchmark measures is documented in
``docs/performance.md``.
"""
