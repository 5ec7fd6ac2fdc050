"""The ``stancekit`` command line: one module per subcommand.

Each subcommand module has ``add_parser(subparsers)`` and ``run(args) -> int``.
Errors that stancekit raises on purpose are printed without a traceback (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import StancekitError

COMMANDS = ("classify", "train", "evaluate", "info", "validate")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    import importlib

    from .. import __version__

    parser = argparse.ArgumentParser(
        prog="stancekit",
        description="Label sentences by claim type and stance toward negotiation; train and "
                    "evaluate models.",
        epilog="Example: stancekit classify \"Both sides should return to the table.\"",
    )
    parser.add_argument("--version", action="version", version=f"stancekit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f".{name}", __name__).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``stancekit`` command.

    Example:
        >>> main(["info"]) == 0  # doctest: +ELLIPSIS
        model: ...
        True
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except StancekitError as exc:
        print(f"stancekit {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (TypeError, ValueError, FileNotFoundError, UnicodeDecodeError) as exc:
        print(f"stancekit {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"stancekit {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
