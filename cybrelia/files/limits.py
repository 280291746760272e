"""The bounds every input file and command-line number is held to.

A file written by a careless or hostile hand must not hang the tool, exhaust
memory, or produce numbers the simulation cannot carry (``1e308`` hours of
repair, ``10**30`` residents).  These limits are far beyond any real gmina or
exercise, so no honest file meets them; they are documented in
``docs/reliability.md`` and ``docs/scenario-format.md``.
"""

from __future__ import annotations

import yaml

from cybrelia.files.diagnostics import Diagnostic, ValidationFailed

__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_COUNT",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_HOURS",
    "MAX_PACE",
    "MAX_POPULATION",
    "MAX_RATE",
    "MAX_SEED",
    "check_yaml_tree",
]

#: The largest model, scenario or response file read (bytes): 256 MiB, five times a
#: synthetic region of a hundred gminas.
MAX_FILE_BYTES = 256 * 1024 * 1024

#: The deepest nesting of mappings and lists in a file.  The formats need about
#: eight levels; the bound keeps a ``[[[[...]]]]`` file from exhausting the stack.
MAX_DEPTH = 64

#: How many values YAML aliases may add to a file beyond those written out in it.
#: Anchors and merge keys (``<<: *defaults``) stay usable; a "billion laughs" file,
#: whose few lines expand to billions of values, is refused before it is built.
MAX_ALIAS_VALUES = 100_000

#: The longest duration anywhere (hours): about eleven years.  Every instant up to
#: it stays exact on the engine's 1e-9 h time grid (1e5 h x 1e9 < 2**53).
MAX_HOURS = 100_000.0

#: The most residents of one district, and the most vulnerable residents.
MAX_POPULATION = 100_000_000

#: The largest count of anything else (resources in a pool, points, thresholds).
MAX_COUNT = 1_000_000

#: The largest rate per hour (a claim's growth or decay, a buffer's recharge).
MAX_RATE = 1_000.0

#: Seeds are integers 0 .. 2**63 - 1, in files and on the command line alike.
MAX_SEED = 2**63 - 1

#: The slowest pace of ``cybrelia run --pace`` (wall seconds per sim hour): a day.
MAX_PACE = 86_400.0


def check_yaml_tree(root: yaml.Node, file: str) -> None:
    """Refuse a composed YAML document that nests too deeply or whose aliases explode.

    Aliases make the node graph share subtrees, so its expanded size is
    computed once per distinct node: the check is linear in what the file
    holds, however much it would expand to.

    Raises
    ------
    ValidationFailed
        At the line of the node that is too deep, recursive, or expands too far.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def refuse(node: yaml.Node, message: str) -> ValidationFailed:
        return ValidationFailed([Diagnostic(file, node.start_mark.line + 1, "(syntax)", message)])

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if key in open_nodes:
            raise refuse(node, "a YAML alias refers to a value that contains it")
        if depth > MAX_DEPTH:
            raise refuse(node, f"nested more than {MAX_DEPTH} levels deep")
        total = 1
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            open_nodes.add(key)
            children = (
                node.value
                if isinstance(node, yaml.SequenceNode)
                else [child for pair in node.value for child in pair]
            )
            total += sum(size(child, depth + 1) for child in children)
            open_nodes.discard(key)
        sizes[key] = total
        if total - len(sizes) > MAX_ALIAS_VALUES:
            raise refuse(
                node,
                f"YAML aliases here expand to more than {MAX_ALIAS_VALUES} values "
                "(an alias bomb?); write the values out or use fewer aliases",
            )
        return total

    size(root, 0)
