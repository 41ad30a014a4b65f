"""enforcement-sim: how environmental-enforcement officers are deployed and how fast
they reach pollution incidents (Jinhua, 2019).

The public API mirrors the command line: ``sim.run``, ``sim.compare``, ``sim.sweep``,
``sim.staff``, ``sim.load_results`` and ``sim.load_staffing``; how to run (seed,
replications, executor, folder, safety) is one ``sim.RunOptions`` or its fields as
keywords: ``sim.run(path, replications=3, seed=1)``.
Importing the package starts nothing and reads no files.
"""

from .errors import ScenarioError
from .experiment import Results, RunOptions, compare, load_results, run, sweep
from .experiment.manifest import package_version
from .scenario import load_scenario
from .staffing import Staffing, load_staffing, staff

__version__ = package_version()

__all__ = [
    "Results",
    "RunOptions",
    "ScenarioError",
    "Staffing",
    "__version__",
    "compare",
    "load_results",
    "load_scenario",
    "load_staffing",
    "run",
    "staff",
    "sweep",
]
