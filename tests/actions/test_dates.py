"""Reading dates the way customers write them."""
from datetime import date

import pytest

from actions.dates import DateNotUnderstood, describe, parse_date

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize("text, expected", [
    ("the 15th", date(2026, 12, 15)), ("15th", date(2026, 12, 15)), ("the 25th", date(2026, 11, 25)),
    ("the 3rd", date(2026, 12, 3)), ("the twenty-second", date(2026, 12, 22)), ("the fifth", date(2026, 12, 5)),
    ("today", TODAY), ("tomorrow", date(2026, 11, 26)), ("the day after tomorrow", date(2026, 11, 27)),
    ("friday", date(2026, 11, 27)), ("this friday", date(2026, 11, 27)), ("next friday", date(2026, 12, 4)),
    ("wednesday", date(2026, 12, 2)),  # said on a Wednesday: today would be "today"
    ("end of next week", date(2026, 12, 4)), ("the start of next week", date(2026, 11, 30)), ("middle of next week", date(2026, 12, 2)),
    ("next monday", date(2026, 11, 30)), ("fri", date(2026, 11, 27)), ("in two weeks", date(2026, 12, 9)),
    ("in 3 days", date(2026, 11, 28)), ("next week", date(2026, 11, 30)), ("this weekend", date(2026, 11, 28)),
    ("dec 15", date(2026, 12, 15)), ("15 December", date(2026, 12, 15)), ("december fifteenth", date(2026, 12, 15)),
    ("April 5th", date(2027, 4, 5)), ("jan 3 2027", date(2027, 1, 3)), ("12/15", date(2026, 12, 15)),
    ("15/12", date(2026, 12, 15)), ("2026-12-15", date(2026, 12, 15)), ("2 April 1988", date(1988, 4, 2)),
])
def test_dates(text, expected):
    assert parse_date(text, TODAY) == expected


def test_return_dates_count_from_the_departure():
    leaving = date(2026, 12, 15)
    assert parse_date("the 22nd", TODAY, after=leaving) == date(2026, 12, 22)
    assert parse_date("the 2nd", TODAY, after=leaving) == date(2027, 1, 2)
    assert parse_date("a week later", TODAY, after=leaving) == date(2026, 12, 22)
    assert parse_date("for 5 days", TODAY, after=leaving) == date(2026, 12, 20)
    assert parse_date("sunday", TODAY, after=leaving) == date(2026, 12, 20)


@pytest.mark.parametrize("text, expected", [
    ("over christmas", date(2026, 12, 23)), ("xmas", date(2026, 12, 23)), ("christmas eve", date(2026, 12, 24)),
    ("on christmas", date(2026, 12, 25)), ("Christmas Day", date(2026, 12, 25)), ("new year's eve", date(2026, 12, 31)),
    ("New Year’s Day", date(2027, 1, 1)), ("over new year", date(2026, 12, 30)), ("thanksgiving", date(2026, 11, 25)),
    ("on thanksgiving", date(2026, 11, 26)), ("a week from today", date(2026, 12, 2)), ("3 days from tomorrow", date(2026, 11, 29)),
    ("in a couple of days", date(2026, 11, 27)), ("2morrow", date(2026, 11, 26)), ("tmrw", date(2026, 11, 26)),
    ("dec20", date(2026, 12, 20)), ("20dec", date(2026, 12, 20)), ("jan3rd", date(2027, 1, 3)),
])
def test_holidays_and_more_relative_dates(text, expected):
    assert parse_date(text, TODAY) == expected


def test_relative_returns():
    leaving = date(2026, 12, 28)
    assert parse_date("the next day", TODAY, after=leaving) == date(2026, 12, 29)
    assert parse_date("the day after", TODAY, after=leaving) == date(2026, 12, 29)
    assert parse_date("a couple of days later", TODAY, after=leaving) == date(2026, 12, 30)
    assert parse_date("two days afterwards", TODAY, after=leaving) == date(2026, 12, 30)
    assert parse_date("christmas", TODAY, after=leaving) == date(2027, 12, 23)  # the next one after leaving
    assert parse_date("new year's eve", TODAY, after=leaving) == date(2026, 12, 31)


@pytest.mark.parametrize("text", ["", "soon", "the 45th", "february 30", "13/13", "2026-02-30", "whenever", "in 99999999999 days",
                                  "in " + "9" * 5000 + " days"])
def test_not_dates(text):
    with pytest.raises(DateNotUnderstood):
        parse_date(text, TODAY)


def test_describe():
    assert describe(date(2026, 12, 15), TODAY) == "Tue 15 Dec"
    assert describe(date(2027, 1, 2), TODAY) == "Sat 2 Jan 2027"
