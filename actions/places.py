"""Turns what a customer calls a place ("nyc", "Boston", "heathrow", "bostn", "LHR") into an IATA
airport or city code, checked against the flights API's place data."""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import airportsdata
from babel import Locale

from .clients import VendorError
from .clients.flights import FlightsClient, Place

LOOKUP_FILE = Path(__file__).resolve().parent.parent / "data" / "lookups" / "places.yml"

# What people call places that the airport data does not name that way.
ALIASES = {
    "nyc": "NYC", "ny": "NYC", "new york city": "NYC", "big apple": "NYC", "manhattan": "NYC",
    "la": "QLA", "l a": "QLA", "los angeles": "QLA", "sf": "SFO", "san fran": "SFO", "frisco": "SFO",
    "bay area": "QSF", "dc": "WAS", "washington dc": "WAS", "washington d c": "WAS", "d c": "WAS", "vegas": "LAS",
    "philly": "PHL", "nola": "MSY", "salt lake": "SLC", "slc": "SLC", "chi town": "CHI", "chicago": "CHI", "london": "LON",
    "paris": "PAR", "tokyo": "TYO", "rome": "ROM", "milan": "MIL", "sao paulo": "SAO",
    "heathrow": "LHR", "gatwick": "LGW", "stansted": "STN", "luton": "LTN", "jfk airport": "JFK",
    "laguardia": "LGA", "la guardia": "LGA", "newark": "EWR", "logan": "BOS", "ohare": "ORD",
    "o hare": "ORD", "midway": "MDW", "dulles": "IAD", "reagan": "DCA", "schiphol": "AMS",
    "charles de gaulle": "CDG", "cdg": "CDG", "orly": "ORY", "fiumicino": "FCO", "barajas": "MAD",
    "narita": "NRT", "haneda": "HND", "ciampino": "CIA", "malpensa": "MXP", "linate": "LIN", "el prat": "BCN",
    "incheon": "ICN", "gimpo": "GMP", "kansai": "KIX", "itami": "ITM", "changi": "SIN", "sea tac": "SEA", "seatac": "SEA",
    "love field": "DAL", "kastrup": "CPH", "arlanda": "ARN", "gardermoen": "OSL", "vantaa": "HEL", "zaventem": "BRU",
    "toronto": "YTO", "montreal": "YMQ", "seoul": "SEL", "osaka": "OSA", "beijing": "BJS",
    "shanghai": "SHA", "stockholm": "STO", "moscow": "MOW", "rio": "RIO", "buenos aires": "BUE",
    "houston": "HOU", "detroit": "DTT", "miami": "QMI", "mexico city": "MEX", "hong kong": "HKG",
    # the names the cities have in their own language, or in a neighbour's
    "milano": "MIL", "roma": "ROM", "lisboa": "LIS", "lisbona": "LIS", "londres": "LON", "londra": "LON", "parigi": "PAR",
    "firenze": "FLR", "venezia": "VCE", "napoli": "NAP", "torino": "TRN", "munchen": "MUC", "muenchen": "MUC",
    "koln": "CGN", "wien": "VIE", "praha": "PRG", "praga": "PRG", "warszawa": "WAW", "varsovia": "WAW", "atenas": "ATH",
    "atene": "ATH", "bruxelles": "BRU", "brussel": "BRU", "geneve": "GVA", "ginevra": "GVA", "berlino": "BER",
    "madri": "MAD", "barcellona": "BCN", "nova iorque": "NYC", "nueva york": "NYC", "oporto": "OPO",
}
# The airport a name means when nothing else is said: the main one of the cities that have several,
# and the city customers mean when other, smaller places share its name ("naples" is Italy's, not
# Florida's) or when the airport data spells the city otherwise ("venice" is "Venezia"). A region
# said with the name still picks the other one ("barcelona venezuela").
MAIN_AIRPORTS = {
    "dallas": "DFW", "seattle": "SEA", "orlando": "MCO", "columbus": "CMH", "omaha": "OMA",
    "istanbul": "IST", "doha": "DOH", "brussels": "BRU", "warsaw": "WAW", "copenhagen": "CPH",
    "hamburg": "HAM", "lyon": "LYS", "madison": "MSN", "charleston": "CHS", "kansas city": "MCI",
    "delhi": "DEL", "new delhi": "DEL", "bombay": "BOM", "dubai": "DXB", "frankfurt": "FRA",
    "barcelona": "BCN", "valencia": "VLC", "naples": "NAP", "venice": "VCE", "florence": "FLR",
    "turin": "TRN", "seville": "SVQ", "sevilla": "SVQ", "palma": "PMI", "faro": "FAO", "berlin": "BER",
    "krakow": "KRK", "cracow": "KRK", "bucharest": "OTP", "stuttgart": "STR", "newcastle": "NCL",
    "vancouver": "YVR", "quebec": "YQB", "quebec city": "YQB", "oakland": "OAK", "cincinnati": "CVG",
    "maui": "OGG", "panama": "PTY", "guatemala": "GUA", "guatemala city": "GUA", "aruba": "AUA",
    "medellin": "MDE", "cabo": "SJD", "los cabos": "SJD", "goa": "GOI", "maldives": "MLE",
    "bangkok": "BKK", "bali": "DPS", "denpasar": "DPS", "saigon": "SGN", "jakarta": "CGK", "melbourne": "MEL",
    # Cities whose airports the data does not call international, so the generated place list
    # leaves them out: the names customers use for them.
    "cork": "ORK", "shannon": "SNN", "leeds": "LBA", "leeds bradford": "LBA",
    "inverness": "INV", "southampton": "SOU", "bournemouth": "BOH", "guernsey": "GCI",
    "isle of man": "IOM", "bilbao": "BIO", "malaga": "AGP", "ibiza": "IBZ", "menorca": "MAH",
    "minorca": "MAH", "lanzarote": "ACE", "fuerteventura": "FUE", "gran canaria": "LPA", "las palmas": "LPA",
    "funchal": "FNC", "madeira": "FNC", "ponta delgada": "PDL", "azores": "PDL", "bordeaux": "BOD",
    "toulouse": "TLS", "nantes": "NTE", "marseille": "MRS", "nice": "NCE", "montpellier": "MPL",
    "strasbourg": "SXB", "biarritz": "BIQ", "ajaccio": "AJA", "bastia": "BIA", "bologna": "BLQ",
    "verona": "VRN", "genoa": "GOA", "brindisi": "BDS", "catania": "CTA", "palermo": "PMO",
    "cagliari": "CAG", "olbia": "OLB", "trieste": "TRS", "salzburg": "SZG", "innsbruck": "INN",
    "graz": "GRZ", "linz": "LNZ", "basel": "BSL", "bern": "BRN", "lugano": "LUG", "gdansk": "GDN",
    "wroclaw": "WRO", "poznan": "POZ", "split": "SPU", "dubrovnik": "DBV", "zadar": "ZAD", "pula": "PUY",
    "corfu": "CFU", "rhodes": "RHO", "chania": "CHQ", "santorini": "JTR", "mykonos": "JMK",
    "zakynthos": "ZTH", "zante": "ZTH", "edinburgh": "EDI", "liverpool": "LPL", "east midlands": "EMA",
    "bergen": "BGO", "stavanger": "SVG", "trondheim": "TRD", "tromso": "TOS", "malmo": "MMX",
    "aarhus": "AAR", "billund": "BLL", "tampere": "TMP", "turku": "TKU", "tallinn": "TLL", "sofia": "SOF",
    "varna": "VAR", "burgas": "BOJ", "cluj": "CLJ", "timisoara": "TSR", "belgrade": "BEG",
    "podgorica": "TGD", "tivat": "TIV", "ljubljana": "LJU", "zagreb": "ZAG", "prague": "PRG", "brno": "BRQ",
    "bratislava": "BTS", "kosice": "KSC", "cologne": "CGN", "koln": "CGN", "hanover": "HAJ",
    "hannover": "HAJ", "nuremberg": "NUE", "dresden": "DRS", "leipzig": "LEJ", "bremen": "BRE",
    "dortmund": "DTM", "eindhoven": "EIN", "rotterdam": "RTM", "groningen": "GRQ", "charleroi": "CRL",
    "liege": "LGG", "marrakech": "RAK", "marrakesh": "RAK", "agadir": "AGA", "fez": "FEZ", "tangier": "TNG",
    "sharm": "SSH", "curacao": "CUR", "bermuda": "BDA", "aspen": "ASE", "vail": "EGE", "jackson hole": "JAC",
    "burbank": "BUR", "long beach": "LGB", "boise": "BOI", "kona": "KOA", "kauai": "LIH", "lihue": "LIH",
    "hilton head": "HHH", "asheville": "AVL", "knoxville": "TYS", "chattanooga": "CHA", "destin": "VPS",
    "sarasota": "SRQ", "daytona": "DAB",
}
KNOWN_NAMES = {**ALIASES, **MAIN_AIRPORTS}  # every name the two tables know, for the NLU's place list
# Other names customers use for a country when they answer "which one?".
# US states by their postal codes, as customers write them after a city ("rochester ny", "Portland OR").
US_STATES = dict(zip(
    "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or pa ri sc sd "
    "tn tx ut vt va wa wv wi wy dc".split(),
    ["alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii",
     "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan",
     "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "new hampshire", "new jersey", "new mexico", "new york",
     "north carolina", "north dakota", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina",
     "south dakota", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming",
     "district of columbia"]))
