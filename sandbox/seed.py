"""Deterministic demo data: customers with home airports, loyalty tiers, past and upcoming
bookings (CRM deals) and support tickets in every status, so personalization has something to find.
The hand-written demo customers also have upcoming trips booked in the flights API (real orders the
CRM deal points at), so they can be talked about, changed and cancelled.

The same seed and the same anchor day give the same rows; dates are relative to the anchor day
(today, or SANDBOX_SEED_DATE) so "past bookings" and "upcoming trips" stay past and upcoming.
"""
from __future__ import annotations

import hashlib
import os
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import List, Optional, Sequence, Tuple

from sqlalchemy import func, select, update

from . import flights_render as render
from .db import Database, create_schema, drop_schema
from .flights import PASSENGER_WEIGHT, combine, ensure_inventory
from .helpcenter_seed import seed_help_center
from .models import Contact, Deal, FlightInventory, HelpdeskUser, Offer, OfferRequest, Order, Ticket, TicketComment
from .reference import airports, distance_km, resolve_place
from .schedule import CABIN_MULTIPLIER, CURRENCY, itineraries, price

SEED = 2026
HOME_AIRPORTS = (
    "BOS", "JFK", "EWR", "SFO", "ORD", "LAX", "SEA", "ATL", "DEN", "MIA", "YYZ",
    "LHR", "CDG", "AMS", "FRA", "MAD", "LIS", "DUB", "FCO", "ZRH",
)
DESTINATIONS = (
    "JFK", "LGA", "LAX", "SFO", "ORD", "MIA", "LAS", "SEA", "BOS", "DEN", "MCO", "YUL",
    "LHR", "CDG", "AMS", "LIS", "BCN", "FCO", "DUB", "MAD", "ATH", "KEF", "CUN", "HNL", "NRT", "SIN",
)
FIRST = (
    "Olivia", "Liam", "Sofia", "Noah", "Amara", "Ethan", "Priya", "Mateo", "Hannah", "Kenji",
    "Fatima", "Lucas", "Chloe", "Omar", "Grace", "Diego", "Ingrid", "Samuel", "Aisha", "Tomas",
    "Mei", "Jonas", "Zara", "Rafael", "Emily", "Arjun", "Nora", "Felix", "Yara", "Owen",
)
LAST = (
    "Walker", "Nguyen", "Rossi", "Schmidt", "Patel", "Kowalski", "Haddad", "Silva", "Murphy", "Tanaka",
    "Johansson", "Dubois", "Garcia", "Mensah", "Novak", "Brennan", "Costa", "Ibrahim", "Larsen", "Moreau",
)
TIERS = (("none", 0.45), ("silver", 0.3), ("gold", 0.18), ("platinum", 0.07))
TICKET_TOPICS = (
    ("Refund for my cancelled flight", "My flight {route} on {day} was cancelled by the airline. I'd like a full refund to my card."),
    ("Name misspelled on booking {ref}", "The passenger name on booking {ref} is misspelled. Can you correct it before {day}?"),
    ("Bag did not arrive", "I flew {route} on {day} and my checked bag never arrived. Reference {ref}."),
    ("Change my flight date", "I need to move booking {ref} ({route}) from {day} to a later date. What will it cost?"),
    ("Seat assignment", "I paid for an aisle seat on {route} ({ref}) but the app shows a middle seat."),
    ("Receipt for expenses", "Could you send an itemised receipt for booking {ref}? My company needs it."),
    ("Charged twice", "My card was charged twice for booking {ref}. Please refund the duplicate payment."),
    ("Special assistance request", "My father needs wheelchair assistance for {route} on {day}, booking {ref}."),
)
AGENT_REPLIES = (
    "Thanks for getting in touch. I'm looking into this now and will update you shortly.",
    "I've contacted the airline about this and I'm waiting for their answer.",
    "Could you confirm the last four digits of the card used for the booking?",
    "This is sorted now. Let us know if there's anything else we can do.",
)
# Later statuses come with more history: (status, how many agent replies it has had).
STATUS_FLOW = (("new", 0), ("open", 1), ("pending", 2), ("hold", 2), ("solved", 3), ("closed", 3))
AGENTS = (("Jordan Blake", "jordan.blake@travel-support.example.com"), ("Sam Rivera", "sam.rivera@travel-support.example.com"))


