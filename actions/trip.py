"""What the customer's latest message changes in the trip being searched, whatever was asked.

The NLU's entities fill the search slots first (domain.yml mappings); this module reads the whole
message with actions/reading.py and corrects them: "actually from chicago" while the bot asks for
dates is an origin, "bos-mia 1/14 rt back 1/20" is four slots at once, "me, my wife and our two
kids" is two adults and two children. The form, the search and its refinements all use it.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker

from .clients import VendorError
from .common import answers_the_flights_shown, flights, latest_entities, profile_slot, slot_before_this_turn, today
from .dates import WEEKDAYS, DateNotUnderstood, parse_date
from .places import nearby_slot, regions_said, resolve_with_region, with_region
from .reading import AGED_TAIL, NEVER_CODES, NOT_A_PLACE, STARRED, TripReading, read_trip
from .search_slots import NUMBER_WORDS, ONE_WAY, iso_date

PLACE_SLOTS = ("origin", "destination")
DATE_SLOTS = ("departure_date", "return_date")
# Intents whose words may hold trip details; a help question mentioning "a dog" holds none.
TRIP_INTENTS = {"search_flight", "inform", "refine_search", "select_offer", "nlu_fallback", "affirm", "deny", "express_difficulty"}
LONE_ANSWER_WORDS = 5
SHIFT = re.compile(r"(?P<which>\b(?:leave|leaving|go|going|depart\w*|fly\w*|come back|coming back|back|return\w*)\b)[^.?!]*?"
                   r"\b(?P<n>a|an|one|two|three|four|five|six|seven|\d{1,2})\s+days?\s+(?P<way>later|earlier|sooner)\b")
AGES = re.compile(r"(?:\(|\bage[sd]?\s+|\bwho\s*(?:is|'s)\s+|\bwhos\s+|\b(?:he|she)\s*(?:is|'s)\s+|\bhes\s+|\bshes\s+|"
                  r"\b(?:kids|children|boys|girls|sons|daughters|they|the\s+kids)\s*(?:are|r|'re|have)\s+(?:aged\s+)?|\btheyre\s+|\b(?:he|she)\s+has\s+|"
                  r"\b(?:child|kid|son|daughter|boy|girl)\s+(?:of\s+)?(?=\d{1,2}\s*(?:years?|yrs?|y/?o)\b)|"
                  rf"\b(?:my|our|his|her)\s+(?=(?:1[0-7]|\d)[\s-]*(?:years?|yrs?|y/?o)[\s-]*old\b{AGED_TAIL})|"  # "our 4 year old", a child
                  r"\b\d\s+(?:kids|children|boys|girls)\s+(?=\d{1,2}\s*(?:,|and|&|\bn\b)\s*\d{1,2}\b))"  # "2 kids 6 and 9"
                  r"(\d{1,2}(?:\s*(?:,|and|&|\bn\b)\s*\d{1,2})*)(?!\s*(?:[/:.-]\d|am|pm|st|nd|rd|th|days?|nights?|weeks?|months?))", re.I)
CORRECTION = re.compile(STARRED + r"|\b(no|nope|wait|sorry|oops|actually|i meant|make (?:it|that)|my (?:bad|mistake)|made a mistake|"
                        r"should (?:be|have been|have said))\b", re.I)
RETURN_WORDS = re.compile(r"\b(back|return\w*|coming|home)\b", re.I)
# "one of them is a baby on my lap": a traveller already counted is an infant.
ONE_OF_THEM_A_BABY = re.compile(
    r"(?:\bone\s+of\s+(?:them|us|those|the\s+(?P<kids>kids|children|boys|girls)|the\s+(?:passengers|travell?ers|people|\w+))|"
    r"\b(?:pax|passenger|travell?er)\s*#?\s*\d)\b"
    r"[^.?!]{0,25}?\b(?:bab(?:y|ies)|infant|newborn|under\s+(?:2|two)|on\s+(?:my|our|a)\s+lap|lap\s+(?:child|infant|baby))\b", re.I)
YOUNGEST_A_BABY = re.compile(r"\b(?:the\s+)?(?:youngest|littlest|baby\s+of\s+the\s+family)\s*(?:one\s+)?(?:is|'s|will\s+be)?\s*"
                             r"(?:only\s+|just\s+)?(?:\d{1,2}\s*(?:months?|mos?|mths?)\b|a\s+baby|an\s+infant|a\s+newborn|"
                             r"(?:1|one)(?:\s*(?:yrs?|years?))?(?:\s+old)?\b(?!\s*(?:and|,)\s*\d)|under\s+(?:2|two))", re.I)
NOT_THIS = re.compile(r"\b(?:not|isn'?t|rather\s+than|instead\s+of)\s+(?:the\s+)?(?:one\s+in\s+)?([a-z]+(?:\s+[a-z]+)?)")
LEAD_IN = re.compile(r"^(?:(?:i'?m|i\s+am|we'?re|flying|leaving|going|departing|heading|starting)\s+)?"
                     r"(?:from|to|in|out\s+of|into)\s+|^the\s+one\s+in\s+", re.I)
INSTEAD = re.compile(r"(?:from\s+|to\s+)?(?P<new>[a-z][a-z .'-]{1,30}?)\s*,?\s+not\s+(?:from\s+|to\s+)?(?P<old>[a-z][a-z .'-]{1,30}?)(?=[.,!?]|$|\s+(?:back|on|and|please|pls)\b)")
NOT_THEN_INSTEAD = re.compile(r"\bnot\s+(?:from\s+|to\s+)?(?P<old>[a-z][a-z .'-]{1,30}?)\s*(?:,|;|-|\bbut\b)\s*(?:from\s+|to\s+|it'?s\s+)?"
                              r"(?P<new>[a-z][a-z .'-]{1,30}?)\s*(?=[.,!?]|$|\s+(?:back|on|and|please|pls)\b)")


def _asked(tracker: Tracker) -> Optional[str]:
    if (tracker.active_loop or {}).get("name") != "flight_form":
        return None
    return tracker.get_slot("requested_slot")


def _intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def place_choice(tracker: Tracker, text: str) -> Dict[str, Any]:
    """The answer to "which Springfield?": a code, a word of one candidate's name, or "the second"."""
    pending = tracker.get_slot("place_choices") or {}
    candidates: List[Dict[str, str]] = pending.get("candidates") or []
    if not candidates:
        return {}
    said_not = {w for phrase in NOT_THIS.findall(text.lower()) for w in phrase.split()}  # "galicia, not chile"
    words = set(re.findall(r"[a-z0-9]+", text.lower())) - said_not
    ordinals = {"first": 0, "1st": 0, "1": 0, "second": 1, "2nd": 1, "2": 1, "third": 2, "3rd": 2, "3": 2, "fourth": 3, "4th": 3, "4": 3}
    chosen = [c for c in candidates if c["code"].lower() in words]
    if not chosen:  # "oregon", "the uk one", "new york state": every word of the region said
        chosen = [c for c in candidates if _said_region(c.get("regions") or [], words)][:1]  # listed first: likelier
    if not chosen:
        common = {"airport", "international", "regional", "municipal", "the", "one", "in", "county", "field"}
        chosen = [c for c in candidates if words & (set(re.findall(r"[a-z0-9]+", c["name"].lower())) - common)]
    if not chosen:
        position = next((ordinals[w] for w in words if w in ordinals), None)
        chosen = [candidates[position]] if position is not None and position < len(candidates) else []
    if len(chosen) != 1:
        return {}
    return {pending["slot"]: chosen[0]["code"], "place_choices": None}


