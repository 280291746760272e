"""A branch inject's condition, and an inject's effect, in words of either language.

``when Hydrofornia Nadrzecze is down for 2 h``: assets by their names,
durations by :func:`cybrelia.i18n.duration_label`, metrics by their catalogue
names.  One wording for every view (the console's inject list, the report).
"""

from __future__ import annotations

from collections.abc import Mapping

from cybrelia.files.model import Asset
from cybrelia.files.scenario import Condition, Effect
from cybrelia.i18n import duration_label, lookup, text

__all__ = ["condition_label", "effect_label"]


def effect_label(
    effect: Effect,
    assets: Mapping[str, Asset],
    lang: str,
    zones: Mapping[str, str] | None = None,
) -> str:
    """``damage: GPZ Centrum, Most``: an effect with its targets by name (a claim by its text,
    a hazard zone by its name in ``zones``, :func:`cybrelia.files.names.zone_names`)."""
    verb = lookup(f"verb.{effect.verb}", lang, effect.verb)
    if effect.claim is not None:
        return f"{verb}: {effect.claim.text.get(lang)}"
    names = []
    for target in effect.targets:
        asset = assets.get(target)
        if asset is not None:
            names.append(asset.label)
        else:
            names.append((zones or {}).get(target, target))
    return f"{verb}: {', '.join(names)}"


def condition_label(condition: Condition, lang: str, assets: Mapping[str, Asset]) -> str:
    """The condition in ``lang``, with each asset named from ``assets`` (its id if unknown)."""
    after = ""
    if condition.after > 0:
        after = text("condition.after", lang, after=duration_label(condition.after, lang))
    if condition.asset is not None:
        asset = assets.get(condition.asset.id)
        name = asset.label if asset is not None else condition.asset.id
        state = text(f"condition.state.{condition.asset.state}", lang)
        if condition.asset.for_ > 0:
            said = text(
                "condition.asset_for",
                lang,
                asset=name,
                state=state,
                duration=duration_label(condition.asset.for_, lang),
            )
        else:
            said = text("condition.asset", lang, asset=name, state=state)
    elif condition.metric is not None:
        metric = text(f"metric.{condition.metric.name}", lang)
        if condition.metric.above is not None:
            said = text("condition.above", lang, metric=metric, value=f"{condition.metric.above:g}")
        else:
            said = text("condition.below", lang, metric=metric, value=f"{condition.metric.below:g}")
    elif condition.delivered is not None:
        said = text("condition.delivered", lang, inject=condition.delivered)
    elif condition.met is not None:
        said = text("condition.met", lang, expectation=condition.met)
    else:
        said = text("condition.missed", lang, expectation=condition.missed)
    return said + after
