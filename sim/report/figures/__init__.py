"""Figures from results, one function each, for notebooks, the command line and the reports.

Every function takes a ``sim.Results`` (``sim.load_results(folder)`` or what
``sim.compare`` returns), or for the staffing figures a ``sim.staffing.Staffing``,
and returns a matplotlib ``Figure``. Figures are built with
``matplotlib.figure.Figure``, never pyplot: the report draws a dozen of them in a
command-line process without touching a GUI backend or pyplot's global list of open
figures, and a notebook still shows one as a cell's value. Save with
``fig.savefig("x.png")`` (Agg) or ``"x.svg"``.

Data a figure cannot have raises ``NoData`` with the reason (a sweep keeps no
record tables unless run with ``--keep-records``; a map needs the region CSV).
Chinese names appear only when matplotlib has a font with Chinese glyphs;
otherwise the romanised ``township`` names are used, so nothing draws as boxes.

The modules go by subject: ``differences`` (paired differences from the reference,
the report's primary figure), ``distributions`` (response times), ``maps``,
``workload`` (hours, backlog, discovery, the monthly ranking), ``ranking`` (the monthly
loop's effort and spread), ``when`` (response by when reports came), ``staffing``,
``sweep``; ``common`` holds the house style and
``keys`` how deployment models, channels and activities look. A new figure is a
function in the module of its subject, decorated with ``@styled`` and named in that
module's ``__all__``: it is exported from here without an edit to this file.
"""

from ..geography import NoData
from . import (
    common,
    differences,
    distributions,
    keys,
    maps,
    ranking,
    staffing,
    sweep,
    when,
    workload,
)
from .common import MAX_FIGURE_INCHES, TARGET_HOURS, ReportFigure, cjk_font
from .differences import *  # noqa: F403
from .distributions import *  # noqa: F403 - each subject module lists its figures
from .keys import ACTIVITY_BARS, CHANNELS, MODEL_MARKERS
from .maps import *  # noqa: F403
from .ranking import *  # noqa: F403
from .staffing import *  # noqa: F403
from .sweep import *  # noqa: F403
from .when import *  # noqa: F403
from .workload import *  # noqa: F403

SUBJECTS = (differences, distributions, maps, ranking, staffing, sweep, when, workload)

__all__ = [
    "ACTIVITY_BARS",
    "CHANNELS",
    "MAX_FIGURE_INCHES",
    "MODEL_MARKERS",
    "SUBJECTS",
    "TARGET_HOURS",
    "NoData",
    "ReportFigure",
    "cjk_font",
    "common",
    "keys",
    *(name for subject in SUBJECTS for name in subject.__all__),
    *(subject.__name__.rsplit(".", 1)[1] for subject in SUBJECTS),
]