# Codes that are everyday words too: a state only in capitals ("Portland OR", not "portland or seattle").
WORDY_STATES = frozenset("al hi id in la me ok or oh pa de co ma mo ne ga tx nm md mt".split())  # words, or texting ("tx": thanks)
COUNTRY_ALIASES = {"GB": "uk britain england scotland wales", "US": "usa us america states", "AE": "uae emirates"}
NOISE = re.compile(r"\b(the|airport|airports|international|intl|int'l|city of|area)\b")


@dataclass(frozen=True)
class Resolution:
    """A place we are sure of, or the candidates to ask the customer about, or neither."""

    place: Optional[Place] = None
    candidates: Tuple[Place, ...] = field(default_factory=tuple)

    @property
    def ambiguous(self) -> bool:
        return self.place is None and len(self.candidates) > 1


def normalise(text: str) -> str:
    text = text.lower().replace("'", "").replace(".", " ")
    text = re.sub(r"[^a-z0-9\s-]", " ", text)
    text = NOISE.sub(" ", text)
    return re.sub(r"[\s-]+", " ", text).strip()


@lru_cache(maxsize=1)
def known_names() -> Tuple[str, ...]:
    """City names and codes from the generated lookup table, for matching typos."""
    if not LOOKUP_FILE.exists():
        return tuple(ALIASES)
    lines = LOOKUP_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip()[2:] for line in lines if line.startswith("      - "))


