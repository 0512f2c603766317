"""Build hook: the package carries the exercise files and the bundled sample.

The top-level ``exercises/`` and ``samples/`` stay the source of truth; building the package
(``pip install .``, ``python -m build``) copies them into ``formcheck/exercises/`` and
``formcheck/samples/`` of the build, where ``formcheck.packaged`` finds them with
``importlib.resources``. Nothing is copied into ``src/``, so nothing needs keeping in sync.
Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# What ships: every exercise, and the sample `formcheck analyze` without a video analyses
# (formcheck.cli.DEFAULT_SAMPLE) with its description; the other samples stay in the repository.
SHIPPED = {
    "exercises": ["*.toml"],
    "samples": ["README.md", "glute_bridge_side/video.mp4", "glute_bridge_side/scenario.json"],
}


class BuildPyWithData(build_py):
    """build_py, then the shipped data copied into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's folders directly
        package = Path(self.build_lib) / "formcheck"
        for folder, patterns in SHIPPED.items():
            for pattern in patterns:
                found = sorted((ROOT / folder).glob(pattern))
                if not found:
                    raise FileNotFoundError(f"{folder}/{pattern}: nothing to ship (run the build from the checkout)")
                for src in found:
                    dst = package / folder / src.relative_to(ROOT / folder)
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dst)


setup(cmdclass={"build_py": BuildPyWithData})
