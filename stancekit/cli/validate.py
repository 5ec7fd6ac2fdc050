"""``stancekit validate``: check the annotated corpus in seeds/ and print its label counts."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    from ..corpus import add_arguments, run

    p = sub.add_parser("validate", help="check the annotated corpus (seeds/)",
                       description="Check schema and labels, exact and near duplicates, split "
                                   "leakage and article offsets; print label counts per split.",
                       epilog="example:\n  stancekit validate seeds --strict --markdown",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    p.set_defaults(run=run)