def _said_region(regions: List[str], words: set) -> bool:
    """True when the customer named the state, the country or another name of the country."""
    return any(set(re.findall(r"[a-z0-9]+", name)) <= words for name in regions)


# "back on the 16th, so a week later", read as moving a booking while the search asks its return date:
# with no booking named, the date answers the search.
A_BOOKING_NAMED = re.compile(r"\b(?:my|our)\s+(?:[\w'-]+\s+){0,2}?(?:flights?|trips?|bookings?|reservations?|tickets?)\b|"
                             r"\bbooking\b|\b(?=[A-Z0-9]*\d)[A-Z0-9]{6}\b")


def _a_date_for_the_search(tracker: Tracker, text: str) -> bool:
    return _intent(tracker) == "change_booking" and _asked(tracker) in DATE_SLOTS and not A_BOOKING_NAMED.search(text)


def moves_the_search(tracker: Tracker) -> bool:
    """ "ugh my boss moved the meeting, i need to be there a day earlier so december 14" right after
    flights were shown: read as moving a booking, but no booking is named and the search's own trip
    changes."""
    text = tracker.latest_message.get("text") or ""
    return _intent(tracker) == "change_booking" and answers_the_flights_shown(tracker) and not A_BOOKING_NAMED.search(text) \
        and changes_the_trip(tracker)