@dataclass(frozen=True)
class DemoTrip:
    """An upcoming trip booked for a demo customer: where, how far ahead, for how many nights."""

    destination: str
    days_ahead: int
    nights: int
    cabin: str
    reference: str


@dataclass(frozen=True)
class Persona:
    firstname: str
    lastname: str
    home: str
    tier: str
    favourites: Tuple[str, ...]  # destinations this customer keeps going back to
    trips: int
    tickets: Tuple[str, ...]  # statuses of their tickets
    loyalty: float = 0.7  # how often a trip goes to one of the favourites (commuters ~0.9, explorers ~0.3)
    booked: Tuple[DemoTrip, ...] = ()  # upcoming trips booked in the flights API


# Hand-written customers for demos and the assistant's tests; the rest are generated. Tom stays
# the customer with no history at all (no bookings, no tickets).
DEMO_CUSTOMERS = (
    Persona("Maya", "Chen", "BOS", "gold", ("JFK", "LGA", "SFO"), 7, ("pending", "solved"),
            booked=(DemoTrip("FCO", 35, 7, "economy", "RM7Q2K"), DemoTrip("CDG", 63, 5, "economy", "PA4M8P"))),
    Persona("Daniel", "Okafor", "LHR", "platinum", ("JFK", "FRA", "AMS"), 9, ("open",),
            booked=(DemoTrip("FRA", 24, 3, "business", "DK5W9X"),)),
    Persona("Lucia", "Fernandez", "MAD", "silver", ("LIS", "CDG", "FCO"), 4, ("closed",),
            booked=(DemoTrip("AMS", 16, 4, "economy", "LF3N6T"),)),
    Persona("Tom", "Becker", "ORD", "none", (), 0, ()),
)


def anchor_day() -> date:
    raw = os.environ.get("SANDBOX_SEED_DATE")
    return date.fromisoformat(raw) if raw else date.today()


def _personas(rng: random.Random, count: int) -> List[Persona]:
    people = list(DEMO_CUSTOMERS)
    names = {(p.firstname, p.lastname) for p in people}
    styles = random.Random(SEED + 1)  # its own stream, so adding it changed no other seeded value
    while len(people) < count:
        name = (rng.choice(FIRST), rng.choice(LAST))
        if name in names:
            continue
        names.add(name)
        home = rng.choice(HOME_AIRPORTS)
        pool = [d for d in DESTINATIONS if d != home]
        tier = rng.choices([t for t, _ in TIERS], [w for _, w in TIERS])[0]
        trips = rng.choice((0, 1, 2, 3, 3, 4, 5, 6, 8, 12))
        statuses = tuple(rng.choice(STATUS_FLOW)[0] for _ in range(rng.choice((0, 0, 1, 1, 2, 3))))
        loyalty = styles.choice((0.9, 0.7, 0.7, 0.5, 0.3))
        people.append(Persona(name[0], name[1], home, tier, tuple(rng.sample(pool, rng.randint(1, 3))), trips, statuses, loyalty))
    return people


def _fare(origin: str, destination: str, cabin: str, rng: random.Random) -> Decimal:
    km = distance_km(airports()[origin], airports()[destination])
    value = (39 + 0.085 * km) * CABIN_MULTIPLIER[cabin] * rng.uniform(0.85, 1.35) * 2  # return trip
    return Decimal(str(round(value, 2)))


def _deals(rng: random.Random, contact: Contact, persona: Persona, today: date) -> List[Deal]:
    deals = []
    pool = [d for d in DESTINATIONS if d != persona.home]
    for index in range(persona.trips):
        destination = rng.choice(persona.favourites) if persona.favourites and rng.random() < persona.loyalty else rng.choice(pool)
        if destination == persona.home:
            continue
        upcoming = index == persona.trips - 1 and rng.random() < 0.5
        departure = today + timedelta(days=rng.randint(5, 80)) if upcoming else today - timedelta(days=rng.randint(10, 540))
        booked = departure - timedelta(days=rng.randint(3, 60))
        cabin = rng.choices(("economy", "premium_economy", "business"), (0.75, 0.15, 0.1))[0]
        if persona.tier == "platinum" and rng.random() < 0.5:
            cabin = "business"
        reference = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
        closed = datetime.combine(min(booked, today), time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=timezone.utc)
        deals.append(Deal(
            contact_id=contact.id,
            dealname=f"{persona.home} → {destination} {departure.isoformat()}",
            amount=_fare(persona.home, destination, cabin, rng),
            currency="USD",
            dealstage="closedwon",
            closedate=closed,
            booking_reference=reference,
            origin=persona.home,
            destination=destination,
            departure_date=departure,
            return_date=departure + timedelta(days=rng.choice((2, 3, 4, 7, 10, 14))),
            cabin_class=cabin,
            created_at=closed,
            updated_at=closed,
        ))
    return deals


