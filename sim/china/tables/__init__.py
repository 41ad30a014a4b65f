"""The packaged China tables (townships.csv.gz, counties.csv, SOURCES.md): data only.

A package rather than a plain folder so that ``importlib.resources`` finds the files in a
wheel and in a checkout alike, and so that pyproject.toml can list it (setuptools warns of
an importable folder that ``packages`` leaves out). Read through the module
:mod:`sim.china.data`; the folder is not called ``data`` so that the two names do not clash.
"""
