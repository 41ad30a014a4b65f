"""The bundled scenarios and region data, installed as the package ``sim.bundled``.

This folder holds data only; the file exists so that a wheel can carry the folder as
package data and ``importlib.resources`` can find it, installed or in a checkout
(``sim/examples.py`` reads it; ``enforcement-sim examples DIR`` copies it out).
"""
