"""The cascade engine of MODEL.md section 3: the time grid, availability, buffers, cyber spread.

It may import :mod:`cybrelia.files` (the typed model and scenario) and nothing above it.
"""

__all__: list[str] = []
