"""Member states as the demo sees them: their share of cases, authorities, courts and places,
and the roles of the people who record steps.

Weights are rough shares of applications; places and authorities are real names, the officers
are not (ids like `it-cw-07`).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The officers of a case, by their unit. Dublin-unit and return officers act in the role of case
#: workers (`ledger.authorization.policy`); DU and RO name their units, not roles.
SO, CW, DM, AB, DU, RO = (
    "SCREENING_OFFICER", "CASE_WORKER", "DECISION_MAKER", "APPEAL_BODY", "DUBLIN_UNIT",
    "RETURN_OFFICER",
)
#: The member state's independent fundamental-rights monitoring mechanism (Screening Art 10).
FM = "FUNDAMENTAL_RIGHTS_MONITOR"


@dataclass(frozen=True)
class MemberStateProfile:
    """A member state's share of cases, its authorities and where people arrive or apply."""

    weight: int
    region: str  # which mix of nationalities arrives (`nationalities.ARRIVALS`)
    police: str  # screens, returns
    asylum: str  # registers, examines, decides; also issues return decisions
    courts: tuple[str, ...]
    airport: str
    inland: tuple[str, ...]  # where people apply or are found within the territory
    sea: tuple[str, ...] = ()  # disembarkation points (search and rescue)
    land: tuple[str, ...] = ()  # external land border

    @property
    def external_border(self) -> bool:
        return bool(self.sea or self.land)


def _s(weight: int, region: str, police: str, asylum: str, courts: str, airport: str,
       inland: str, sea: str = "", land: str = "") -> MemberStateProfile:
    """A profile from `;`-separated lists."""
    def items(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split(";") if part.strip())
    return MemberStateProfile(weight, region, police, asylum, items(courts), airport,
                              items(inland), items(sea), items(land))


STATES = {
    "IT": _s(17, "cmed", "Polizia di Stato", "Ministry of the Interior",
             "Tribunale di Catania; Tribunale di Palermo; Tribunale di Roma",
             "Rome Fiumicino airport", "Questura di Roma; Questura di Milano",
             sea="Lampedusa hotspot; Pozzallo hotspot; Port of Reggio Calabria",
             land="Trieste, border with Slovenia"),
    "EL": _s(14, "emed", "Hellenic Police", "Asylum Service",
             "Appeals Authority Athens; Appeals Authority Piraeus", "Athens airport",
             "Regional Asylum Office Attica",
             sea="Lesvos CCAC; Samos CCAC; Kos CCAC; Agyia, Crete", land="Fylakio RIC, Evros"),
    "ES": _s(13, "wmed", "Policia Nacional", "Oficina de Asilo y Refugio",
             "Audiencia Nacional; Tribunal Superior de Justicia de Canarias",
             "Madrid-Barajas airport", "OAR Madrid; Comisaria Barcelona",
             sea="Arguineguin, Gran Canaria; La Restinga, El Hierro; Port of Almeria",
             land="Ceuta; Melilla"),
    "CY": _s(5, "emed", "Cyprus Police", "Asylum Service",
             "International Protection Administrative Court", "Larnaca airport",
             "Asylum Service Nicosia", sea="Port of Larnaca", land="Green Line, Nicosia"),
    "MT": _s(3, "cmed", "Malta Police Force", "International Protection Agency",
             "International Protection Appeals Tribunal", "Malta International Airport",
             "IPA Marsa", sea="Boiler Wharf, Senglea"),
    "BG": _s(5, "land", "Border Police", "State Agency for Refugees",
             "Administrative Court Sofia City; Administrative Court Haskovo", "Sofia airport",
             "Ovcha Kupel, Sofia", land="Elhovo; Kapitan Andreevo"),
    "HR": _s(4, "land", "Border Police", "Ministry of the Interior",
             "Administrative Court Zagreb", "Zagreb airport", "Porin, Zagreb",
             land="Bajakovo; Cetingrad"),
    "PL": _s(2, "land", "Border Guard", "Office for Foreigners", "Refugee Board",
             "Warsaw Chopin airport", "Office for Foreigners Warsaw",
             land="Podlaskie, border with Belarus"),
    "LT": _s(1, "land", "State Border Guard Service", "Migration Department",
             "Vilnius Regional Administrative Court", "Vilnius airport",
             "Pabrade Registration Centre", land="Medininkai"),
    "DE": _s(12, "inland", "Bundespolizei", "BAMF",
             "Verwaltungsgericht Berlin; Verwaltungsgericht Muenchen", "Frankfurt airport",
             "BAMF Ankunftszentrum Berlin; BAMF Ankunftszentrum Giessen; "
             "BAMF Ankunftszentrum Bramsche"),
    "FR": _s(8, "inland", "Police aux frontieres", "OFPRA", "Cour nationale du droit d'asile",
             "Paris-Charles de Gaulle airport", "GUDA Paris; GUDA Lyon; GUDA Marseille"),
    "NL": _s(4, "inland", "Koninklijke Marechaussee", "IND",
             "Rechtbank Den Haag; Rechtbank Amsterdam", "Schiphol airport",
             "Ter Apel application centre"),
    "BE": _s(3, "inland", "Federal Police", "CGRS", "Council for Alien Law Litigation",
             "Brussels airport", "Petit-Chateau, Brussels"),
    "AT": _s(3, "inland", "Federal Police", "BFA", "Bundesverwaltungsgericht", "Vienna airport",
             "Traiskirchen"),
    "SE": _s(2, "inland", "Polisen", "Migrationsverket",
             "Migration Court Stockholm; Migration Court Malmo", "Stockholm Arlanda airport",
             "Migrationsverket Marsta"),
    "IE": _s(1, "inland", "Garda National Immigration Bureau", "International Protection Office",
             "International Protection Appeals Tribunal", "Dublin airport", "IPO Dublin"),
    "PT": _s(1, "inland", "Policia de Seguranca Publica", "AIMA",
             "Tribunal Administrativo de Lisboa", "Lisbon airport", "AIMA Lisboa"),
}
STATE_WEIGHTS = {code: profile.weight for code, profile in STATES.items()}

#: Under migratory pressure (Commission Implementing Decision (EU) 2025/2323): they benefit from
#: relocation (AMMR Art 58) and are where a crisis is declared in the demo.
BENEFITING = ("IT", "EL", "ES", "CY")
#: Member states that take relocated applicants, weighted by the demo's pledges.
RELOCATION_TAKERS = {"FR": 5, "DE": 4, "PT": 3, "IE": 2, "LU": 2, "FI": 2, "BE": 2, "NL": 2,
                     "SI": 1, "RO": 1}
#: Where an earlier Eurodac record (a hit) was made: first entry, or an earlier application.
FIRST_ENTRY = {"IT": 6, "EL": 5, "ES": 4, "BG": 3, "HR": 3, "MT": 1, "CY": 1, "PL": 1}
EARLIER_APPLICATION = {"DE": 5, "AT": 3, "FR": 3, "IT": 2, "EL": 2, "BE": 2, "NL": 2, "SE": 1,
                       "HR": 1, "BG": 1}
#: Where family members live: the target of take charge requests on family criteria.
FAMILY_IN = {"DE": 6, "FR": 4, "SE": 3, "NL": 3, "BE": 2, "AT": 2, "IT": 1}