def trip_updates(tracker: Tracker) -> Dict[str, Any]:
    """The slot values the latest message sets, beyond (and correcting) the NLU's entities."""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text or text.startswith("/"):
        return {}
    choice = place_choice(tracker, text)
    if choice:
        return choice
    if _intent(tracker) not in TRIP_INTENTS and not _a_date_for_the_search(tracker, text):
        return {}
    asked = _asked(tracker)
    before = _before(tracker)
    reading = read_trip(text, today(), asked=asked, known=before)
    entities = latest_entities(tracker, *PLACE_SLOTS, *DATE_SLOTS)
    updates: Dict[str, Any] = {}

    places = {slot: with_region(getattr(reading, slot), text) for slot in PLACE_SLOTS if getattr(reading, slot)}
    places.update(_instead(tracker, text, places))
    places.update(_nearby(entities, places, before))
    places = places or _in_the_region_said(text, before)
    places = _the_place_corrected(text, places, before, asked)
    if places:
        for slot in PLACE_SLOTS:
            if slot in places:
                updates[slot] = places[slot]
            elif slot in entities:  # the NLU's guess, which the reader gave to the other slot
                updates[slot] = before[slot]
    dates = {slot: getattr(reading, slot).isoformat() for slot in DATE_SLOTS if getattr(reading, slot)}
    dates = _shifted(text, before, reading) or dates
    if asked == "return_date" and set(dates) == {"return_date"} and CORRECTION.search(text) and not RETURN_WORDS.search(text):
        # "wait no, the 15th" while the return is asked: it corrects the departure just given
        dates = {"departure_date": dates["return_date"]}
    if dates:
        for slot in DATE_SLOTS:
            if slot in dates:
                updates[slot] = dates[slot]
            elif slot in entities:
                updates[slot] = before[slot]
    leaving, kept_return = iso_date(updates.get("departure_date")), before["return_date"]
    if leaving and updates.get("return_date", kept_return) == kept_return and iso_date(kept_return) and iso_date(kept_return) < leaving:
        updates["return_date"] = None  # the old return, now before the new departure: asked again, not called a mistake
    for slot in PLACE_SLOTS:
        if slot in entities and slot not in updates and (before[slot] and (_not_a_place(entities[slot]) or _a_weekday_read(entities[slot], dates))
                                                         or _in_words_no_place(entities[slot], text) or _an_everyday_word(entities[slot], text)):
            updates[slot] = before[slot]  # "back to economy" taken for a place by the NLU: the known place stands
    for slot in DATE_SLOTS:
        if slot in entities and slot not in updates and slot != asked and before[slot] and not _a_date(entities[slot], before):
            updates[slot] = before[slot]  # "meetings all morning" taken for a date by the NLU: the known date stands
    if reading.one_way is True:
        updates["return_date"] = ONE_WAY
    elif reading.one_way is False and "return_date" not in dates and before["return_date"] == ONE_WAY:
        updates["return_date"] = None  # "make it a return": the form asks when
    party = _party(tracker, reading, text)
    if asked and not reading.fields() and not party and asked not in updates and asked not in entities:
        lone = _lone_answer(tracker, text, asked)
        if lone is not None:
            updates[asked] = lone
    updates.update(party)
    for field in ("cabin", "time_of_day", "max_stops", "airline", "sort"):
        value = getattr(reading, field)
        if value is not None:
            updates[field] = value
    return updates


