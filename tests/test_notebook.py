"""The notebooks run from top to bottom, and are committed without outputs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import nbformat  # type: ignore[import-untyped, unused-ignore]
import pytest
from nbclient import NotebookClient  # type: ignore[import-untyped, unused-ignore]

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOK = NOTEBOOKS / "after-action.ipynb"
KERNEL = "cybrelia-test-python"


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_the_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def execute(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Run a notebook on a kernel of this very interpreter; the outputs of its code cells.

    Whatever kernels the user has installed are left alone, and the notebook's
    temporary files go under ``tmp_path / "tmp"``.
    """
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "CYBRELIA tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))

    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name=KERNEL,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


def test_the_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = execute(NOTEBOOK, tmp_path, monkeypatch)
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 10  # every chart cell shows its figure
    report = [o for o in outputs if "report.html" in str(o.get("data", {}).get("text/plain", ""))]
    assert report
    assert list((tmp_path / "tmp").glob("cybrelia-notebook-*/report/report.html"))


def test_the_dry_run_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = execute(NOTEBOOKS / "dryrun.ipynb", tmp_path, monkeypatch)
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "The exercise is hardest when share of prepared households" in printed
    assert [o for o in outputs if "image/png" in o.get("data", {})]  # histogram and fan chart
    assert list((tmp_path / "tmp").glob("cybrelia-notebook-*/report/report.html"))
    tables = [str(o.get("data", {}).get("text/plain", "")) for o in outputs]
    assert any("person_hours.water" in t and "unpaired_low" in t for t in tables)
