"""Checks of a model file that need the engine, run by ``cybrelia validate``.

Validation (:mod:`cybrelia.files.validation`) knows the formats but not the
cascade rule; whether an asset is already down at t = 0 is the engine's least
fixed point (MODEL.md 3.2), so that warning is computed here, one layer up,
and handed to validation as a :data:`~cybrelia.files.validation.ModelCheck`.
"""

from __future__ import annotations

import os

from cybrelia.engine.cascade import Engine
from cybrelia.files import validation
from cybrelia.files.diagnostics import Diagnostic
from cybrelia.files.model import InfrastructureModel
from cybrelia.files.source import Document

__all__ = ["check_file", "down_at_start"]


def down_at_start(document: Document, model: InfrastructureModel) -> list[Diagnostic]:
    """A warning for every asset of ``model`` with no grounded supply at t = 0."""
    engine = Engine(model, seed=0)
    out = []
    for index, asset in enumerate(model.assets):
        status = engine.status(asset.id)
        if status.state == "down":
            out.append(
                document.diagnostic(
                    ("assets", index),
                    f"asset {asset.id!r} has no grounded supply at t = 0 "
                    f"(down: {', '.join(status.causes)})",
                    "warning",
                )
            )
    return out


def check_file(path: str | os.PathLike[str]) -> list[Diagnostic]:
    """Every error and warning of one file, the engine's t = 0 warnings included."""
    return validation.check_file(path, model_check=down_at_start)
