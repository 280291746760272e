"""CYBRELIA: a tabletop crisis-exercise simulator for municipal civil protection.

The core (model files, the cascade engine, and later the exercise session,
journal and analysis) is headless: it never imports Textual, so analysts can
run thousands of replications and other tools can embed it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
