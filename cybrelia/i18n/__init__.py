"""The one catalogue of user-facing text, in Polish and English, used by every layer.

Bottom of the layers: it imports nothing of cybrelia, and everything may import it.
"""

__all__: list[str] = []
