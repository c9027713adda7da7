"""Airports, metropolitan city codes and airlines.

Airports come from the `airportsdata` package (IATA code, name, city, country, coordinates, time
zone). Metropolitan codes (NYC, LON, ...) and airlines are small tables kept in sandbox/data/.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import airportsdata

DATA_DIR = Path(__file__).parent / "data"
# Airports in the package's data that closed to passengers, which a live flight API no longer lists.
CLOSED = frozenset({"TXL", "WFD"})


@dataclass(frozen=True)
class Airport:
    iata_code: str
    icao_code: str
    name: str
    city_name: str
    country: str
    latitude: float
    longitude: float
    time_zone: str


@dataclass(frozen=True)
class Metro:
    iata_code: str
    name: str
    country: str
    airports: Tuple[str, ...]


@dataclass(frozen=True)
class Airline:
    iata_code: str
    name: str
    country: str
    hubs: Tuple[str, ...]


@lru_cache(maxsize=1)
def airports() -> Dict[str, Airport]:
    """Airports with scheduled-service IATA codes, keyed by code."""
    result = {}
    for code, row in airportsdata.load("IATA").items():
        if not row.get("tz") or len(code) != 3 or code in CLOSED:
            continue
        result[code] = Airport(
            iata_code=code,
            icao_code=row.get("icao") or "",
            name=row["name"],
            city_name=row.get("city") or row["name"],
            country=row["country"],
            latitude=float(row["lat"]),
            longitude=float(row["lon"]),
            time_zone=row["tz"],
        )
    return result


def _read_csv(name: str) -> List[dict]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def metros() -> Dict[str, Metro]:
    known = airports()
    return {
        row["code"]: Metro(
            iata_code=row["code"],
            name=row["name"],
            country=row["country"],
            airports=tuple(code for code in row["airports"].split() if code in known),
        )
        for row in _read_csv("metro_codes.csv")
    }


@lru_cache(maxsize=1)
def airlines() -> Dict[str, Airline]:
    return {
        row["iata"]: Airline(
            iata_code=row["iata"],
            name=row["name"],
            country=row["country"],
            hubs=tuple(row["hubs"].split()),
        )
        for row in _read_csv("airlines.csv")
    }


def resolve_place(code: str) -> Optional[List[Airport]]:
    """The airports an IATA airport or metropolitan code stands for; None when it is unknown."""
    code = (code or "").strip().upper()
    if code in metros():
        return [airports()[a] for a in metros()[code].airports]
    airport = airports().get(code)
    return [airport] if airport else None


def distance_km(a: Airport, b: Airport) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
