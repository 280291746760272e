"""Rumours: a seeded stochastic ignorant-spreader-stifler model per district, with debunkers.

The Maki-Thompson (1973) form of the Daley-Kendall (1965) model, with the
active debunkers of de Arruda et al. (2015, Royal Society Open Science
2:150240), run in each district a claim reaches (docs/information.md,
section 6).  Residents are *ignorant* (could come to believe it), *immune*
(never will), *spreaders* (believe it and pass it on), *stiflers* (believe it,
no longer pass it on), *doubters* (believe it, but an official message they
trust told them otherwise: they give it up in time) or *debunkers* (know it is
false and say so).  Believers are spreaders, stiflers and doubters.

Each step of :data:`STEP` hours draws binomial transitions from the claim's
own ``numpy`` generator, seeded from the exercise seed and the claim's id,
for all its districts at once.  A step reads the information state (silence,
who was told otherwise, trust) as it stands when the step is drawn; the
exercise draws every step that ends before an input changes that state, so
a replay of the same inputs draws the same numbers whatever was asked of the
figures in between.
"""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt

from cybrelia.exercise.autonomy import Curve
from cybrelia.exercise.informed import Information
from cybrelia.files.model import District
from cybrelia.files.scenario import Claim

__all__ = ["ACTIVE_DEBUNKERS", "PERSISTENCE", "STEP", "TRUTH_SPEED", "Rumour"]

#: Hours of one step of the rumour model.
STEP = 0.25
#: Contact rate of the correction relative to the claim's: false news was 70 % more likely
#: to be passed on than true news (Vosoughi, Roy and Aral, Science 2018): 1 / 1.7.
TRUTH_SPEED = 0.6
#: Share of debunkers who pass the correction on (the others just know better): de Arruda
#: et al. 2015 make active debunking a probability; this value is an estimate.
ACTIVE_DEBUNKERS = 0.2
#: Share of believers told otherwise, and trusting the teller, who still keep to the claim:
#: the continued influence of misinformation after a correction (Lewandowsky et al. 2012,
#: Psychological Science in the Public Interest 13(3)); an estimate.
PERSISTENCE = 0.5

Counts = npt.NDArray[np.int64]


