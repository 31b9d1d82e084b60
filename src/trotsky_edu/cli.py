"""The ``trotsky-edu`` command: parses arguments and calls the library.

Each subcommand is added by one ``_add_<name>`` function below; nothing imports this
module, and it is the only place that parses arguments or chooses an exit code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _add_validate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a data folder for problems",
                       description="Check the CSV data files in DIR (default: the bundled data) against data/datasets.toml.")
    p.add_argument("dir", nargs="?", type=Path, help="data folder to check (default: the bundled data)")
    p.set_defaults(func=_run_validate)


def _run_validate(args: argparse.Namespace) -> int:
    from trotsky_edu.validate import validate_folder

    problems = validate_folder(args.dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("No problems found.")
    return 0


SUBCOMMANDS = [_add_validate]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="trotsky-edu", description="Tools for the trotsky_edu curriculum.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``trotsky-edu`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
