"""Deterministic flight schedules and fares.

Which airlines fly a route, when, on which flight numbers, how full the plane already is and what a
seat costs are all derived from a stable hash of the route, carrier and date, together with the
great-circle distance and the time of day: the same search gives the same flights on any machine.
Only the seat inventory lives in the database (it changes as orders are made and cancelled).
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, List, Tuple
from zoneinfo import ZoneInfo

from .reference import Airline, Airport, airlines, airports, distance_km

MIN_DISTANCE_KM = 150
MAX_NONSTOP_KM = 15500
CABIN_MULTIPLIER = {"economy": 1.0, "premium_economy": 1.6, "business": 3.4, "first": 5.5}
CABIN_NAMES = {"economy": "Economy", "premium_economy": "Premium Economy", "business": "Business", "first": "First"}
CURRENCY = "USD"
CENT = Decimal("0.01")


def stable_rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


@dataclass(frozen=True)
class Segment:
    carrier: Airline
    flight_number: str
    origin: Airport
    destination: Airport
    departing_at: datetime  # local time at the origin, naive, as Duffel gives it
    arriving_at: datetime  # local time at the destination
    distance_km: float
    capacity: int
    initial_seats: int

    @property
    def duration(self) -> timedelta:
        start = self.departing_at.replace(tzinfo=ZoneInfo(self.origin.time_zone))
        end = self.arriving_at.replace(tzinfo=ZoneInfo(self.destination.time_zone))
        return end - start

    @property
    def flight_key(self) -> str:
        """Identifies this flight on this day: the unit of seat inventory."""
        return f"{self.carrier.iata_code}{self.flight_number}-{self.origin.iata_code}{self.destination.iata_code}-{self.departing_at:%Y%m%d}"


@dataclass(frozen=True)
class Itinerary:
    segments: Tuple[Segment, ...]
    fare: Decimal  # one adult, economy, before cabin multiplier and taxes

    @property
    def owner(self) -> Airline:
        return self.segments[0].carrier

    @property
    def duration(self) -> timedelta:
        first, last = self.segments[0], self.segments[-1]
        start = first.departing_at.replace(tzinfo=ZoneInfo(first.origin.time_zone))
        end = last.arriving_at.replace(tzinfo=ZoneInfo(last.destination.time_zone))
        return end - start


def _block_minutes(km: float) -> int:
    """Gate-to-gate time: taxi and climb plus cruise at about 800 km/h, in 5-minute steps."""
    return int(round((35 + km / 13.3) / 5.0)) * 5


def _carriers(origin: Airport, destination: Airport) -> List[Airline]:
    """Airlines that plausibly fly a route: hub carriers first, then home-country carriers."""
    rng = stable_rng("carriers", origin.iata_code, destination.iata_code)
    every = sorted(airlines().values(), key=lambda a: a.iata_code)
    hub = [a for a in every if origin.iata_code in a.hubs or destination.iata_code in a.hubs]
    national = [a for a in every if a.country in (origin.country, destination.country) and a not in hub]
    rng.shuffle(national)
    pool = hub + national
    if not pool:  # no local carrier in our table: some international carriers serve it
        pool = rng.sample(every, 2)
    domestic = origin.country == destination.country
    count = min(len(pool), 4 if domestic else 3)
    return pool[: max(1, count)]


def _segment(carrier: Airline, origin: Airport, destination: Airport, departing: datetime, number: str, km: float) -> Segment:
    start = departing.replace(tzinfo=ZoneInfo(origin.time_zone))
    arriving = (start + timedelta(minutes=_block_minutes(km))).astimezone(ZoneInfo(destination.time_zone))
    capacity = 150 if km < 1500 else 190 if km < 5000 else 280
    key_rng = stable_rng("load", carrier.iata_code, number, origin.iata_code, departing.date())
    load = key_rng.uniform(0.30, 0.97)
    return Segment(
        carrier=carrier,
        flight_number=number,
        origin=origin,
        destination=destination,
        departing_at=departing,
        arriving_at=arriving.replace(tzinfo=None),
        distance_km=km,
        capacity=capacity,
        initial_seats=capacity - int(round(capacity * load)),
    )


def _daily_flights(carrier: Airline, origin: Airport, destination: Airport, day: date) -> List[Segment]:
    km = distance_km(origin, destination)
    if not MIN_DISTANCE_KM <= km <= MAX_NONSTOP_KM:
        return []
    rng = stable_rng("schedule", carrier.iata_code, origin.iata_code, destination.iata_code)
    frequency = 3 if km < 1500 else 2 if km < 5000 else 1
    hours = sorted(rng.sample(range(6, 22), frequency))
    flights = []
    for index, hour in enumerate(hours):
        # Thin routes do not fly every day of the week.
        if frequency == 1 and rng.random() < 0.15 and day.weekday() == rng.randrange(7):
            continue
        minute = rng.choice((0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55))
        number = str(rng.randrange(10, 2999) + index)
        departing = datetime.combine(day, time(hour, minute))
        flights.append(_segment(carrier, origin, destination, departing, number, km))
    return flights


def _connections(carrier: Airline, origin: Airport, destination: Airport, day: date) -> List[Tuple[Segment, Segment]]:
    direct = distance_km(origin, destination)
    result = []
    for hub_code in carrier.hubs:
        hub = airports().get(hub_code)
        if hub is None or hub_code in (origin.iata_code, destination.iata_code):
            continue
        if distance_km(origin, hub) + distance_km(hub, destination) > 1.35 * direct:
            continue
        for first in _daily_flights(carrier, origin, hub, day):
            for second in _daily_flights(carrier, hub, destination, first.arriving_at.date()):
                layover = second.departing_at.replace(tzinfo=ZoneInfo(hub.time_zone)) - first.arriving_at.replace(tzinfo=ZoneInfo(hub.time_zone))
                if timedelta(minutes=60) <= layover <= timedelta(hours=5):
                    result.append((first, second))
                    break
    return result


def _fare(segments: Iterable[Segment], day: date, today: date) -> Decimal:
    segments = tuple(segments)
    first = segments[0]
    km = sum(s.distance_km for s in segments)
    base = 39 + 0.085 * km
    hour = first.departing_at.hour
    base *= 1.15 if hour in (6, 7, 8, 16, 17, 18) else 0.85 if hour >= 21 or hour < 6 else 1.0
    base *= 1 + max(0, 21 - (day - today).days) * 0.025  # booking close to departure costs more
    base *= 1.1 if day.weekday() in (4, 6) else 1.0
    base *= stable_rng("carrier-price", first.carrier.iata_code).uniform(0.85, 1.2)
    sold = 1 - first.initial_seats / first.capacity
    base *= 1 + max(0.0, sold - 0.7)  # fuller planes are dearer
    if len(segments) > 1:
        base *= 0.85
    return Decimal(str(base)).quantize(CENT, ROUND_HALF_UP)


def itineraries(origins: List[Airport], destinations: List[Airport], day: date, today: date) -> List[Itinerary]:
    """Every itinerary from any origin to any destination airport leaving on `day`."""
    found: List[Itinerary] = []
    for origin in origins:
        for destination in destinations:
            if origin.iata_code == destination.iata_code:
                continue
            for carrier in _carriers(origin, destination):
                for segment in _daily_flights(carrier, origin, destination, day):
                    found.append(Itinerary((segment,), _fare((segment,), day, today)))
                if distance_km(origin, destination) > 2500:
                    for pair in _connections(carrier, origin, destination, day)[:2]:
                        found.append(Itinerary(pair, _fare(pair, day, today)))
    found.sort(key=lambda i: (i.fare, i.segments[0].departing_at))
    return found


def price(itinerary_fares: Iterable[Decimal], segment_count: int, cabin: str, passengers: int) -> Tuple[Decimal, Decimal]:
    """(base, tax) for all passengers of an offer made of these itineraries' fares."""
    per_person = sum(itinerary_fares, Decimal("0")) * Decimal(str(CABIN_MULTIPLIER[cabin]))
    base = (per_person * passengers).quantize(CENT, ROUND_HALF_UP)
    tax = (base * Decimal("0.12") + Decimal("5.60") * segment_count * passengers).quantize(CENT, ROUND_HALF_UP)
    return base, tax
