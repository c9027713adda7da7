"""Place names as customers write them, resolved through the flights API's place suggestions."""
import pytest

from actions.places import describe, normalise, resolve_place


@pytest.mark.parametrize("text, code", [
    ("nyc", "NYC"), ("New York City", "NYC"), ("Boston", "BOS"), ("bostn", "BOS"), ("LHR", "LHR"), ("lhr", "LHR"),
    ("heathrow", "LHR"), ("Newark airport", "EWR"), ("philly", "PHL"), ("lisbn", "LIS"), ("paris", "PAR"),
    ("san francisco", "SFO"), ("seattle", "SEA"), ("St. Louis", "STL"),
])
def test_known_places(vendors, text, code):
    found = resolve_place(text, vendors.flights())
    assert found.place is not None and found.place.iata_code == code


def test_ambiguous_and_unknown(vendors):
    portland = resolve_place("portland", vendors.flights())
    assert portland.ambiguous and {p.iata_code for p in portland.candidates} >= {"PDX", "PWM"}
    assert resolve_place("narnia", vendors.flights()).place is None
    assert resolve_place("x", vendors.flights()).place is None


def test_descriptions(vendors):
    assert describe(resolve_place("nyc", vendors.flights()).place) == "New York (all airports: JFK, LGA, EWR)"
    assert describe(resolve_place("bos", vendors.flights()).place) == "Boston (BOS)"
    assert normalise("  The O'Hare Intl. Airport ") == "ohare"


@pytest.mark.parametrize("text, code", [("dublin", "DUB"), ("colorado springs", "COS")])
def test_the_city_s_airport_wins_over_small_and_military_fields_of_its_name(vendors, text, code):
    found = resolve_place(text, vendors.flights())
    assert found.place is not None and found.place.iata_code == code


def test_airports_bearing_the_city_s_name_are_still_asked_about(vendors):
    manchester = resolve_place("manchester", vendors.flights())
    assert manchester.ambiguous and {"MAN", "MHT"} <= {p.iata_code for p in manchester.candidates}
