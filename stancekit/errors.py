"""Exceptions raised by stancekit.

Every error says what was wrong and how to fix it. The CLI prints the message of a
:class:`StancekitError` without a traceback and exits with status 2.
"""

from __future__ import annotations


class StancekitError(Exception):
    """Base class of every error stancekit raises on purpose (bad input, bad files)."""


class DataError(StancekitError, ValueError):
    """Training or evaluation data is missing, empty or does not match the schema."""


class ModelDirError(StancekitError, OSError):
    """A saved model directory is missing, incomplete, corrupt or unsafe to load."""


class BaseModelError(StancekitError, OSError):
    """The base encoder cannot be found or its weights do not match the pinned hash."""
