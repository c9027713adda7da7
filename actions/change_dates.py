"""The dates a customer wants to move a booked trip to, read against the booked dates.

"a week later", "two days earlier", "push it back a week", "the next day" shift the whole trip
(or only the flight back, when they say so: "move my return a day later"). A date ("the 20th",
"jan 20", "friday", "12/20") moves the outbound flight (or the return, when they say so); the
return moves along only if the new outbound would leave after it. A day of the month or a weekday
alone is the one nearest the booked date ("the 20th" of a trip on the 14th is that month's).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator, List, Mapping, Optional, Tuple

from .dates import NUMBERS, ORDINALS, UNITS, WEEKDAYS, DateNotUnderstood, parse_date
from .reading import read_trip

AMOUNT = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|couple(?: of)?|few)"
UNIT = r"(day|night|week|fortnight)s?"
LATER = [rf"\b{AMOUNT} {UNIT} (?:later|after(?!noon)|afterwards|on)\b", rf"\b(?:back|by|out) (?:by )?{AMOUNT} {UNIT}\b(?! (?:earlier|sooner|before|ahead))",
         rf"\b(?:push|delay|postpone)\w*\b(?:\s+\w+){{0,4}}?\s+{AMOUNT} {UNIT}\b"]
EARLIER = [rf"\b{AMOUNT} {UNIT} (?:earlier|sooner|before|ahead)\b", rf"\bforward (?:by )?{AMOUNT} {UNIT}\b"]
ONE_DAY_LATER = r"\b(?:(?:the )?(?:next|following) day|(?:the )?day after(?! tomorrow))\b"
ONE_DAY_EARLIER = r"\b(?:(?:the )?day before|(?:the )?previous day)\b"
RETURN_WORDS = re.compile(r"\b(return|back home|way back|flight back|coming back|come back|flying back|fly back|inbound|home)\b")
LEADS = ("to", "on", "for", "until", "till", "into", "onto")


@dataclass(frozen=True)
class NewDates:
    dates: Tuple[date, ...]  # one per slice of the booking, in order
    phrase: str  # the words they were read from


def _amount(word: str) -> int:
    word = word.replace(" of", "")
    return int(word) if word.isdigit() else NUMBERS.get(word, 2 if word == "couple" else 1)


def _shift(text: str) -> Optional[Tuple[int, str]]:
    """Days the trip moves by, and the words that said so."""
    for patterns, sign in ((LATER, 1), (EARLIER, -1)):
        for pattern in patterns:
            match = re.search(pattern, text)
            if match:
                return sign * _amount(match.group(1)) * UNITS[match.group(2)], match.group(0)
    for pattern, days in ((ONE_DAY_LATER, 1), (ONE_DAY_EARLIER, -1)):
        match = re.search(pattern, text)
        if match:
            return days, match.group(0)
    return None


def _nearest(candidates: List[date], booked: date, today: date) -> Optional[date]:
    future = [d for d in candidates if d >= today]
    return min(future, key=lambda d: (abs((d - booked).days), d)) if future else None


def _day_near(phrase: str, booked: date, today: date) -> Optional[date]:
    """A bare day of the month or weekday, placed nearest the booked date; None for other dates."""
    words = re.sub(r"\b(the|on|of|this)\b", " ", phrase.lower()).split()
    if len(words) != 1:
        return None
    word = words[0]
    number = re.fullmatch(r"(\d{1,2})(st|nd|rd|th)?", word)
    if number and not number.group(2) and not re.search(r"\bthe\b", phrase.lower()):
        return None  # "2" alone is a count more often than a date; "the 2" or "2nd" is a day
    day = int(number.group(1)) if number else ORDINALS.get(word)
    if day:
        months = [(booked.year + (booked.month + k - 1) // 12, (booked.month + k - 1) % 12 + 1) for k in (-1, 0, 1)]
        candidates = []
        for year, month in months:
            try:
                candidates.append(date(year, month, day))
            except ValueError:
                continue
        return _nearest(candidates, booked, today)
    if word in WEEKDAYS:
        return _nearest([booked + timedelta(days=k) for k in range(-3, 4) if (booked + timedelta(days=k)).weekday() == WEEKDAYS[word]], booked, today)
    return None


def _phrases(text: str, entities: Mapping[str, str]) -> Iterator[str]:
    """Where a date may be: the NLU's date entities, then runs of words after "to", "on"...,
    then any run of up to four words, longest first."""
    yield from (value for value in entities.values() if value)
    words = re.sub(r"[^a-z0-9/\-'\s]", " ", text.lower()).split()
    starts = [i + 1 for i, w in enumerate(words) if w in LEADS] + list(range(len(words)))
    for start in starts:
        for size in range(min(4, len(words) - start), 0, -1):
            yield " ".join(words[start:start + size])


def _absolute(phrase: str, booked: date, today: date) -> Optional[date]:
    near = _day_near(phrase, booked, today)
    if near:
        return near
    if re.fullmatch(r"\d+", phrase.strip()) or not re.search(r"[a-z0-9]", phrase) or re.fullmatch(rf"(?:for )?{AMOUNT} {UNIT}", phrase.strip()):
        return None  # a lone number is a count, and "a week" a length, more often than a date
    try:
        return parse_date(phrase, today)
    except DateNotUnderstood:
        return None


def _first_new_date(text: str, entities: Mapping[str, str], booked: date, today: date) -> Optional[Tuple[str, date]]:
    """The first date said, and its words; past the booked one when another follows ("move my flight
    on the 20th to the 22nd": the booked date names the flight, the other is the new one)."""
    first = None
    for phrase in _phrases(text, entities):
        day = _absolute(phrase, booked, today)
        if day is None:
            continue
        if day != booked:
            return phrase, day
        first = first or (phrase, day)
    return first


def read_new_dates(text: str, entities: Mapping[str, str], outbound: date, back: Optional[date], today: date) -> Optional[NewDates]:
    """The booking's new dates (outbound, and return if it has one), or None when the message
    holds no date."""
    lowered = text.lower()
    return_only = back is not None and bool(RETURN_WORDS.search(lowered))
    shift = _shift(lowered) or next(filter(None, (_shift(v.lower()) for v in entities.values() if v)), None)
    if shift:
        days, phrase = shift
        moved = timedelta(days=days)
        if return_only:
            return NewDates((outbound, back + moved), phrase)
        return NewDates((outbound + moved,) + ((back + moved,) if back else ()), phrase)
    both = read_trip(text, today, known={"departure_date": outbound.isoformat()}) if return_only else None
    if both and both.departure_date and both.return_date:  # "go on 1 january instead, and come back on the 4th"
        return NewDates((both.departure_date, both.return_date), text)
    found = _first_new_date(lowered, entities, back if return_only else outbound, today)
    if found is None:  # the trip reader knows the compact forms customers write ("14/1", "jan14")
        reading = read_trip(text, today, asked="departure_date", known={"departure_date": outbound.isoformat()})
        found = (text, reading.departure_date) if reading.departure_date else None
    if found is None:
        return None
    phrase, day = found
    if return_only:
        return NewDates((outbound, day), phrase)
    if back is None:
        return NewDates((day,), phrase)
    return NewDates((day, back + (day - outbound) if day > back else back), phrase)
