"""The one list of capabilities an exercise objective names: FEMA's 32 core capabilities.

The National Preparedness Goal (FEMA, 2nd edition 2015) lists 32 core
capabilities across five mission areas; HSEEP (2020) asks that every exercise
objective be tied to one of them, so that evaluation guides, ratings and
improvement plans line up across exercises of a programme.  The Polish and English
names are in the catalogue (``capability.<id>``); the Polish follow the wording of
Polish civil-protection practice (the ustawa o ochronie
ludności i obronie cywilnej of 5 December 2024 and the KG PSP terminology)
where an equivalent exists.

Scenario files name a capability by its id (``infrastructure_systems``) or its
English name, case-insensitively (``Infrastructure systems``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cybrelia.i18n import text

__all__ = ["CAPABILITIES", "Capability", "capability_id", "capability_name"]


@dataclass(frozen=True)
class Capability:
    """A core capability: its id and mission areas; its names are in the catalogue."""

    id: str
    areas: tuple[str, ...]

    def name(self, lang: str) -> str:
        """The name in ``lang`` (``pl`` or ``en``), from ``capability.<id>`` of the catalogue."""
        return text(f"capability.{self.id}", lang)


_ALL = ("prevention", "protection", "mitigation", "response", "recovery")

CAPABILITIES: dict[str, Capability] = {
    c.id: c
    for c in (
        Capability("planning", _ALL),
        Capability("public_information_and_warning", _ALL),
        Capability("operational_coordination", _ALL),
        Capability("forensics_and_attribution", ("prevention",)),
        Capability("intelligence_and_information_sharing", ("prevention", "protection")),
        Capability("interdiction_and_disruption", ("prevention", "protection")),
        Capability("screening_search_and_detection", ("prevention", "protection")),
        Capability("access_control_and_identity_verification", ("protection",)),
        Capability("cybersecurity", ("protection",)),
        Capability("physical_protective_measures", ("protection",)),
        Capability("risk_management_for_protection", ("protection",)),
        Capability("supply_chain_integrity_and_security", ("protection",)),
        Capability("community_resilience", ("mitigation",)),
        Capability("long_term_vulnerability_reduction", ("mitigation",)),
        Capability("risk_and_disaster_resilience_assessment", ("mitigation",)),
        Capability("threats_and_hazards_identification", ("mitigation",)),
        Capability("critical_transportation", ("response",)),
        Capability("environmental_response_health_and_safety", ("response",)),
        Capability("fatality_management_services", ("response",)),
        Capability("fire_management_and_suppression", ("response",)),
        Capability("logistics_and_supply_chain_management", ("response",)),
        Capability("mass_care_services", ("response",)),
        Capability("mass_search_and_rescue_operations", ("response",)),
        Capability("on_scene_security_protection_and_law_enforcement", ("response",)),
        Capability("operational_communications", ("response",)),
        Capability("public_health_healthcare_and_ems", ("response",)),
        Capability("situational_assessment", ("response",)),
        Capability("infrastructure_systems", ("response", "recovery")),
        Capability("economic_recovery", ("recovery",)),
        Capability("health_and_social_services", ("recovery",)),
        Capability("housing", ("recovery",)),
        Capability("natural_and_cultural_resources", ("recovery",)),
    )
}


@cache
def _by_name() -> dict[str, str]:
    return {c.name("en").lower(): c.id for c in CAPABILITIES.values()}


def capability_id(name: str) -> str | None:
    """The id of a capability named by id or English name (any case); None if unknown."""
    key = name.strip().lower()
    if key in CAPABILITIES:
        return key
    return _by_name().get(key)


def capability_name(name: str, lang: str) -> str:
    """A capability's name in ``lang``, named by id or English name; as written if unknown."""
    known = capability_id(name)
    return CAPABILITIES[known].name(lang) if known else name
