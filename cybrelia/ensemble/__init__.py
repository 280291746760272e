"""Dry runs: ensembles of seeded replications of an exercise, on one machine or a Dask cluster.

It may import the exercise, the analysis and everything below them; never a console.
"""

__all__: list[str] = []
