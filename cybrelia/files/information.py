"""The information fields of a scenario: how warnings reach people and what they do.

Every field is optional and documented, with its source, in
``docs/information.md``; a scenario without an ``information`` block gets the
defaults below.  The exercise layer reads them
(:mod:`cybrelia.exercise.channels`, :mod:`cybrelia.exercise.orders`,
:mod:`cybrelia.exercise.rumours`); the engine does not.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from cybrelia.files.model import Duration

__all__ = ["CHANNELS", "TONES", "InformationSettings", "Share"]

#: The channels a message can go out on (docs/information.md, section 2).
CHANNELS = ("rcb_alert", "sirens", "radio", "web", "loudspeaker", "door_to_door", "parish")
#: What sirens can say: tones only (the 3-minute modulated alarm, the 3-minute steady
#: all clear, the 1-minute steady exercise signal).
TONES = ("alarm", "all_clear", "exercise")

Share = Annotated[float, Field(ge=0.0, le=1.0)]
HourOfDay = Annotated[float, Field(ge=0.0, lt=24.0)]


class InformationSettings(BaseModel):
    """Channels, trust and behaviour rates of a scenario (``docs/information.md``)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    alert_delay: Duration = 0.5
    """Hours from the gmina's request (through the voivode's WCZK) to RCB's Alert RCB."""
    radio_audience: Share = 0.3
    web_audience: Share = 0.3
    loudspeaker_share: Share = 0.6
    loudspeaker_hours: Duration = 0.5
    """Hours a loudspeaker car needs to drive through 1,000 residents' streets."""
    aid_visits: Share = 0.05
    """Share of the residents not yet there who come by an open aid point each hour."""
    door_share: Share = 0.9
    visits_per_hour: float = Field(default=6.0, gt=0.0)
    household_size: float = Field(default=2.5, gt=0.0)
    parish_share: Share = 0.1
    parish_sunday_share: Share = 0.29
    parish_times: list[HourOfDay] = Field(default_factory=lambda: [7.0, 18.0], min_length=1)
    seek_hours: Duration = 1.0
    """Hours after an alarm tone during which its hearers look for information."""
    trust: Share = 0.6
    trust_loss: Share = 0.3
    """Share of trust lost in a district where an official message turned out wrong."""
    silence_hours: Duration = 6.0
    silence_gain: float = Field(default=2.0, ge=1.0, le=10.0)
    restriction_cut: Share = 0.2
    """Share of water demand a complying household cuts under a water-use restriction."""
    compliance: Share = 0.7
    evacuation_uptake: Share = 0.8
    panic_fuel_l: float = Field(default=40.0, ge=0.0)
    """Litres a household believing a ``panic_buying_fuel`` claim buys (a tank and a can)."""
    shop_water_l: float = Field(default=3.0, ge=0.0)
    """Bottled water in a district's shops, litres per resident."""
    bottled_l: float = Field(default=9.0, ge=0.0)
    """Litres a resident believing a ``bottled_water_run`` claim buys (3 days at 3 l)."""
    jam_callers: int = Field(default=200, ge=1)
    """Believers of ``jam_duty_phone`` claims whose calls keep the duty phone busy."""
    crowd_size: int = Field(default=50, ge=1)
    """Believers of a ``crowd_at_bridge`` claim whose crowd blocks its road or bridge."""
    crowd_hours: Duration = 3.0
    """Hours a believer of a ``crowd_at_bridge`` claim waits at its place before going home."""
    stock_up: Share = 0.5
    """Share of informed unprepared residents who stock up before a forecast hazard."""
    neighbour_help: Share = 0.5
    """Share of the vulnerable a complying neighbour keeps from harm (a shelter, a call)."""
