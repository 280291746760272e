"""The core never imports a console's stack: analysts and other tools run it without a UI.

Every module of the package outside the consoles (``cybrelia.tui``, ``cybrelia.web``) is
imported in a fresh interpreter, which must end up with neither Textual nor the web stack
(Starlette, uvicorn) loaded.  The import-linter contract in ``pyproject.toml`` says the same
of the import statements; this test proves it of what actually runs, lazy imports at import
time included.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import cybrelia

#: The consoles, the only packages that may load a UI stack.
CONSOLES = ("cybrelia.tui", "cybrelia.web")
#: The top-level packages the core must never load.
CONSOLE_STACKS = ("textual", "starlette", "uvicorn")


def core_modules() -> list[str]:
    """Every module of the package outside the consoles, found on disk (none forgotten)."""
    names = [
        info.name
        for info in pkgutil.walk_packages(cybrelia.__path__, "cybrelia.")
        if not info.name.endswith(".__main__")
    ]
    return sorted(
        name
        for name in ["cybrelia", *names]
        if not any(name == c or name.startswith(c + ".") for c in CONSOLES)
    )


def test_core_modules_are_found() -> None:
    modules = core_modules()
    for expected in ("cybrelia.cli", "cybrelia.cli.play", "cybrelia.engine.cascade"):
        assert expected in modules
    assert "cybrelia.analysis.charts" in modules and "cybrelia.report.document" in modules
    assert not [m for m in modules if m.startswith(CONSOLES)]


def test_core_does_not_import_a_console_stack() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"stacks = {CONSOLE_STACKS!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in stacks)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_the_check_sees_a_console_stack() -> None:
    """The same check, run on the console, finds Textual: it is not vacuous."""
    code = (
        "import importlib, json, sys\n"
        "importlib.import_module('cybrelia.tui.app')\n"
        "print(json.dumps('textual' in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) is True
