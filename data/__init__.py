"""The package ``kneelog.data``: the stretch library (``stretches.toml``), read with :mod:`importlib.resources`.

pyproject.toml maps this folder to ``kneelog.data`` (``package-dir``), so a wheel ships it as ``kneelog/data/``.
This file is needed for ``pip install -e .``: setuptools' editable finder imports a package mapped to a folder of
its own only from that folder's ``__init__.py``; without it ``import kneelog.data`` fails in an editable install
(a normal install would manage as a namespace package). Nothing else belongs here: only ``*.toml`` is packaged,
never a runner's ``kneelog.db``.
"""