# Fields that serve no airline passengers: an air force academy's airfield is not where a customer flies to.
NOT_FOR_PASSENGERS = re.compile(r"\b(usaf|air force|afb|air base|arb|naval|nas|army|heliport|seaplane)\b", re.I)


def _is_major(place: Place) -> bool:
    return place.type == "city" or "international" in place.name.lower()


def _is_the_city_s_own(place: Place) -> bool:
    """ "Dublin Airport" in Dublin: the airport named after its city alone."""
    return normalise(place.name) == normalise(place.city_name or "") != ""


def _bears_the_city_s_name(place: Place) -> bool:
    city = normalise(place.city_name or "")
    return bool(city) and f" {city} " in f" {normalise(place.name)} "


def _main_ones(group: List[Place]) -> List[Place]:
    """The airports of a group a customer most likely means: the international ones; else, when one
    is the city's own airport ("Dublin Airport"), the ones bearing the city's name, not the small
    fields there named after a person or a valley; never a military field while an airport for
    passengers is there."""
    served = [p for p in group if not NOT_FOR_PASSENGERS.search(p.name)] or group
    majors = [p for p in served if _is_major(p)]
    if majors:
        return majors
    if any(_is_the_city_s_own(p) for p in served):
        return [p for p in served if _bears_the_city_s_name(p)]
    return served


def _pick(query: str, places: List[Place]) -> Resolution:
    code = query.upper()
    exact_code = [p for p in places if p.iata_code == code and len(query) == 3]
    if exact_code:
        return Resolution(place=exact_code[0])
    cities = [p for p in places if p.type == "city" and p.name.lower() == query]
    if cities:
        return Resolution(place=cities[0])
    in_city = [p for p in places if p.type == "airport" and (p.city_name or "").lower() == query]
    named = [p for p in places if p.type == "airport" and re.search(rf"\b{re.escape(query)}\b", normalise(p.name))]
    for group in (in_city, named):
        majors = _main_ones(group)
        if len(majors) == 1:
            return Resolution(place=majors[0])
        if majors:
            return Resolution(candidates=tuple(majors[:4]))
    return Resolution()


