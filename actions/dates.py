"""Turns what customers write about dates into real dates.

Handles absolute dates ("15 December", "dec 15th", "12/15", "2026-12-15"), days of the month
("the 15th", "the twenty-second"), weekdays ("friday", "this fri", "next friday": the friday of next week), and relative
phrases ("today", "tomorrow", "the day after tomorrow", "in two weeks", "in 3 days", "next week",
"a week later", "a week from today", "the next day") and holidays ("over christmas", "new year's
eve", "thanksgiving"). A date without a year is the next one to come. Return dates are read
relative to the departure ("the 22nd" after "the 15th", "a week later", "for 5 days").
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Optional

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
# Customers writing English with a word of their own ("fly to munich el viernes"). Not "domingo":
# Santo Domingo is a place.
for _names in ("lunes martes miercoles jueves viernes sabado", "lundi mardi mercredi jeudi vendredi samedi dimanche",
               "montag dienstag mittwoch donnerstag freitag samstag sonntag", "lunedi martedi mercoledi giovedi venerdi sabato domenica"):
    WEEKDAYS.update({name: i for i, name in enumerate(_names.split())})
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "couple": 2, "few": 3,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
UNITS = {"day": 1, "night": 1, "week": 7, "fortnight": 14}
TOMORROW = ("tomorrow", "tmrw", "tmr", "tmrow", "tmw", "2morrow", "2moro", "tomoz", "tomorow", "tommorow", "tommorrow", "domani", "amanha")


class DateNotUnderstood(ValueError):
    """The text holds no date we can read."""


def _ordinal_words(text: str) -> str:
    """'twenty second' / 'twenty-second' -> '22nd'; 'fifteenth' -> '15th'."""
    def compound(match: re.Match) -> str:
        tens = NUMBERS[match.group(1)]
        return f"{tens + ORDINALS[match.group(2)]}th"

    text = re.sub(r"\b(twenty|thirty)[\s-]+(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)\b", compound, text)
    return re.sub(r"\b(" + "|".join(ORDINALS) + r")\b", lambda m: f"{ORDINALS[m.group(1)]}th", text)


def _clean(text: str) -> str:
    text = text.lower().strip()
    text = re.sub(r"[,.!?]", " ", text)
    text = re.sub(r"\bnxt\b", "next", text)
    text = re.sub(r"\b(on|the|of|for|leaving|departing|returning|coming back|back|around|about)\b", " ", text)
    text = _ordinal_words(text)
    month = "|".join(sorted(MONTHS, key=len, reverse=True))
    text = re.sub(rf"\b({month})(\d{{1,2}}(?:st|nd|rd|th)?)\b|\b(\d{{1,2}}(?:st|nd|rd|th)?)({month})\b",  # dec20, 20dec
                  lambda m: " ".join(g for g in m.groups() if g), text)
    return re.sub(r"\s+", " ", text).strip()


def _safe(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_day_of_month(day: int, start: date) -> Optional[date]:
    """The first date on or after `start` falling on this day of the month."""
    year, month = start.year, start.month
    for _ in range(13):
        candidate = _safe(year, month, day)
        if candidate and candidate >= start:
            return candidate
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return None


def _month_day(month: int, day: int, start: date, year: Optional[int]) -> Optional[date]:
    if year is not None:
        return _safe(year, month, day)
    candidate = _safe(start.year, month, day)
    if candidate and candidate >= start:
        return candidate
    return _safe(start.year + 1, month, day)


def _amount(word: str) -> Optional[int]:
    return int(word) if word.isdigit() else NUMBERS.get(word)


def _thanksgiving(year: int) -> date:
    """The fourth Thursday of November (the US holiday)."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _holiday(text: str, base: date) -> Optional[date]:
    """The next holiday the text names, on or after `base`. Being away "over christmas" or "for new
    year" means leaving a little before; "christmas day", "on christmas" or "thanksgiving day" is
    the day itself."""
    text = re.sub(r"[\'’]", "", text.lower())
    text = re.sub(r"\s+", " ", text).strip(" ,.!?")
    days = {
        r"(?:on )?(?:christmas|xmas) eve": (12, 24), r"(?:on )?(?:christmas|xmas) day|on (?:christmas|xmas)": (12, 25),
        r"(?:over |for |at |around )?(?:the )?(?:christmas|xmas)(?: holidays?| break)?": (12, 23),
        r"(?:on )?new ?years? eve|nye": (12, 31), r"(?:on )?new ?years? day": (1, 1),
        r"(?:over |for |at |around )?(?:the )?new ?years?": (12, 30),
    }
    for pattern, (month, day) in days.items():
        if re.fullmatch(pattern, text):
            return _month_day(month, day, base, None)
    match = re.fullmatch(r"(on |over |for |at |around )?(?:the )?thanksgiving( day| weekend| break)?", text)
    if match:
        before = 0 if match.group(1) == "on " or match.group(2) == " day" else 1  # leave the day before
        for year in (base.year, base.year + 1):
            found = _thanksgiving(year) - timedelta(days=before)
            if found >= base:
                return found
    return None


