"""The one list of capabilities an exercise objective names: FEMA's 32 core capabilities.

The National Preparedness Goal (FEMA, 2nd edition 2015) lists 32 core
capabilities across five mission areas; HSEEP (2020) asks that every exercise
objective be tied to one of them, so that evaluation guides, ratings and
improvement plans line up across exercises of a programme.  Polish names
follow the wording of Polish civil-protection practice (the ustawa o ochronie
ludności i obronie cywilnej of 5 December 2024 and the KG PSP terminology)
where an equivalent exists.

Scenario files name a capability by its id (``infrastructure_systems``) or its
English name, case-insensitively (``Infrastructure systems``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CAPABILITIES", "Capability", "capability_id"]


@dataclass(frozen=True)
class Capability:
    """A core capability: its id, Polish and English names, and mission areas."""

    id: str
    pl: str
    en: str
    areas: tuple[str, ...]

    def name(self, lang: str) -> str:
        """The name in ``lang`` (``pl`` or ``en``)."""
        return self.en if lang == "en" else self.pl


_ALL = ("prevention", "protection", "mitigation", "response", "recovery")

CAPABILITIES: dict[str, Capability] = {
    c.id: c
    for c in (
        Capability("planning", "Planowanie", "Planning", _ALL),
        Capability(
            "public_information_and_warning",
            "Informowanie i ostrzeganie ludności",
            "Public information and warning",
            _ALL,
        ),
        Capability(
            "operational_coordination", "Koordynacja działań", "Operational coordination", _ALL
        ),
        Capability(
            "forensics_and_attribution",
            "Ustalanie sprawców i zabezpieczanie dowodów",
            "Forensics and attribution",
            ("prevention",),
        ),
        Capability(
            "intelligence_and_information_sharing",
            "Rozpoznanie i wymiana informacji",
            "Intelligence and information sharing",
            ("prevention", "protection"),
        ),
        Capability(
            "interdiction_and_disruption",
            "Przeciwdziałanie i udaremnianie zagrożeń",
            "Interdiction and disruption",
            ("prevention", "protection"),
        ),
        Capability(
            "screening_search_and_detection",
            "Kontrola, przeszukiwanie i wykrywanie",
            "Screening, search, and detection",
            ("prevention", "protection"),
        ),
        Capability(
            "access_control_and_identity_verification",
            "Kontrola dostępu i weryfikacja tożsamości",
            "Access control and identity verification",
            ("protection",),
        ),
        Capability("cybersecurity", "Cyberbezpieczeństwo", "Cybersecurity", ("protection",)),
        Capability(
            "physical_protective_measures",
            "Fizyczna ochrona obiektów",
            "Physical protective measures",
            ("protection",),
        ),
        Capability(
            "risk_management_for_protection",
            "Zarządzanie ryzykiem w programach ochrony",
            "Risk management for protection programs and activities",
            ("protection",),
        ),
        Capability(
            "supply_chain_integrity_and_security",
            "Integralność i bezpieczeństwo łańcucha dostaw",
            "Supply chain integrity and security",
            ("protection",),
        ),
        Capability(
            "community_resilience",
            "Odporność społeczności lokalnej",
            "Community resilience",
            ("mitigation",),
        ),
        Capability(
            "long_term_vulnerability_reduction",
            "Długofalowe ograniczanie podatności",
            "Long-term vulnerability reduction",
            ("mitigation",),
        ),
        Capability(
            "risk_and_disaster_resilience_assessment",
            "Ocena ryzyka i odporności na katastrofy",
            "Risk and disaster resilience assessment",
            ("mitigation",),
        ),
        Capability(
            "threats_and_hazards_identification",
            "Identyfikacja zagrożeń",
            "Threats and hazards identification",
            ("mitigation",),
        ),
        Capability(
            "critical_transportation",
            "Transport w sytuacji kryzysowej",
            "Critical transportation",
            ("response",),
        ),
        Capability(
            "environmental_response_health_and_safety",
            "Ochrona środowiska, zdrowia i bezpieczeństwa ratowników",
            "Environmental response/health and safety",
            ("response",),
        ),
        Capability(
            "fatality_management_services",
            "Postępowanie ze zwłokami ofiar",
            "Fatality management services",
            ("response",),
        ),
        Capability(
            "fire_management_and_suppression",
            "Gaszenie pożarów",
            "Fire management and suppression",
            ("response",),
        ),
        Capability(
            "logistics_and_supply_chain_management",
            "Logistyka i zaopatrzenie",
            "Logistics and supply chain management",
            ("response",),
        ),
        Capability(
            "mass_care_services",
            "Pomoc doraźna dla ludności (schronienie, żywność, woda)",
            "Mass care services",
            ("response",),
        ),
        Capability(
            "mass_search_and_rescue_operations",
            "Poszukiwanie i ratownictwo",
            "Mass search and rescue operations",
            ("response",),
        ),
        Capability(
            "on_scene_security_protection_and_law_enforcement",
            "Bezpieczeństwo i porządek publiczny na miejscu zdarzenia",
            "On-scene security, protection, and law enforcement",
            ("response",),
        ),
        Capability(
            "operational_communications",
            "Łączność operacyjna",
            "Operational communications",
            ("response",),
        ),
        Capability(
            "public_health_healthcare_and_ems",
            "Zdrowie publiczne, opieka zdrowotna i ratownictwo medyczne",
            "Public health, healthcare, and emergency medical services",
            ("response",),
        ),
        Capability(
            "situational_assessment", "Ocena sytuacji", "Situational assessment", ("response",)
        ),
        Capability(
            "infrastructure_systems",
            "Systemy infrastruktury krytycznej",
            "Infrastructure systems",
            ("response", "recovery"),
        ),
        Capability("economic_recovery", "Odbudowa gospodarki", "Economic recovery", ("recovery",)),
        Capability(
            "health_and_social_services",
            "Usługi zdrowotne i pomoc społeczna",
            "Health and social services",
            ("recovery",),
        ),
        Capability("housing", "Mieszkalnictwo", "Housing", ("recovery",)),
        Capability(
            "natural_and_cultural_resources",
            "Zasoby przyrodnicze i dziedzictwo kulturowe",
            "Natural and cultural resources",
            ("recovery",),
        ),
    )
}

_BY_NAME = {c.en.lower(): c.id for c in CAPABILITIES.values()} | {
    "mass care": "mass_care_services",
    "logistics and supply chain": "logistics_and_supply_chain_management",
}


def capability_id(name: str) -> str | None:
    """The id of a capability named by id or English name (any case); None if unknown."""
    key = name.strip().lower()
    if key in CAPABILITIES:
        return key
    return _BY_NAME.get(key)
