"""Who has been told what: messages, their reach, the informed share per district and topic.

A message reaches a share of each district it is sent to, computed from the
live state when it is delivered (:mod:`cybrelia.exercise.channels`).  The
informed share of a topic in a district combines the messages on that topic
as independent draws: ``1 - prod(1 - reach)`` (docs/information.md, section 3),
so repeating a message on the same channel informs more people but never more
than everyone.  This module keeps that state and answers the questions the
behaviours, the rumour model, the console and the report ask of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from cybrelia.files.information import TONES, InformationSettings
from cybrelia.files.model import District

__all__ = ["Information", "Message"]


@dataclass
class Message:
    """One message on one channel: what it said and whom it reached, by district."""

    id: str
    channel: str
    topic: str
    sent_at: float
    districts: tuple[str, ...]
    reached: dict[str, int] = field(default_factory=dict)
    """People reached, by district, once delivered there."""
    delivered_at: float | None = None

    def people(self) -> int:
        """People it reached, over its districts."""
        return sum(self.reached.values())


class Information:
    """The informed shares, trust and official silence of each district.

    Parameters
    ----------
    districts
        The model's districts, by id.
    settings
        The scenario's information fields.
    """

    def __init__(self, districts: dict[str, District], settings: InformationSettings) -> None:
        self.districts = districts
        self.settings = settings
        self.messages: dict[str, Message] = {}
        self.trust: dict[str, float] = dict.fromkeys(sorted(districts), settings.trust)
        self._informed: dict[tuple[str, str], float] = {}
        self._by_channel: dict[tuple[str, str, str], float] = {}
        #: Called before any change, with its time (the rumours catch up to it first).
        self.before_change: Callable[[float], None] = _nothing
        self._alarm: dict[str, tuple[float, float]] = {}
        self._last_word: dict[str, float] = {}
        #: Incremented at every change, so that readers can tell their view is stale.
        self.version = 0

    # --- inputs -------------------------------------------------------------------

    def reach(self, message: Message, district: str, share: float, t: float) -> int:
        """Record that ``message`` reached ``share`` of ``district`` at ``t``; return people."""
        self.before_change(t)
        self.version += 1
        share = min(1.0, max(0.0, share))
        people = math.floor(self.districts[district].population * share + 0.5)
        message.reached[district] = message.reached.get(district, 0) + people
        if message.topic in TONES:
            if message.topic == "alarm":
                self._alarm[district] = (t, share)
            return people
        channel = (message.topic, district, message.channel)
        self._by_channel[channel] = max(self._by_channel.get(channel, 0.0), share)
        left = 1.0
        for (topic, where, _), reached in self._by_channel.items():
            if topic == message.topic and where == district:
                left *= 1.0 - reached
        self._informed[(message.topic, district)] = 1.0 - left
        if share > 0:
            self._last_word[district] = t
        return people

    def discredit(self, district: str, t: float) -> None:
        """An official message turned out wrong in ``district`` at ``t``: trust falls."""
        self.before_change(t)
        self.version += 1
        self.trust[district] *= 1.0 - self.settings.trust_loss

    # --- figures ------------------------------------------------------------------

    def informed(self, topic: str, district: str) -> float:
        """Share of the district told about ``topic`` so far."""
        return self._informed.get((topic, district), 0.0)

    def informed_people(self, topic: str) -> dict[str, int]:
        """People told about ``topic``, by district (halves up)."""
        return {
            district_id: math.floor(district.population * self.informed(topic, district_id) + 0.5)
            for district_id, district in sorted(self.districts.items())
        }

    def topics(self) -> list[str]:
        """Every topic some message has informed people about, sorted."""
        return sorted({topic for topic, _ in self._informed})

    def alarmed(self, district: str, t: float) -> float:
        """Share of the district that heard an alarm tone in the last ``seek_hours``.

        They look for information: radio and web reach them (section 2).
        """
        heard = self._alarm.get(district)
        if heard is None or t - heard[0] > self.settings.seek_hours + 1e-9:
            return 0.0
        return heard[1]

    def silent_for(self, district: str, t: float) -> float:
        """Hours since an official message with content last reached anyone in the district."""
        last = self._last_word.get(district)
        return math.inf if last is None else t - last

    def silent(self, district: str, t: float) -> bool:
        """Whether the district is in information silence (rumours grow faster)."""
        return self.silent_for(district, t) >= self.settings.silence_hours - 1e-9


def _nothing(t: float) -> None:
    """No rumour to bring up to ``t``."""