def parse_date(text: str, today: date, after: Optional[date] = None) -> date:
    """The date `text` means, seen from `today`. With `after` (a departure date), day-of-month and
    relative phrases count from there, as in a return date."""
    try:
        return _parse(text, today, after)
    except DateNotUnderstood:
        raise
    except (OverflowError, ValueError):  # "in 99999999999 days": past the last date there is
        raise DateNotUnderstood(text) from None


def _parse(text: str, today: date, after: Optional[date]) -> date:
    if not text or not text.strip():
        raise DateNotUnderstood(text)
    base = after or today
    holiday = _holiday(text, base)
    if holiday:
        return holiday
    cleaned = _clean(text)

    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
        year, month, day = map(int, cleaned.split("-"))
        found = _safe(year, month, day)
        if found:
            return found
        raise DateNotUnderstood(text)

    simple = {"today": today, "tonight": today, "day after tomorrow": today + timedelta(days=2),
              "next day": base + timedelta(days=1), "following day": base + timedelta(days=1), "day after": base + timedelta(days=1)}
    simple.update({word: today + timedelta(days=1) for word in TOMORROW})
    if cleaned in simple:
        return simple[cleaned]

    # a week from today / 3 days from tomorrow: counted from the day named
    match = re.fullmatch(r"(?:a )?(\d+|[a-z]+) (day|night|week|fortnight)s? from (today|now|tomorrow|" + "|".join(TOMORROW) + ")", cleaned)
    if match and _amount(match.group(1)) is not None:
        start = today if match.group(3) in ("today", "now") else today + timedelta(days=1)
        return start + timedelta(days=_amount(match.group(1)) * UNITS[match.group(2)])

    # in two weeks / in 3 days / a week later / 5 days after / for a week / next week / next month
    match = re.fullmatch(r"(?:in |within )?(?:a )?(\d+|[a-z]+) (day|night|week|fortnight)s?(?: later| after| afterwards| from now| time)?", cleaned)
    if match and _amount(match.group(1)) is not None:
        return base + timedelta(days=_amount(match.group(1)) * UNITS[match.group(2)])
    if cleaned in ("a week", "week later", "a week later", "one week"):
        return base + timedelta(days=7)
    if cleaned == "next week":
        return base + timedelta(days=7 - base.weekday())
    if cleaned == "next month":
        return _safe(base.year + (base.month == 12), base.month % 12 + 1, 1)
    if cleaned in ("weekend", "this weekend", "next weekend", "weekend after next"):
        saturday = base + timedelta(days=(5 - base.weekday()) % 7)
        return saturday + timedelta(days={"next weekend": 7, "weekend after next": 14}.get(cleaned, 0))
    if cleaned == "week after next":
        return base + timedelta(days=14 - base.weekday())

    # weekdays: friday, this friday, coming fri; "next friday" is the friday of next week
    match = re.fullmatch(r"(this |next |coming |following )?([a-z]+)(?: morning| afternoon| evening| night)?", cleaned)
    if match and match.group(2) in WEEKDAYS:
        weekday = WEEKDAYS[match.group(2)]
        if match.group(1) in ("next ", "following ") and after is None:
            next_monday = base + timedelta(days=7 - base.weekday())
            return next_monday + timedelta(days=weekday)
        ahead = (weekday - base.weekday()) % 7 or 7  # "tuesday" said on a Tuesday: today would be "today"
        return base + timedelta(days=ahead)

    # the end of next week (its Friday), the start of it (Monday), the middle (Wednesday)
    match = re.fullmatch(r"(?:at )?(?:the )?(end|start|beginning|middle|mid)(?: of)? ?(this|next) week", cleaned)
    if match:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if match.group(2) == "next" else 0)
        found = monday + timedelta(days={"end": 4, "middle": 2, "mid": 2}.get(match.group(1), 0))
        return max(found, base)

    year_match = re.search(r"\b((?:19|20)\d\d)\b", cleaned)
    year = int(year_match.group(1)) if year_match else None
    words = re.sub(r"\b(?:19|20)\d\d\b", " ", cleaned).split()

    # 15 december / december 15th / dec 15 / 15th of dec
    months = [MONTHS[w] for w in words if w in MONTHS]
    days = [int(re.match(r"\d+", w).group()) for w in words if re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", w)]
    if months and days:
        found = _month_day(months[0], days[0], base, year)
        if found:
            return found
        raise DateNotUnderstood(text)

    # numeric 12/15, 15/12, 12/15/2026, 15.12 (dots were cleaned to spaces, so also "15 12")
    match = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?", cleaned)
    if match:
        first, second = int(match.group(1)), int(match.group(2))
        given_year = int(match.group(3)) if match.group(3) else year
        if given_year is not None and given_year < 100:
            given_year += 2000
        month, day = (first, second) if first <= 12 else (second, first)  # US order unless impossible
        found = _month_day(month, day, base, given_year)
        if found:
            return found
        raise DateNotUnderstood(text)

    # the 15th / 15th / 15
    if len(words) == 1 and re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", words[0]):
        found = _next_day_of_month(int(re.match(r"\d+", words[0]).group()), base)
        if found:
            return found
    raise DateNotUnderstood(text)


def describe(day: date, today: date) -> str:
    """A date as the assistant says it: 'Tue 15 Dec' (with the year when it is not this year)."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"
