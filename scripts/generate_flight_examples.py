"""Writes data/flights_variations.yml: flight requests and answers in many phrasings, combining the
templates below with real place names (data/lookups/places.yml), dates, party sizes and cabins, in
the way customers type (lower case, no punctuation, typos, airport codes).

Designers add phrasings to TEMPLATES / ANSWERS and rerun `make nlu-variations`; the output is
seeded, so the same templates give the same file. Messages that appear in the held-out test file
are left out, so the test stays unseen."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.places import KNOWN_NAMES  # noqa: E402

OUT = ROOT / "data" / "flights_variations.yml"
HELD_OUT = ROOT / "tests" / "nlu" / "test_nlu.yml"
SEED = 2026

# {o} origin, {d} destination, {date} departure, {ret} return, {pax} travellers, {cabin} cabin
TEMPLATES = [
    "flights from {o} to {d}", "flights from {o} to {d} {date}", "flights from {o} to {d} on {date}",
    "show me flights from {o} to {d}", "show me flights from {o} to {d} {date}", "show me the flights from {o} to {d} on {date}",
    "show flights {o} to {d}", "list flights from {o} to {d}", "list all flights from {o} to {d} {date}",
    "what flights go from {o} to {d}", "what flights are there from {o} to {d} {date}", "what flights do you have from {o} to {d}",
    "which flights fly from {o} to {d} {date}", "are there flights from {o} to {d} {date}", "any flights {o} to {d}",
    "i need a flight from {o} to {d}", "i need a flight from {o} to {d} {date}", "i need to fly from {o} to {d} on {date}",
    "i want to fly from {o} to {d}", "i want to fly from {o} to {d} {date}", "i would like to fly from {o} to {d} on {date}",
    "i'd like a flight from {o} to {d} {date}", "i'd like to book a flight from {o} to {d}", "book a flight from {o} to {d} {date}",
    "book me a flight {o} to {d}", "can you book me a flight from {o} to {d} {date}", "please find a flight from {o} to {d}",
    "find me flights from {o} to {d} for {date}", "search flights {o} to {d} {date}", "get me a flight from {o} to {d}",
    "{o} to {d}", "{o} to {d} {date}", "{o} to {d} on {date}", "{o} - {d} {date}", "{o} -> {d} {date}", "{o} {d} {date}",
    "from {o} to {d}", "from {o} to {d} {date}", "from {o} going to {d}", "fly {o} to {d} {date}", "flying {o} to {d} {date}",
    "flight {o} to {d}", "flight from {o} to {d} please", "flights between {o} and {d}", "flights between {o} and {d} {date}",
    "i want to go to {d} from {o}", "i want to go to {d} from {o} {date}", "i need to get to {d} from {o}",
    "to {d} from {o}", "to {d} from {o} {date}", "flights to {d} from {o}", "a flight to {d} from {o} on {date}",
    "going to {d} from {o} {date}", "heading to {d} from {o}", "flying into {d} from {o}", "{d} from {o} {date}",
    "leaving {o} {date} going to {d}", "departing from {o} to {d}", "departing {o} for {d} {date}", "leaving from {o} for {d}",
    "out of {o} to {d} {date}", "flights out of {o} to {d}", "flights leaving {o} for {d}",
    "cheapest flight from {o} to {d}", "cheap flights {o} to {d} {date}", "how much is a flight from {o} to {d}",
    "what's the fare from {o} to {d}", "price of flights from {o} to {d} {date}", "lowest fare {o} to {d}",
    "round trip from {o} to {d} {date} returning {ret}", "round trip {o} to {d} leaving {date} back {ret}",
    "return flight {o} to {d} {date} coming back {ret}", "{o} to {d} {date} back {ret}", "{o} to {d} {date} to {ret}",
    "from {o} to {d} leaving {date} and returning {ret}", "fly from {o} to {d} on {date} and come back on {ret}",
    "i need a round trip ticket from {o} to {d} departing {date} returning {ret}",
    "one way from {o} to {d} {date}", "one way ticket {o} to {d}", "one-way flight from {o} to {d} on {date}",
    "flights from {o} to {d} {date} for {pax}", "{pax} from {o} to {d} {date}", "i need {pax} tickets from {o} to {d}",
    "{cabin} from {o} to {d}", "{cabin} flight from {o} to {d} {date}", "flights from {o} to {d} in {cabin}",
    "flights to {d}", "flights to {d} {date}", "flight to {d} on {date}", "i want to fly to {d}", "i want to fly to {d} {date}",
    "i need a flight to {d}", "i need to get to {d} {date}", "book a flight to {d}", "book me a ticket to {d} for {date}",
    "cheap flights to {d}", "any flights to {d} {date}", "what flights go to {d}", "find flights to {d}", "trip to {d} {date}",
    "can i fly to {d} {date}", "fly me to {d}", "looking for flights to {d} on {date}", "plane tickets to {d}",
    "round trip to {d} leaving {date} returning {ret}", "to {d} {date} back {ret}", "one way to {d} {date}",
    "flights from {o}", "flights out of {o} {date}", "what flights leave {o} {date}", "i want to fly out of {o}",
    "i'm flying from {o} {date}", "departures from {o} {date}",
    "hi i need a flight from {o} to {d}", "hello, can you find flights from {o} to {d} {date}",
    "hey looking for a flight {o} to {d}",
    # the destination first, then the date, the way people type a quick query
    "{d} {date}", "{d} {date} one way", "{d} {date} back {ret}", "{d} {date} one way from {o}", "{d} {date} from {o}",
    "{d} {date} ow", "{d} {date} rt back {ret}", "i'm trying to book a flight to {d} but can't find a good price",
    "i'm trying to find a flight from {o} to {d} that isn't too expensive",
]
ANSWERS = [  # short replies to the form's questions, and corrections
    "from {o}", "i'm in {o}", "leaving from {o}", "flying out of {o}", "out of {o}", "starting in {o}",
    "{d_to}", "to {d}", "going to {d}", "heading to {d}", "destination {d}",
    "actually from {o}", "make it from {o} instead", "from {o} instead", "change the origin to {o}",
    "actually to {d}", "make it {d} instead", "change the destination to {d}", "let's do {d} instead", "i meant {d}",
    "{date}", "on {date}", "leaving {date}", "departing {date}", "i want to leave {date}",
    "{date} and back {ret}", "leaving {date} and coming back {ret}", "{date} to {ret}", "out {date} back {ret}",
    "going {date} returning {ret}", "from {date} until {ret}",
    "returning {ret}", "back {ret}", "coming back {ret}", "i'll come back {ret}", "return {ret}",
    "actually make it {date}", "change the date to {date}", "can we do {date} instead", "move it to {date}",
    "actually come back {ret}", "change the return to {ret}",
    "{pax}", "for {pax}", "we are {pax}", "{cabin}", "in {cabin}", "{cabin} please",
]
DATES = [
    "today", "tomorrow", "the day after tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "this friday", "this weekend", "next monday", "next tuesday", "next thursday", "next friday",
    "next saturday", "next week", "next month", "in two weeks", "in 3 days", "in a week", "in ten days",
    "the 1st", "the 2nd", "the 3rd", "the 4th", "the 5th", "the 8th", "the 10th", "the 12th", "the 14th", "the 15th",
    "the 16th", "the 19th", "the 20th", "the 21st", "the 23rd", "the 25th", "the 28th", "the 30th",
    "dec 15", "december 3rd", "jan 8", "january 12th", "feb 2", "february 14", "march 1st", "march 20", "april 5",
    "april 22nd", "may 9", "june 3rd", "july 4th", "aug 17", "september 9", "oct 31", "november 28",
    "15 december", "3 jan", "22 march", "12/15", "1/9", "3/14", "2027-01-15", "the twentieth", "the fifth",
    "tomorrow morning", "friday evening", "sunday night", "monday morning",
]
RETURNS = [
    "the 22nd", "the 9th", "the 30th", "the 2nd", "sunday", "next sunday", "friday", "monday", "a week later",
    "jan 3", "january 10th", "dec 28", "march 27", "april 30", "the 18th", "the 27th", "12/22", "two weeks later",
    "the following monday", "the 6th",
]
PAX = ["2", "two", "3 people", "three", "4 adults", "2 adults", "five", "2 passengers", "the two of us", "six people", "4"]
CABINS = ["business", "business class", "first class", "economy", "premium economy", "coach", "1st class"]  # not a bare "first": that picks an offer
TYPOS = {"flights": ["flihgts", "fligths", "flgihts", "flights"], "flight": ["fligth", "flght", "filght"], "from": ["form", "frm"],
         "tomorrow": ["tomorow", "tmrw"], "please": ["plz", "pls"], "ticket": ["tiket"], "cheap": ["chep"], "want": ["wnat", "wanna"]}
COMMON = [
    "boston", "new york", "nyc", "chicago", "los angeles", "la", "san francisco", "sf", "seattle", "denver", "atlanta",
    "dallas", "houston", "miami", "orlando", "las vegas", "vegas", "phoenix", "philadelphia", "philly", "washington",
    "dc", "baltimore", "pittsburgh", "detroit", "minneapolis", "st. louis", "kansas city", "salt lake city", "portland",
    "san diego", "oakland", "charlotte", "nashville", "new orleans", "tampa", "cleveland", "columbus", "indianapolis",
    "milwaukee", "toronto", "montreal", "vancouver", "london", "paris", "rome", "madrid", "barcelona", "lisbon",
    "dublin", "amsterdam", "frankfurt", "berlin", "munich", "zurich", "tokyo", "hong kong", "singapore", "sydney",
    "dubai", "mexico city", "cancun", "honolulu", "newark", "burbank", "ontario", "long beach", "san jose", "memphis",
]


def places() -> list:
    text = (ROOT / "data" / "lookups" / "places.yml").read_text(encoding="utf-8")
    names = [line.strip()[2:] for line in text.splitlines() if line.startswith("      - ")]
    return [n for n in names if len(n) > 2 or n in KNOWN_NAMES]


def typo(rng: random.Random, words: str) -> str:
    return " ".join(rng.choice(TYPOS[w]) if w in TYPOS and rng.random() < 0.12 else w for w in words.split(" "))


def style(rng: random.Random, value: str) -> str:
    """Places as customers type them: mostly lower case, sometimes capitalised or upper-case codes."""
    roll = rng.random()
    if len(value) == 3 and value.isalpha() and roll < 0.5:
        return value.upper()
    return value.title() if roll < 0.25 else value


def fill(rng: random.Random, template: str, pool: list) -> str:
    def place(kind: str) -> str:
        name = rng.choice(COMMON) if rng.random() < 0.45 else rng.choice(pool)
        return f"[{style(rng, name)}]({kind})"

    origin, destination = place("origin"), place("destination")
    while destination.split("]")[0] == origin.split("]")[0].replace("(origin)", ""):
        destination = place("destination")
    out = template
    # literal text around the annotations gets lower-casing and typos; annotations stay intact
    out = typo(rng, out)
    values = {
        "o": origin, "d": destination, "d_to": destination,
        "date": f"[{rng.choice(DATES)}](departure_date)", "ret": f"[{rng.choice(RETURNS)}](return_date)",
        "pax": f"[{rng.choice(PAX)}](passengers)", "cabin": f"[{rng.choice(CABINS)}](cabin)",
    }
    out = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], out)
    out = re.sub(r"\b(on|for) \[(in |next |this |today|tomorrow|tonight)", r"[\2", out)  # no "on next friday"
    if rng.random() < 0.15:
        out = out[0].upper() + out[1:]
    return out


def plain(example: str) -> str:
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", example).strip().lower()


def _examples(path: Path) -> set:
    return {plain(line.strip()[2:]) for line in path.read_text(encoding="utf-8").splitlines() if line.strip().startswith("- ")}


def main(out: Path = OUT) -> None:
    rng = random.Random(SEED)
    pool = places()
    held_out = _examples(HELD_OUT)
    # Written by hand elsewhere, maybe under another intent ("first class pls" is a refinement): not generated again.
    written = set().union(*(_examples(path) for path in OUT.parent.glob("*.yml") if path.name != OUT.name))
    sections = {"search_flight": (TEMPLATES, 4), "inform": (ANSWERS, 4)}
    lines = [
        'version: "3.1"',
        "# Generated by scripts/generate_flight_examples.py: edit the templates there, not this file.",
        "nlu:",
    ]
    for intent, (templates, per_template) in sections.items():
        seen = set()
        lines += [f"  - intent: {intent}", "    examples: |"]
        for template in templates:
            for _ in range(per_template):
                example = fill(rng, template, pool)
                key = plain(example)
                if key.isdigit() or re.fullmatch(r"(?:the )?\d{1,2}(?:st|nd|rd|th)", key):
                    continue  # a bare number or "the 2nd" after the offers picks one; the form never asks for the party
                if key in seen or key in held_out or key in written:
                    continue
                seen.add(key)
                lines.append(f"      - {example}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}: {sum(1 for line in lines if line.startswith('      - '))} examples")


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:2]))