def _seed_id(prefix: str, *parts: object) -> str:
    """A Duffel-style id that is the same on every seeding (render uses random ones)."""
    return f"{prefix}_" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:26]


def _legs(origin: str, destination: str, departure: date, back: date, today: date):
    """The cheapest round trip flown by one airline, out on `departure` (or the next day that has
    flights) and back `back - departure` days later."""
    for shift in range(7):
        out_day, back_day = departure + timedelta(days=shift), back + timedelta(days=shift)
        outbound = itineraries(resolve_place(origin), resolve_place(destination), out_day, today)
        inbound = itineraries(resolve_place(destination), resolve_place(origin), back_day, today)
        combos = combine(outbound, inbound) if outbound and inbound else []
        if combos:
            return min(combos, key=lambda legs: sum(leg.fare for leg in legs))
    raise ValueError(f"no flights {origin}-{destination} around {departure}")


def _booked_trip(session, contact: Contact, persona: Persona, trip: DemoTrip, today: date) -> Deal:
    """Books `trip` in the flights API as the assistant would, and returns its CRM deal."""
    departure = today + timedelta(days=trip.days_ahead)
    legs = _legs(persona.home, trip.destination, departure, departure + timedelta(days=trip.nights), today)
    booked_at = datetime.combine(today - timedelta(days=20), time(18, 30), tzinfo=timezone.utc)
    request_id, offer_id = _seed_id("orq", trip.reference), _seed_id("off", trip.reference)
    passenger = {"id": _seed_id("pas", trip.reference), "type": "adult", "age": None}
    base, tax = price([leg.fare for leg in legs], sum(len(leg.segments) for leg in legs), trip.cabin, 1)
    base, tax = base * PASSENGER_WEIGHT["adult"], tax * PASSENGER_WEIGHT["adult"]
    body = render.offer_json(offer_id, request_id, legs, [passenger], trip.cabin, base, tax, CURRENCY, booked_at, booked_at + timedelta(minutes=30))
    slices = [{"origin": persona.home, "destination": trip.destination, "departure_date": s["segments"][0]["departing_at"][:10]} for s in body["slices"]]
    session.add(OfferRequest(id=request_id, cabin_class=trip.cabin, slices=slices, passengers=[passenger], created_at=booked_at))
    session.flush()
    keys = [s.flight_key for leg in legs for s in leg.segments]
    session.add(Offer(id=offer_id, offer_request_id=request_id, total_amount=base + tax, total_currency=CURRENCY,
                      flight_keys=keys, body=body, expires_at=booked_at + timedelta(minutes=30), created_at=booked_at))
    ensure_inventory(session, legs)
    session.execute(update(FlightInventory).where(FlightInventory.flight_key.in_(keys)).values(seats_available=FlightInventory.seats_available - 1))
    traveller = {
        "id": passenger["id"], "type": "adult", "given_name": contact.firstname, "family_name": contact.lastname,
        "born_on": contact.date_of_birth.isoformat(), "title": "ms" if persona.firstname in ("Maya", "Lucia") else "mr",
        "gender": "f" if persona.firstname in ("Maya", "Lucia") else "m", "email": contact.email, "phone_number": contact.phone,
    }
    order_id = _seed_id("ord", trip.reference)
    session.add(Order(id=order_id, booking_reference=trip.reference, offer_id=offer_id, total_amount=base + tax, total_currency=CURRENCY,
                      passengers=[traveller], metadata_={"booked_by": "seed"}, flight_keys=keys, passenger_count=1, created_at=booked_at))
    out_day, back_day = (date.fromisoformat(s["departure_date"]) for s in slices)
    return Deal(
        contact_id=contact.id, dealname=f"{persona.home} → {trip.destination} {out_day.isoformat()}", amount=base + tax,
        currency=CURRENCY, dealstage="closedwon", closedate=booked_at, booking_reference=trip.reference, order_id=order_id,
        origin=persona.home, destination=trip.destination, departure_date=out_day, return_date=back_day,
        cabin_class=trip.cabin, created_at=booked_at, updated_at=booked_at,
    )