def resolve_place(text: str, flights: FlightsClient, *, typo: bool = True, main: bool = True) -> Resolution:
    """The place a customer means, asking the flights API's place suggestions; a name it does not
    know is tried once more as the closest known city name (a typo). `main=False` keeps every place
    of a shared name, for the customer's region to choose from."""
    query = normalise(text or "")
    if len(query) < 2:
        return Resolution()
    code = ALIASES.get(query) or (MAIN_AIRPORTS.get(query) if main else None)
    if code:
        query = code.lower()
    resolution = _pick(query, flights.suggest_places(query))
    if resolution.place or resolution.candidates:
        return resolution
    close = difflib.get_close_matches(query, known_names(), n=1, cutoff=0.8)
    if typo and close and close[0] != query:
        return resolve_place(close[0], flights, typo=False, main=main)
    return resolution


def resolve_with_region(text: str, flights: FlightsClient) -> Optional[Resolution]:
    """ "portland oregon", "birmingham uk": a place name followed by its state or country; None
    when the words are not that."""
    words = normalise(text).split()
    for cut in range(len(words) - 1, 0, -1):
        name, where = " ".join(words[:cut]), set(words[cut:])
        found = resolve_place(name, flights, main=False)
        fitting = [p for p in found.candidates or ((found.place,) if found.place else ()) if _in_region(p, where)]
        if not fitting and (found.place or found.candidates):  # "columbus georgia": the smaller airport of that name there
            fitting = _main_ones([p for p in flights.suggest_places(normalise(name))
                                  if p.type == "airport" and normalise(p.city_name or "") == normalise(name) and _in_region(p, where)])
        if len(fitting) > 1:  # "manchester uk": the city's own airport, or the name's main one
            main = MAIN_AIRPORTS.get(name, "")
            fitting = [p for p in fitting if p.iata_code == main] or [p for p in fitting if _is_the_city_s_own(p)]
        if len(fitting) == 1:
            return Resolution(place=fitting[0])
    return None


def namesakes_at_home(text: str, place: Place, home: Optional[str], flights: FlightsClient) -> Tuple[Place, ...]:
    """ "melbourne" from Atlanta: the name's main airport is in Australia, but a Melbourne in the
    United States is one the customer may well mean. Both, to ask, when the main one is in another
    country than `home` (the other end of the trip, as said or as a code) and a namesake is in that
    country; else ()."""
    name = normalise(text)
    if name not in MAIN_AIRPORTS and name not in ALIASES or not home:
        return ()
    at_home = resolve_place(home, flights).place
    country = at_home.country if at_home else ""
    if not country or place.country == country:
        return ()
    local = [p for p in flights.suggest_places(name) if p.type == "airport" and normalise(p.city_name or "") == name
             and p.country == country and (_is_the_city_s_own(p) if name not in MAIN_AIRPORTS else _is_major(p) or _is_the_city_s_own(p))
             and not NOT_FOR_PASSENGERS.search(p.name)]  # London, Ontario's own airport; not Griffiss International in Rome, New York
    return (place, *local[:3]) if local else ()


def regions_said(text: str) -> List[str]:
    """The state or country a message names as where a place is ("ok she's in georgia", "florida lol",
    "the one in spain"): after "in" or opening the message; not a name ("my daughter georgia is 7")."""
    match = _region_pattern().search(normalise(text))
    return [match.group("region")] if match else []


@lru_cache(maxsize=1)
def _region_pattern() -> re.Pattern:
    names = sorted((name for name in known_regions() if len(name) > 3 and name not in ("states", "america")), key=len, reverse=True)
    filler = r"(?:(?:ok|okay|oh|ah|no|yes|yeah|sorry|lol|the|one|it\s?s|its)\s+)*"
    return re.compile(rf"(?:^{filler}|\bin\s+(?:the\s+)?)(?P<region>{'|'.join(re.escape(n) for n in names)})\b")


def _in_region(place: Place, where: set) -> bool:
    return any(set(n.split()) <= where for n in region_names(place))


def describe(place: Place) -> str:
    """'New York (all airports: JFK, LGA, EWR)', 'Boston (BOS)'."""
    if place.type == "city":
        return f"{place.name} (all airports: {', '.join(place.airports)})"
    return f"{place.city_name or place.name} ({place.iata_code})"


