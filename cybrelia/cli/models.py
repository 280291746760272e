"""``cybrelia graph`` and ``cybrelia generate``: infrastructure models drawn and generated."""

from __future__ import annotations

import argparse
from pathlib import Path

from cybrelia.cli.common import EXIT_INVALID, EXIT_OK, Commands, bounded, model_arg, say, seed_arg

#: ``generate region --gminas`` at most: every gmina of Poland (2,477) fits.
MAX_GMINAS = 2_500

__all__ = ["register"]


def register(commands: Commands) -> None:
    """Add ``graph`` and ``generate region``."""
    _add_graph(commands)
    _add_generate(commands)


def _add_graph(commands: Commands) -> None:
    graph = commands.add_parser(
        "graph",
        help="draw a model's dependency graph",
        description="Draw the dependency graph of an infrastructure model (PNG, SVG or PDF).",
    )
    graph.add_argument("model", metavar="MODEL", type=model_arg)
    graph.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    graph.add_argument("--no-labels", action="store_true", help="leave asset ids out")
    graph.set_defaults(run=_graph)


def _add_generate(commands: Commands) -> None:
    generate = commands.add_parser("generate", help="generate large models for benchmarks")
    kinds = generate.add_subparsers(dest="kind", required=True, metavar="KIND")
    region = kinds.add_parser(
        "region",
        help="a region of many gminas sharing HV substations and a telecom/IT core",
        description="Write a large region model (JSON) and a cascade scenario beside it.",
    )
    region.add_argument("--gminas", type=bounded(int, 1, MAX_GMINAS), required=True, metavar="N")
    region.add_argument("--seed", type=seed_arg, default=0, metavar="S")
    region.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    region.set_defaults(run=_generate_region)


def _graph(args: argparse.Namespace) -> int:
    from cybrelia.files.graph import draw_dependency_graph
    from cybrelia.files.validation import load_model

    output: Path = args.output
    figure = draw_dependency_graph(load_model(args.model), labels=not args.no_labels)
    try:
        figure.savefig(output, dpi=150)
    except (OSError, ValueError) as error:
        say("cli.cannot_write", path=output, reason=error)
        return EXIT_INVALID
    say("cli.wrote", path=output)
    return EXIT_OK


def _generate_region(args: argparse.Namespace) -> int:
    from cybrelia.files.generate import write_region

    model_path, scenario_path = write_region(args.gminas, seed=args.seed, out=args.output)
    say("cli.wrote_region", model=model_path, scenario=scenario_path)
    return EXIT_OK
