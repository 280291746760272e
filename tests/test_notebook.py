"""The after-action notebook runs from top to bottom, and is committed without outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat  # type: ignore[import-untyped, unused-ignore]
import pytest
from nbclient import NotebookClient  # type: ignore[import-untyped, unused-ignore]

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "after-action.ipynb"
KERNEL = "cybrelia-test-python"


def test_the_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_the_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A kernel of this very interpreter, whatever kernels the user has installed, and the
    # notebook's temporary files under tmp_path.
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "CYBRELIA tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))

    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 10  # every chart cell shows its figure
    report = [o for o in outputs if "report.html" in str(o.get("data", {}).get("text/plain", ""))]
    assert report
    assert list((tmp_path / "tmp").glob("cybrelia-notebook-*/report/report.html"))
