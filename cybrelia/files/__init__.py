"""The file formats and their loading: durations, diagnostics, model, scenario and response types.

Lowest layer above :mod:`cybrelia.i18n`: it may import only the standard library, third-party
readers and :mod:`cybrelia.i18n`, never the engine, the exercise or any console.
"""

__all__: list[str] = []
