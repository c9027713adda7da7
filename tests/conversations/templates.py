"""The tiny template language of the conversation files, so that no conversation depends on the day
it is played: what the customer says and the dates expected back are written relative to today.

A template is a string; `{...}` parts are replaced, everything else is kept as written.

Dates
  {+20}            the ISO date 20 days from today ("2027-01-14"); {-3} is 3 days ago
  {+20:FMT}        the same day as a customer writes it, FMT being one of
                     m/d        1/14             (US order, as customers here write it)
                     mon d      jan 14
                     month d    january 14
                     d month    14 january
                     month do   january 14th
                     do         14th             (only for offsets 1..27, so "the 14th"
                                                  means one day whichever day it is played)
                     wd         thursday
                     iso        2027-01-14
  {fri}            the first Friday after today, never today itself (any weekday: mon, tue, wed,
                   thu, fri, sat, sun); {fri+2} is two days after it; {fri:m/d} formats it.
                   This is what "friday" and "this friday" mean to the assistant.
  {next-fri}       the Friday of next week, weeks starting on Monday: what "next friday" means to
                   the assistant (documented in actions/dates.py). {next-fri+2}, {next-fri:mon d}.

Set-up values (see `given` in the conversation files)
  {ref}, {ref2}    the booking references of the conversation's first and second given booking.

Nothing else is special, except that {6} and {2,4} stay as written (regex quantifiers in `says`);
any other `{...}` is an error, so a typo in a template fails loudly instead of being sent to the
assistant as written.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Dict, Optional

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FORMATS = {
    "m/d": lambda d: f"{d.month}/{d.day}",
    "mon d": lambda d: f"{d:%b}".lower() + f" {d.day}",
    "month d": lambda d: f"{d:%B}".lower() + f" {d.day}",
    "d month": lambda d: f"{d.day} " + f"{d:%B}".lower(),
    "month do": lambda d: f"{d:%B}".lower() + f" {ordinal(d.day)}",
    "do": lambda d: ordinal(d.day),
    "wd": lambda d: f"{d:%A}".lower(),
    "iso": lambda d: d.isoformat(),
}
PART = re.compile(r"\{([^{}]*)\}")
DAY = re.compile(r"^(?:([+-]\d+)|(next-)?(" + "|".join(WEEKDAYS) + r")([+-]\d+)?)(?::(.+))?$")


class TemplateError(ValueError):
    """A `{...}` part the language does not know."""


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def weekday_after(today: date, weekday: int) -> date:
    """The first `weekday` (0 = Monday) after today, never today."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def weekday_of_next_week(today: date, weekday: int) -> date:
    return today + timedelta(days=7 - today.weekday() + weekday)


def _day(part: str, today: date) -> str:
    match = DAY.match(part)
    if not match:
        raise TemplateError(f"unknown template part {{{part}}}")
    offset, next_week, weekday, shift, fmt = match.groups()
    if offset is not None:
        day = today + timedelta(days=int(offset))
        if fmt == "do" and not 1 <= int(offset) <= 27:
            raise TemplateError(f"{{{part}}}: a bare day of the month is only unambiguous 1 to 27 days ahead")
    else:
        index = WEEKDAYS.index(weekday)
        day = weekday_of_next_week(today, index) if next_week else weekday_after(today, index)
        day += timedelta(days=int(shift or 0))
    if fmt is None:
        return day.isoformat()
    if fmt not in FORMATS:
        raise TemplateError(f"{{{part}}}: unknown date format {fmt!r} (known: {', '.join(FORMATS)})")
    return FORMATS[fmt](day)


def expand(text: str, today: date, refs: Optional[Dict[str, str]] = None) -> str:
    """`text` with every `{...}` part replaced."""
    def replace(match: re.Match) -> str:
        part = match.group(1).strip()
        if re.fullmatch(r"\d+(,\d*)?", part):
            return match.group(0)
        if re.fullmatch(r"ref\d?", part):
            if not refs or part not in refs:
                raise TemplateError(f"{{{part}}} needs a given booking")
            return refs[part]
        return _day(part, today)

    return PART.sub(replace, text)