def name_of(code: str, flights: FlightsClient) -> str:
    """A place's name for the customer ("Boston (BOS)"); the code itself when the flight
    system cannot be asked, so a suggestion never fails for want of a name."""
    try:
        found = resolve_place(code, flights)
    except VendorError:
        return code
    return describe(found.place) if found.place else code


@lru_cache(maxsize=1)
def _airports() -> dict:
    return airportsdata.load("IATA")


def airport_city(code: str) -> str:
    """The city an airport serves, as the airport data names it ("LHR": "London"); "" if unknown."""
    return str((_airports().get(code.upper()) or {}).get("city") or "")


def region(place: Place) -> str:
    """Where a place is, as customers tell same-named places apart: "Oregon, United States"."""
    code = place.airports[0] if place.type == "city" and place.airports else place.iata_code
    row = _airports().get(code) or {}
    country = Locale("en").territories.get(row.get("country") or place.country or "", "")
    return ", ".join(part for part in (row.get("subd"), country) if part)


@lru_cache(maxsize=1)
def known_regions() -> frozenset:
    """Every state and country name an airport is in, and the countries' other names, lower case."""
    names = {row["subd"].lower() for row in _airports().values() if row.get("subd")}
    names |= {name.lower() for name in Locale("en").territories.values()}
    return frozenset(names | {alias for aliases in COUNTRY_ALIASES.values() for alias in aliases.split()})


def with_region(place: str, text: str) -> str:
    """ "portland" as said in "portland oregon dec 17" or "Portland OR": "portland oregon"; else the place alone."""
    match = re.search(rf"\b{re.escape(place)}\b[\s,]+((?:[a-z]+\s*){{1,3}})", text.lower())
    if not match:
        return place
    state = match.group(1).split()[0]
    said = text[match.start(1):match.start(1) + 2]
    if state in US_STATES and (state not in WORDY_STATES or said.isupper()):
        return f"{place} {US_STATES[state]}"
    words = match.group(1).split()
    for size in range(len(words), 0, -1):
        if " ".join(words[:size]) in known_regions():
            return f"{place} {' '.join(words[:size])}"
    return place


def region_names(place: Place) -> List[str]:
    """The names that pick this place out among others of its name: state, country, the country's
    other names ("oregon", "united states", "usa")."""
    code = place.airports[0] if place.type == "city" and place.airports else place.iata_code
    row = _airports().get(code) or {}
    country = row.get("country") or place.country or ""
    names = [row.get("subd") or "", Locale("en").territories.get(country, "")] + COUNTRY_ALIASES.get(country, "").split()
    state = (row.get("subd") or "").lower()
    names += [code for code, name in US_STATES.items() if country == "US" and name == state and code not in WORDY_STATES]  # "sc"
    return [name.lower() for name in names if name]


NEAR_KM = 250


@lru_cache(maxsize=1)
def _by_city() -> dict:
    """The first airport with an FAA id listed for each city name, lower case."""
    rows: dict = {}
    for row in _airports().values():
        if row.get("lid"):
            rows.setdefault(str(row.get("city") or "").lower(), row)
    return rows


def _point(said: str) -> Optional[Tuple[float, float]]:
    """Where a place is (latitude, longitude): an airport code, or a name that means one airport."""
    key = normalise(said)
    code = ALIASES.get(key) or MAIN_AIRPORTS.get(key) or key.upper()
    city = next((name for name, alias in ALIASES.items() if alias == code and name in _by_city()), key)  # "CHI": chicago's
    row = _airports().get(code) or _by_city().get(key) or _by_city().get(city)
    return (row["lat"], row["lon"]) if row else None


def _km(a: Tuple[float, float], b: Tuple[float, float]) -> float:
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, point)) for point in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def nearby_slot(said: str, places: Dict[str, str]) -> Optional[str]:
    """Of the trip's places (slot: code), the one a new place lies next to ("no wait, oakland" for a
    trip from SFO): that is the one it stands in for. None when it is near neither or both."""
    new = _point(said)
    if new is None:
        return None
    near = [slot for slot, code in places.items() if code and (point := _point(code)) and _km(new, point) <= NEAR_KM]
    return near[0] if len(near) == 1 else None
