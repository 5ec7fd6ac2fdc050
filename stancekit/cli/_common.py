"""Helpers shared by the subcommands."""

from __future__ import annotations

import sys


def show_progress(args: object) -> bool:
    """Progress bars only for a terminal and without ``--quiet``."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()