def _tickets(rng: random.Random, user: HelpdeskUser, deals: Sequence[Deal], statuses: Sequence[str], agents: Sequence[HelpdeskUser], today: date):
    replies_for = dict(STATUS_FLOW)
    for status in statuses:
        subject, body = rng.choice(TICKET_TOPICS)
        deal = rng.choice(deals) if deals else None
        route = f"{deal.origin}-{deal.destination}" if deal else "BOS-JFK"
        values = {"route": route, "day": (deal.departure_date if deal else today).isoformat(), "ref": deal.booking_reference if deal else "N/A"}
        opened = datetime.combine(today - timedelta(days=rng.randint(1, 120)), time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=timezone.utc)
        ticket = Ticket(
            subject=subject.format(**values), description=body.format(**values), status=status,
            priority=rng.choice(("low", "normal", "normal", "high")), type=rng.choice(("question", "problem", "incident")),
            tags=["travel", route.lower().replace("-", "_")], requester_id=user.id,
            assignee_id=rng.choice(agents).id if status != "new" else None, created_at=opened, updated_at=opened,
        )
        comments = [TicketComment(author_id=user.id, body=ticket.description, public=True, created_at=opened)]
        for step in range(replies_for[status]):
            at = opened + timedelta(hours=6 * (step + 1))
            comments.append(TicketComment(author_id=ticket.assignee_id, body=AGENT_REPLIES[min(step, 3) if status in ("solved", "closed") else step], public=True, created_at=at))
            ticket.updated_at = at
        yield ticket, comments


def seed(db: Database, customers: int = 40, today: Optional[date] = None) -> dict:
    """Drops and recreates every table, then writes the demo data. Returns row counts."""
    today = today or anchor_day()
    rng = random.Random(SEED)
    drop_schema(db.engine)
    create_schema(db.engine)
    counts = {"contacts": 0, "deals": 0, "tickets": 0}
    with db.transaction() as session:
        hired = datetime.combine(today - timedelta(days=800), time(9), tzinfo=timezone.utc)
        agents = [HelpdeskUser(name=n, email=e, role="agent", created_at=hired, updated_at=hired) for n, e in AGENTS]
        session.add_all(agents)
        session.flush()
        counts["articles"] = seed_help_center(session, agents[0].id, today)
        for index, persona in enumerate(_personas(rng, customers)):
            email = f"{persona.firstname}.{persona.lastname}@example.com".lower()
            created = datetime.combine(today - timedelta(days=700 - index * 7), time(12), tzinfo=timezone.utc)
            contact = Contact(
                email=email, firstname=persona.firstname, lastname=persona.lastname,
                phone=f"+1-555-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                date_of_birth=date(rng.randint(1950, 2003), rng.randint(1, 12), rng.randint(1, 28)),
                city=airports()[persona.home].city_name, country=airports()[persona.home].country,
                home_airport=persona.home, loyalty_tier=persona.tier, lifecyclestage="customer",
                created_at=created, updated_at=created,
            )
            session.add(contact)
            session.flush()
            deals = _deals(rng, contact, persona, today)
            session.add_all(deals)
            booked = [_booked_trip(session, contact, persona, trip, today) for trip in persona.booked]
            session.add_all(booked)
            user = HelpdeskUser(name=f"{persona.firstname} {persona.lastname}", email=email, external_id=str(contact.id), created_at=created, updated_at=created)
            session.add(user)
            session.flush()
            for ticket, comments in _tickets(rng, user, deals, persona.tickets, agents, today):
                session.add(ticket)
                session.flush()
                for comment in comments:
                    comment.ticket_id = ticket.id
                session.add_all(comments)
                counts["tickets"] += 1
            counts["contacts"] += 1
            counts["deals"] += len(deals) + len(booked)
    return counts


def is_empty(db: Database) -> bool:
    create_schema(db.engine)
    with db.transaction() as session:
        return session.execute(select(func.count()).select_from(Contact)).scalar_one() == 0
