"""The exceptions formcheck raises, each with the exit code the CLI gives it.

Every error a user can cause is a subclass of :class:`FormcheckError`. Its message is one
line that says what is wrong and what to do; the CLI prints it and exits with ``exit_code``.
"""

from __future__ import annotations


class FormcheckError(Exception):
    """Base of every error formcheck raises on purpose."""

    exit_code = 1


class UsageError(FormcheckError):
    """The command line asks for something that cannot be done."""

    exit_code = 2


class InputError(FormcheckError):
    """A video, image folder, camera or landmark file cannot be read."""

    exit_code = 3


class ExerciseError(FormcheckError):
    """An exercise file is invalid or an exercise name is unknown."""

    exit_code = 4


class OutputError(FormcheckError):
    """A result cannot be written."""

    exit_code = 5


class AnalysisError(FormcheckError):
    """The input was read but could not be analysed (nobody in view, wrong camera view)."""

    exit_code = 6


class DisplayError(FormcheckError):
    """A window was asked for but there is no display to show it on."""

    exit_code = 7
