"""The core never imports Textual: analysts and other tools run it without a UI."""

from __future__ import annotations

import json
import subprocess
import sys

CORE_MODULES = [
    "cybrelia.cli",
    "cybrelia.files.durations",
    "cybrelia.engine.cascade",
    "cybrelia.files.generate",
    "cybrelia.files.model",
    "cybrelia.files.scenario",
    "cybrelia.headless.simulate",
    "cybrelia.headless.timeline",
    "cybrelia.files.validation",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