def _nearby(entities: Dict[str, str], read: Dict[str, str], before: Dict[str, Any]) -> Dict[str, str]:
    """One place said alone for a trip with both places known ("no wait, oakland, its closer"): it
    stands in for the one it lies next to, whatever slot the NLU gave it."""
    said = [entities[slot] for slot in PLACE_SLOTS if slot in entities]
    if read or len(said) != 1 or not all(before[slot] for slot in PLACE_SLOTS):
        return {}
    slot = nearby_slot(said[0], {name: str(before[name]) for name in PLACE_SLOTS})
    return {slot: said[0]} if slot else {}


def _in_the_region_said(text: str, before: Dict[str, Any]) -> Dict[str, str]:
    """ "florida lol" after flights to Melbourne (MEL) were found, "ok she's in georgia" after Albany
    (ALB): the place of that name in that state or country, when it is another airport."""
    regions = regions_said(text)
    for slot in ("destination", "origin") if regions else ():
        city = str(before.get(f"{slot}_label") or "").split(" (")[0].strip()
        if not city or not before.get(slot):
            continue
        wanted = f"{city} {regions[0]}"
        try:
            found = resolve_with_region(wanted, flights())
        except VendorError:
            return {}
        if found and found.place and found.place.iata_code != before[slot]:
            return {slot: wanted}
    return {}


def _the_place_corrected(text: str, places: Dict[str, str], before: Dict[str, Any], asked: Optional[str]) -> Dict[str, str]:
    """ "need 2 tix to chicago", then "no wait milwaukee" while the origin is asked: a correction naming
    a place next to the one just given replaces that one, rather than answering the question."""
    other = {"origin": "destination", "destination": "origin"}.get(asked or "")
    if not other or set(places) != {asked} or before.get(asked) or not before.get(other) or not CORRECTION.search(text):
        return places
    return {other: places[asked]} if nearby_slot(places[asked], {other: str(before[other])}) else places


def _not_a_place(text: str) -> bool:
    """Words the reader reads as another detail of the trip ("economy", "evening", "nonstop"), or
    knows to be none ("la la")."""
    if NOT_A_PLACE.fullmatch(text.strip()):
        return True
    reading = read_trip(text, today())
    return bool(reading.fields()) and reading.origin is None and reading.destination is None


def _in_words_no_place(value: str, text: str) -> bool:
    """ "la" out of "Oh la la, it is very expensive": part of words that name no place."""
    return any(re.search(rf"\b{re.escape(value.strip())}\b", words, re.I) for words in NOT_A_PLACE.findall(text)) if value.strip() else False


def _an_everyday_word(value: str, text: str) -> bool:
    """ "the venue moved the gig": a word that is an airport's code (GIG) only when written as one."""
    word = value.strip()
    return word.lower() in NEVER_CODES and not re.search(rf"\b{re.escape(word.upper())}\b", text)


def _a_weekday_read(text: str, dates: Dict[str, str]) -> bool:
    """ "nvm make it sat": the NLU's place (San Antonio) is the weekday the reader read as a date."""
    return text.strip().lower() in WEEKDAYS and bool(dates)


def _a_date(text: str, before: Dict[str, Any]) -> bool:
    try:
        parse_date(text, today(), after=iso_date(before.get("departure_date")))
    except DateNotUnderstood:
        return False
    return True


def gives_trip_details(tracker: Tracker) -> bool:
    """Whether the latest message names a trip detail the reader can place (a place picked from a
    list, a date, a party, a cabin, a preference...). A lone unknown word the form would try as a
    place does not count: that is what the classifier could not place either."""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text or text.startswith("/"):
        return False
    before = _before(tracker)
    reading = latest_reading(tracker)
    nearby = _nearby(latest_entities(tracker, *PLACE_SLOTS), {}, before)
    return bool(place_choice(tracker, text) or reading.fields() or _shifted(text, before, reading) or nearby)


