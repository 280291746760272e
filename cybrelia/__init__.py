"""CYBRELIA: a tabletop crisis-exercise simulator for municipal civil protection.

Everything but the consoles (the file formats, the cascade engine, headless runs,
the exercise layer with its sessions and journal, the analysis and the report) is
headless: it never imports Textual or the web stack, so analysts can run thousands
of replications and other tools can embed it.  See ``docs/architecture.md``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
