"""Where the data formcheck ships with lives: the exercise files and the bundled sample.

The repository's top-level ``exercises/`` and ``samples/`` are the source of truth. A built
package (``pip install .``, a wheel, pipx) carries copies made at build time (``setup.py``
copies them into ``formcheck/exercises/`` and ``formcheck/samples/``), found here with
``importlib.resources``. A source checkout installed in editable mode has no such copies, so
the checkout's own folders are used there.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXERCISES = "exercises"
SAMPLES = "samples"


def data_dir(name: str) -> Path:
    """The folder ``name`` (``EXERCISES`` or ``SAMPLES``) shipped with formcheck.

    Inside the installed package first, else the source checkout's top-level folder. The
    returned path may not exist (a broken install); callers say so in their own words.
    """
    # A package installed from a wheel lives on the file system, so this is a real path.
    packaged = Path(str(resources.files("formcheck") / name))
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    return checkout if checkout.is_dir() else packaged