def latest_reading(tracker: Tracker) -> TripReading:
    """The trip details of the latest message, read against the question asked and what was known before it."""
    return read_trip((tracker.latest_message.get("text") or "").strip(), today(), asked=_asked(tracker), known=_before(tracker))


def says_where_or_when(tracker: Tracker) -> bool:
    """Whether the latest message, no question, names where or when to fly: enough to start a search."""
    text = (tracker.latest_message.get("text") or "").strip()
    if not text or text.startswith("/") or "?" in text:
        return False
    reading = read_trip(text, today(), known=_before(tracker))
    return any((reading.origin, reading.destination, reading.departure_date, reading.return_date))


# Reader fields and the slots that hold them, for those compared as they are.
SLOT_OF = {"cabin": "cabin", "adults": "passengers", "children": "children", "infants": "infants",
           "time_of_day": "time_of_day", "max_stops": "max_stops", "airline": "airline"}


PARTY = ("adults", "children", "infants")


def changes_the_trip(tracker: Tracker, only: Tuple[str, ...] = ()) -> bool:
    """Whether the latest message names a trip detail (of `only` those, when given) other than the
    one held ("what's the bag allowance in Y?" names the economy cabin already searched: no change)."""
    text = (tracker.latest_message.get("text") or "").strip()
    fields = read_trip(text, today(), asked=_asked(tracker), known=_before(tracker)).fields() if text else {}
    for name, value in fields.items():
        if only and name not in only:
            continue
        held = _held(tracker, SLOT_OF[name]) if name in SLOT_OF else None
        if name == "corrected" or name in SLOT_OF and held is not None and str(value) in (str(held), str(held).rstrip("0").rstrip(".")):
            continue
        return True
    return False


def _held(tracker: Tracker, slot: str) -> Any:
    """A slot's value before this message ("for 2 ppl" may already have set the party from the NLU's entity)."""
    before = slot_before_this_turn(tracker, slot)
    return before if before is not None else tracker.get_slot(slot)


def _before(tracker: Tracker) -> Dict[str, Any]:
    return {name: slot_before_this_turn(tracker, name) for name in PLACE_SLOTS + DATE_SLOTS + ("origin_label", "destination_label", "passengers")}


def _instead(tracker: Tracker, text: str, read: Dict[str, str]) -> Dict[str, str]:
    """ "houston not austin", "from malaga not madrid", "oops not paris, prague": the new place
    goes where the old one was (and not where the reader, without knowing the old one, may have put it)."""
    matches = [m for m in (NOT_THEN_INSTEAD.search(text.lower()), INSTEAD.search(text.lower())) if m]
    # "spokane not seattle, im at my moms": the words read as a place are the new one
    said = [(m, _place_in(m.group("new"))) for m in matches]
    match, new = next(((m, place) for m, place in said if place), (None, None))
    if not match:
        return {}
    old = match.group("old").strip()
    for slot in PLACE_SLOTS:
        held = [str(tracker.get_slot(name) or "").lower() for name in (slot, f"{slot}_label")]
        if new and any(h == old or h.startswith(old + " ") for h in held if h):
            other = next(name for name in PLACE_SLOTS if name != slot)
            kept = {other: tracker.get_slot(other)} if read.get(other) == new else {}
            return {slot: new, **kept}
    return {}


def _place_in(words: str) -> Optional[str]:
    """The place named in a few words ("i meant raleigh"), as the reader reads it, with its region."""
    reading = read_trip(words, today())
    place = reading.destination or reading.origin
    return with_region(place, words) if place else None


def _shifted(text: str, before: Dict[str, Any], reading) -> Dict[str, str]:
    """ "can we leave a day later", "come back 2 days earlier": a known date moved. (Said with a new
    departure, "back 5 days later" counts from it: the reader's return date stands.)"""
    match = SHIFT.search(text.lower())
    if not match:
        return {}
    slot = "return_date" if RETURN_WORDS.search(match.group("which")) else "departure_date"
    known = iso_date(before.get(slot))
    if known is None or slot == "return_date" and reading.departure_date:
        return {}
    count = match.group("n")
    days = int(count) if count.isdigit() else {"a": 1, "an": 1, **NUMBER_WORDS}[count]
    return {slot: (known + timedelta(days=days if match.group("way") == "later" else -days)).isoformat()}


