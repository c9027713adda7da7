"""Checks for the flight search's slots, shared by the form and by corrections made after a search.

Each check returns the slot values to set, and says what is wrong when the value cannot be used.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Dict, Optional

from rasa_sdk.executor import CollectingDispatcher

from .clients import VendorError
from .common import flights, say_vendor_problem
from .dates import DateNotUnderstood, describe, parse_date
from .places import describe as describe_place
from .places import Resolution, namesakes_at_home, region, region_names, resolve_place, resolve_with_region

MAX_DAYS_AHEAD = 330
ONE_WAY = "one-way"
ONE_WAY_TEXT = re.compile(r"\b(one[\s-]?way|no return|not coming back|just there|single)\b", re.I)
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "me": 1, "myself": 1, "couple": 2}
CABINS = ("economy", "premium_economy", "business", "first")


def check_place(slot: str, value: Any, dispatcher: CollectingDispatcher, other: Optional[str] = None) -> Dict[str, Any]:
    """{slot: IATA code, slot_label: description}, or {slot: None} after saying what is wrong."""
    text = str(value or "").strip()
    if not text:
        return {slot: None}  # cleared this turn; the form asks for it
    try:
        found = resolve_place(text, flights())
        if not found.place and len(text.split()) > 1:
            found = resolve_with_region(text, flights()) or found
        namesakes = namesakes_at_home(text, found.place, other, flights()) if found.place and other else ()
        found = Resolution(candidates=namesakes) if namesakes else found
    except VendorError as exc:
        say_vendor_problem(dispatcher, exc, "check that place")
        return {slot: None}
    if found.ambiguous:
        options = ", ".join(f"{p.iata_code} ({p.name}, {region(p)})" if region(p) else f"{p.iata_code} ({p.name})" for p in found.candidates)
        dispatcher.utter_message(
            response="utter_place_ambiguous", place=text.title(), options=options,
            buttons=[{"title": f"{p.iata_code} – {p.name}", "payload": p.iata_code} for p in found.candidates],
        )
        choices = {"slot": slot, "candidates": [{"code": p.iata_code, "name": f"{p.name} {p.city_name or ''}", "regions": region_names(p)}
                                                for p in found.candidates]}
        return {slot: None, "place_choices": choices}
    if found.place is None:
        dispatcher.utter_message(response="utter_place_unknown", place=text)
        return {slot: None}
    if other and found.place.iata_code == other:
        dispatcher.utter_message(response="utter_same_place")
        return {slot: None}
    return {slot: found.place.iata_code, f"{slot}_label": describe_place(found.place)}


def check_departure(value: Any, dispatcher: CollectingDispatcher, today: date) -> Dict[str, Any]:
    if not str(value or "").strip():
        return {"departure_date": None}
    try:
        day = parse_date(str(value or ""), today)
    except DateNotUnderstood:
        dispatcher.utter_message(response="utter_date_unreadable")
        return {"departure_date": None}
    if day < today:
        dispatcher.utter_message(response="utter_date_passed", day=describe(day, today))
        return {"departure_date": None}
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        dispatcher.utter_message(response="utter_date_too_far", days=MAX_DAYS_AHEAD, day=describe(day, today))
        return {"departure_date": None}
    return {"departure_date": day.isoformat()}


def check_return(value: Any, departure: Optional[str], dispatcher: CollectingDispatcher, today: date) -> Dict[str, Any]:
    text = str(value or "")
    if not text.strip():
        return {"return_date": None}  # cleared this turn; the form asks for it again
    if ONE_WAY_TEXT.search(text):
        return {"return_date": ONE_WAY}
    leaving = iso_date(departure)  # not yet checked when both dates arrive in one message
    try:
        day = parse_date(text, today, after=leaving)
    except DateNotUnderstood:
        dispatcher.utter_message(response="utter_date_unreadable")
        return {"return_date": None}
    if leaving and day < leaving:
        dispatcher.utter_message(response="utter_return_before_departure", day=describe(leaving, today))
        return {"return_date": None}
    if day < today:
        dispatcher.utter_message(response="utter_date_passed", day=describe(day, today))
        return {"return_date": None}
    return {"return_date": day.isoformat()}


def iso_date(value: Any) -> Optional[date]:
    """The date a slot holds once checked (YYYY-MM-DD), or None."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def passenger_count(value: Any) -> Optional[int]:
    """1-9 from '2', 2.0, 'two adults', 'just me'; None when it is not a usable number."""
    if value is None:
        return 1
    if isinstance(value, (int, float)):
        number = int(value)
    else:
        words = str(value).lower().split()
        numbers = [int(w) for w in words if w.isdigit()] + [NUMBER_WORDS[w] for w in words if w in NUMBER_WORDS]
        if not numbers:
            return None
        number = numbers[0]
    return number if 1 <= number <= 9 else None


def cabin_class(value: Any) -> str:
    text = str(value or "economy").lower().replace(" ", "_")
    return next((c for c in CABINS if text.startswith(c)), "premium_economy" if "premium" in text else "economy")
