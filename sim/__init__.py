"""enforcement-sim: how environmental-enforcement officers are deployed and how fast
they reach pollution incidents (Jinhua, 2019).

The public API mirrors the command line: ``sim.run``, ``sim.compare``, ``sim.sweep``,
``sim.staff``, ``sim.place``, ``sim.sensitivity``, ``sim.calibrate``, ``sim.load_results``,
``sim.load_staffing``, ``sim.load_sensitivity`` and ``sim.load_calibration``; how to run (seed,
replications, executor, folder, safety) is one ``sim.RunOptions`` or its fields as
keywords: ``sim.run(path, replications=3, seed=1)``.
Importing the package starts nothing and reads no files.
"""

from .calibration import Calibration, calibrate, load_calibration
from .errors import ScenarioError
from .experiment import Results, RunOptions, compare, load_results, run, sweep
from .experiment.manifest import package_version
from .scenario import load_scenario
from .sensitivity import Sensitivity, load_sensitivity, sensitivity
from .staffing import Staffing, load_staffing, staff
from .staffing.place import place

__version__ = package_version()

__all__ = [
    "Calibration",
    "Results",
    "RunOptions",
    "ScenarioError",
    "Sensitivity",
    "Staffing",
    "__version__",
    "calibrate",
    "compare",
    "load_calibration",
    "load_results",
    "load_scenario",
    "load_sensitivity",
    "load_staffing",
    "place",
    "run",
    "sensitivity",
    "staff",
    "sweep",
]