def _lone_answer(tracker: Tracker, text: str, asked: str) -> Optional[str]:
    """A short answer the reader could not place ("xyzzyville"): the validation says what is wrong."""
    if asked not in PLACE_SLOTS + DATE_SLOTS or _intent(tracker) not in ("inform", "nlu_fallback", "search_flight"):
        return None
    if "?" in text or len(text.split()) > LONE_ANSWER_WORDS:
        return None
    if asked in PLACE_SLOTS:  # "from springfield": the place, without the words around it
        text = LEAD_IN.sub("", text).strip() or text
    return text


def _one_of_them_a_baby(tracker: Tracker, text: str) -> Dict[str, Any]:
    """One of the children, or else of the adults counted, is an infant on a lap."""
    match = ONE_OF_THEM_A_BABY.search(text)
    if not match:
        return {}
    adults, children = int(tracker.get_slot("passengers") or 1), int(tracker.get_slot("children") or 0)
    infants = float((tracker.get_slot("infants") or 0) + 1)
    if children and (match.group("kids") or adults < 2):
        ages = sorted(int(a) for a in tracker.get_slot("child_ages") or [])[1:]  # the youngest is the baby
        return {"children": float(children - 1), "child_ages": ages or None, "infants": infants}
    if adults < 2:
        return {}
    return {"passengers": float(adults - 1), "infants": infants}


AGE_WORDS = {word: n for word, n in NUMBER_WORDS.items() if word not in ("me", "myself", "couple")}
AGE_WORDS.update({"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17})


def _digits(text: str) -> str:
    """ "she is eight" -> "she is 8": ages said in words, as a dictating phone writes them."""
    return re.sub(rf"\b({'|'.join(AGE_WORDS)})\b", lambda m: str(AGE_WORDS[m.group(1).lower()]), text, flags=re.I)


def _party(tracker: Tracker, reading, text: str) -> Dict[str, Any]:
    moved = _one_of_them_a_baby(tracker, text)
    if moved and reading.adults is None and reading.children is None:
        return moved
    updates: Dict[str, Any] = {}
    had_children = int(tracker.get_slot("children") or 0)
    if reading.adults is not None:
        updates["passengers"] = float(reading.adults)
    elif reading.more_adults:  # "my girlfriend wants to come too"
        updates["passengers"] = float(int(tracker.get_slot("passengers") or 1) + reading.more_adults)
    children = reading.children if reading.children is not None or not reading.more_children else had_children + reading.more_children
    if children and YOUNGEST_A_BABY.search(text):  # "3 kids, the youngest is 18 months": two children and an infant
        children -= 1
        updates["infants"] = float((reading.infants or 0) + 1)
    ages = [int(n) for n in re.findall(r"\d{1,2}", next((m.group(1) for m in AGES.finditer(_digits(text))), ""))]
    party_of_children = children if children is not None else had_children
    if len(ages) == 1 and party_of_children in (2, 3) and re.search(r"\b(?:twins|triplets)\b", text, re.I):
        ages *= party_of_children  # "the twins, they're 4"
    if children is None and had_children and len(ages) == had_children:
        updates["child_ages"] = ages  # "kids r 4 and 9", said before the form asks
    if children is not None:
        updates["children"] = float(children)
        if len(ages) == children:
            updates["child_ages"] = ages  # "2 kids (7 and 10)", "3 kids aged 3, 8 and 12", "my sister who is 9"
        elif children != had_children:
            updates["child_ages"] = None  # other children: ask their ages again
    if reading.infants is not None and "infants" not in updates:
        updates["infants"] = float(reading.infants)
    return updates


def home_origin(tracker: Tracker) -> Dict[str, Any]:
    """A signed-in customer starts from home unless they say otherwise."""
    home = profile_slot(tracker, "home_airport")
    if home and not slot_before_this_turn(tracker, "origin"):
        return {"origin": home}
    return {}