class Rumour:
    """A claim spreading through its districts.

    Parameters
    ----------
    claim
        The claim as the scenario states it.
    start
        Sim hour at which it appeared.
    districts
        The model's districts; the claim spreads in those it names (all if none).
    information
        Who was told what: silence speeds the claim up, a debunk slows it down.
    seed
        The exercise seed; with the claim's id it seeds the claim's generator.
    """

    def __init__(
        self,
        claim: Claim,
        start: float,
        districts: dict[str, District],
        information: Information,
        seed: int,
    ) -> None:
        self.claim = claim
        self.start = start
        self.information = information
        self.ids = tuple(sorted(d for d in claim.districts or districts if d in districts))
        self._rng = np.random.default_rng([seed, zlib.crc32(claim.id.encode("utf-8"))])
        self.population: Counts = np.array(
            [districts[d].population for d in self.ids], dtype=np.int64
        )
        self._position = {d: i for i, d in enumerate(self.ids)}
        self._people: list[int] = self.population.tolist()
        # Believers per district as plain ints, read from the counts once per step
        # (the figures ask for them many times between two steps); None: not yet read.
        self._believers: list[int] | None = None
        susceptible = np.floor(self.population * claim.max_reach + 0.5).astype(np.int64)
        self.spreaders: Counts = np.minimum(
            np.floor(self.population * claim.reach + 0.5).astype(np.int64), susceptible
        )
        self.ignorant: Counts = susceptible - self.spreaders
        self.stiflers: Counts = np.zeros(len(self.ids), dtype=np.int64)
        self.doubters: Counts = np.zeros(len(self.ids), dtype=np.int64)
        self.debunkers: Counts = np.zeros(len(self.ids), dtype=np.int64)
        #: The share of each district told otherwise (and trusting it) already drawn.
        self._told = np.zeros(len(self.ids))
        room = claim.max_reach - claim.reach
        #: Contacts an hour that pass the claim on: the believers' share first grows by
        #: ``growth`` an hour (``rate x reach x (max_reach - reach) = growth``).
        self.rate = claim.growth / (claim.reach * room) if claim.reach > 0 and room > 0 else 0.0
        self.steps = 0
        self._population = np.maximum(self.population, 1)  # what the rates divide by
        # The chance a doubter gives the claim up in a step, for each district.
        self._p_gives_up = np.full(len(self.ids), 1.0 - np.exp(-claim.decay * STEP))
        # The information state's version when who was told was last read (-1: never).
        self._told_version = -1
        # Whether anyone may doubt or debunk the claim: only once some district was told
        # otherwise (before that every doubter and debunker count is 0).
        self._corrected = False
        # -rate x gain x STEP per district, by (which districts are silent, silence gain).
        self._spreading: dict[tuple[tuple[bool, ...], float], npt.NDArray[np.float64]] = {}
        #: Believers of a ``bottled_water_run`` claim who found bottled water, by district.
        self.supplied: Counts = np.zeros(len(self.ids), dtype=np.int64)
        #: When the believers came to believe: the hour each cohort did, and how many of each
        #: district's believers it holds (fractions once believers who give it up are taken
        #: from every cohort alike).  Believers live as if the service were lost from then,
        #: not from the claim's start.
        self._since: list[float] = [start]
        # The cohorts are the first ``len(self._since)`` rows, one per cohort, oldest first;
        # rows are added in place, the array doubling when full.
        self._cohort_rows: npt.NDArray[np.float64] = np.zeros((64, len(self.ids)))
        self._cohort_rows[0] = self._believing()
        self._counted = self._cohort_rows[0].copy()
        self._crowd: tuple[float, int, dict[str, int]] | None = None
        # What :meth:`_acting_cohorts` last computed, and from what.
        self._acting: (
            tuple[
                tuple[float, int, bytes],
                list[npt.NDArray[np.float64] | None],
                dict[int, tuple[Curve, npt.NDArray[np.float64]]],
            ]
            | None
        ) = None
        self._ages: npt.NDArray[np.float64] = np.zeros(0)

    # --- reading ------------------------------------------------------------------

    @property
    def now(self) -> float:
        """The sim hour the state stands at."""
        return self.start + self.steps * STEP

    def believers(self, t: float) -> int:
        """People who believe the claim at ``t`` (the state of the last step before it)."""
        self.advance_to(t)
        return sum(self._believing())

    def share(self, district: str, t: float) -> float:
        """Share of ``district`` believing the claim at ``t`` (0 outside its districts)."""
        i = self._position.get(district)
        if i is None:
            return 0.0
        self.advance_to(t)
        people = self._people[i]
        return self._believing()[i] / people if people else 0.0

    def by_district(self, t: float) -> dict[str, int]:
        """Believers in each of the claim's districts at ``t``."""
        self.advance_to(t)
        return dict(zip(self.ids, self._believing(), strict=True))

    @property
    def service(self) -> str | None:
        """The service whose loss the believers live through, if any (docs/information.md 6):
        the claim's for ``avoid_service``, water for a bottled-water run."""
        if self.claim.behaviour == "bottled_water_run":
            return "water"
        return self.claim.service

    def crowd(self, t: float) -> dict[str, int]:
        """Believers of a ``crowd_at_bridge`` claim at its place at ``t``, by district: those
        who came to believe it less than ``crowd_hours`` ago (the others went home)."""
        self.advance_to(t)
        if self._crowd is not None and self._crowd[:2] == (t, len(self._since)):
            return self._crowd[2]  # asked again for every district of an instant
        hours = self.information.settings.crowd_hours
        there = np.zeros(len(self.ids))
        for since, cohort in zip(self._since, self._cohorts(), strict=True):
            if t - since < hours - 1e-9:
                there += cohort
        crowd = {d: int(np.floor(n + 0.5)) for d, n in zip(self.ids, there, strict=True)}
        self._crowd = (t, len(self._since), crowd)
        return crowd

    def exposures(self, district: str, curves: tuple[Curve, ...], t: float) -> list[float]:
        """Share of ``district`` living as if :attr:`service` were lost whose autonomy,
        each of ``curves`` (one per group of the district), has run out at ``t``,
        counted from when each came to believe.

        All believers of an ``avoid_service`` claim live so; of a bottled-water
        run, the believers who found the shops empty: the newest ones, since the
        first came while the shops still had water.
        """
        i = self._position.get(district)
        if i is None:
            return [0.0] * len(curves)
        self.advance_to(t)
        taken, shares = self._acting_cohorts(t)
        row = taken[i]
        if row is None:
            return [0.0] * len(curves)
        people = self._people[i]
        out = []
        for curve in curves:
            # By identity (hashing a curve's points costs more than reading them); the
            # entry holds the curve, so its id cannot be another's while the entry lives.
            known = shares.get(id(curve))
            if known is None:
                known = shares[id(curve)] = (curve, curve.shares(self._ages))
            out.append(float(row @ known[1]) / people)
        return out

    def _acting_cohorts(
        self, t: float
    ) -> tuple[
        list[npt.NDArray[np.float64] | None], dict[int, tuple[Curve, npt.NDArray[np.float64]]]
    ]:
        """Per district, how many of each cohort (newest first) live without the service at
        ``t`` (None where nobody does), and the curves' shares read at the cohorts' ages.

        The figures ask :meth:`exposures` for every district and group of an instant; this is
        computed once for all of them while the step, the bottled water found and ``t``
        stay as they were.  Row by row the same numbers as one district alone: a cumulative
        sum runs along each row in order, the rest is element by element.
        """
        key = (t, self.steps, self.supplied.tobytes())
        if self._acting is not None and self._acting[0] == key:
            return self._acting[1], self._acting[2]
        acting = np.array(self._believing(), dtype=np.float64)
        if self.claim.behaviour == "bottled_water_run":
            acting -= self.supplied
        newest = self._cohorts()[::-1].T.copy()
        taken = np.clip(acting[:, None] - (np.cumsum(newest, axis=1) - newest), 0.0, newest)
        rows: list[npt.NDArray[np.float64] | None] = [
            row if people > 0 and acted > 0 else None
            for row, people, acted in zip(taken, self._people, acting.tolist(), strict=True)
        ]
        self._ages = t - np.array(self._since[::-1])
        self._acting = (key, rows, {})
        return rows, self._acting[2]

    def reach(self, t: float) -> float:
        """Share of the residents of its districts who believe it at ``t``."""
        total = int(self.population.sum())
        return self.believers(t) / total if total else 0.0

    def _believing(self) -> list[int]:
        believers = self._believers
        if believers is None:
            believers = self._believers = (self.spreaders + self.stiflers + self.doubters).tolist()
        return believers

    # --- the model ----------------------------------------------------------------

    def advance_to(self, t: float) -> None:
        """Draw every step that ends at or before ``t``."""
        while self.start + (self.steps + 1) * STEP <= t + 1e-9:
            self._step(self.start + self.steps * STEP)
            self.steps += 1
            self._track()

    def _track(self) -> None:
        """Bring the cohorts up to the believers after a step: newcomers form a cohort of the
        step's end; believers who gave it up leave every cohort of their district alike."""
        believing = np.array(self._believing(), dtype=np.float64)
        if (believing < self._counted).any():
            kept = np.where(
                self._counted > believing, believing / np.maximum(self._counted, 1e-12), 1.0
            )
            self._cohorts()[:] *= kept  # each cohort times kept, element by element
            self._counted = self._counted * kept
            self._crowd = None
        new = (believing - self._counted).clip(0.0)
        if (new > 0).any():
            count = len(self._since)
            if count == len(self._cohort_rows):
                self._cohort_rows = np.concatenate(
                    [self._cohort_rows, np.zeros_like(self._cohort_rows)]
                )
            self._cohort_rows[count] = new
            self._since.append(self.now)
            self._counted = self._counted + new

    def _cohorts(self) -> npt.NDArray[np.float64]:
        """The cohorts: one row each, oldest first."""
        return self._cohort_rows[: len(self._since)]

    def _step(self, t: float) -> None:
        information = self.information
        settings = information.settings
        rng = self._rng
        if information.version != self._told_version:
            # Who was told otherwise changes only with the information state; while it
            # stands, no district is newly told and the block below would draw nothing.
            self._told_version = information.version
            self._tell(rng)
        population = self._population
        silent = tuple([information.silent(d, t) for d in self.ids])
        # -rate x gain x STEP of each district, by which districts are silent: the same
        # few patterns come back at step after step.
        key = (silent, settings.silence_gain)
        spreading = self._spreading.get(key)
        if spreading is None:
            gain = np.where(np.array(silent), settings.silence_gain, 1.0)
            spreading = self._spreading[key] = -self.rate * gain * STEP
        spreaders, stiflers, doubters, debunkers = (
            self.spreaders,
            self.stiflers,
            self.doubters,
            self.debunkers,
        )
        heard = spreaders + stiflers
        if self._corrected:  # else nobody doubts or debunks: both are 0 everywhere
            heard = heard + doubters + debunkers
        p_spread = 1.0 - np.exp(spreading * spreaders / population)
        p_stifle = 1.0 - np.exp(-self.rate * STEP * heard / population)
        converts, stifled = _binomials(rng, (self.ignorant, p_spread), (spreaders, p_stifle))
        if not self._corrected:
            # Nobody doubts or debunks yet: every chance below is exactly 0 (no active
            # debunker, no doubter), and a draw with p = 0 takes nothing from the stream.
            self.ignorant = self.ignorant - converts
            self.spreaders = spreaders + converts - stifled
            self.stiflers = stiflers + stifled
            self._believers = None
            return
        active = ACTIVE_DEBUNKERS * debunkers
        p_corrected = 1.0 - np.exp(-self.rate * TRUTH_SPEED * STEP * active / population)
        warned, corrected, quiet, gave_up = _binomials(
            rng,
            (self.ignorant - converts, p_corrected),
            (spreaders - stifled, p_corrected),
            (stiflers, p_corrected),
            (doubters, self._p_gives_up),
        )
        self.ignorant = self.ignorant - converts - warned
        self.spreaders = spreaders + converts - stifled - corrected
        self.stiflers = stiflers + stifled - quiet
        self.doubters = doubters + corrected + quiet - gave_up
        self.debunkers = debunkers + warned + gave_up
        self._believers = None

    def _tell(self, rng: np.random.Generator) -> None:
        """The newly told among those not yet told: ignorants become debunkers at once,
        believers doubt.  Trust that falls later un-tells nobody."""
        information = self.information
        told = np.array(
            [information.informed(self.claim.id, d) * information.trust[d] for d in self.ids]
        )
        if self.claim.correct:
            told[:] = 0.0  # a debunk of a true claim turns out wrong: it convinces nobody
        if not (told > self._told).any():
            return
        self._corrected = True
        newly = (told - self._told).clip(0.0) / np.maximum(1.0 - self._told, 1e-12)
        self._told = np.maximum(told, self._told)
        doubt = newly * (1.0 - PERSISTENCE)
        warned, doubting, quiet = _binomials(
            rng, (self.ignorant, newly), (self.spreaders, doubt), (self.stiflers, doubt)
        )
        self.ignorant = self.ignorant - warned
        self.spreaders = self.spreaders - doubting
        self.stiflers = self.stiflers - quiet
        self.doubters = self.doubters + doubting + quiet
        self.debunkers = self.debunkers + warned


def _binomials(
    rng: np.random.Generator, *draws: tuple[Counts, npt.NDArray[np.float64]]
) -> list[Counts]:
    """``rng.binomial(n, p)`` of each ``(n, p)`` in turn, in one call to the generator.

    An array-valued draw takes its numbers from the stream element by element in
    order, so one draw of the arrays end to end gives exactly the numbers of the
    draws one after the other (for as long as every ``n`` and ``p`` is valid, as
    the model's are), at the cost of one call instead of several.
    """
    drawn = rng.binomial(
        np.concatenate([n for n, _ in draws]), np.concatenate([p for _, p in draws])
    )
    size = len(draws[0][0])
    return [drawn[k * size : (k + 1) * size] for k in range(len(draws))]
