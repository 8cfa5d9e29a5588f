"""Helpers of ``scripts/bench.py``: synthetic archive, child-process measuring, stock Pelican.

Not part of the installed package: benchmarks are scripts that print figures.
"""

from __future__ import annotations
