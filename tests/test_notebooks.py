"""Every notebook in notebooks/ runs top to bottom in its reduced mode
(``ENFORCEMENT_SIM_QUICK``: few replications, a short horizon) and shows what it is
meant to show: every code cell ran, in order; a cell that ends in an expression
displays something; and a cell that ends in a figure call displays a picture.

nbclient stops at the first cell that raises (``CellExecutionError``), so an error
fails the test there; the checks below catch what runs without raising but shows
nothing, such as a figure that no longer renders in a notebook.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# the report-figures notebook draws every figure of a full report (about 20 s), which
# tests/test_report.py already checks figure by figure: behind --runslow, to keep the
# suite under five minutes
SLOW_NOTEBOOKS = {"04_report_figures.ipynb"}
CASES = [
    pytest.param(p, id=p.name, marks=[pytest.mark.slow] if p.name in SLOW_NOTEBOOKS else [])
    for p in NOTEBOOKS
]
FIGURE_CALLS = ("figures.", "plt.")


def shown_problems(nb: nbformat.NotebookNode) -> list[str]:
    """What an executed notebook fails to show, one line per cell (empty: all is shown)."""
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for k, cell in enumerate(code, start=1):
        where = f"code cell {k} ({cell.source.strip().splitlines()[-1][:60]!r})"
        if cell.get("execution_count") != k:
            problems.append(f"{where}: not run in order (count {cell.get('execution_count')})")
            continue
        shown = {
            mime
            for out in cell.get("outputs", [])
            if out.output_type in ("execute_result", "display_data")
            for mime in out.get("data", {})
        }
        body = ast.parse(cell.source).body
        last = body[-1] if body else None
        if not isinstance(last, ast.Expr):
            continue
        if not shown:
            problems.append(f"{where}: ends in an expression but displays nothing")
        elif ast.unparse(last).startswith(FIGURE_CALLS) and "image/png" not in shown:
            problems.append(f"{where}: a figure call that displays no picture ({sorted(shown)})")
    for k, cell in enumerate(code, start=1):
        for out in cell.get("outputs", []):
            text = str(out.get("data", {}).get("text/plain", ""))
            if "Figure" in text.split(" ")[0] and "image/png" not in out.get("data", {}):
                problems.append(f"code cell {k}: a figure shown as text, not a picture ({text})")
    return problems


@pytest.mark.parametrize("path", CASES)
def test_notebook_runs_and_shows_its_outputs(path, monkeypatch):
    monkeypatch.setenv("ENFORCEMENT_SIM_QUICK", "1")  # the kernel inherits the environment
    # ...all of it: importing Streamlit (tests/test_app.py, same worker) sets MPLBACKEND=Agg,
    # and a kernel started with it shows no inline figures
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute(cwd=str(ROOT))
    assert shown_problems(nb) == []


def test_the_check_fails_on_a_notebook_that_shows_too_little():
    v4 = nbformat.v4
    as_text = {"text/plain": "<ReportFigure size 1040x430 with 2 Axes>"}
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell("x = 1", execution_count=1),
            v4.new_code_cell(
                "figures.backlog(res)",
                execution_count=2,
                outputs=[v4.new_output("execute_result", data=as_text, execution_count=2)],
            ),
            v4.new_code_cell("res.variants", execution_count=None),
        ]
    )
    problems = shown_problems(nb)
    assert len(problems) == 3, problems
    assert "displays no picture" in problems[0] and "not run in order" in problems[1]
    assert "a figure shown as text" in problems[2]
    nb.cells[2].execution_count = 3
    assert "displays nothing" in shown_problems(nb)[1]
