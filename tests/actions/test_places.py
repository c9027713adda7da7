"""Place names as customers write them, resolved through the flights API's place suggestions."""
import pytest

from actions.places import describe, namesakes_at_home, nearby_slot, normalise, region_names, regions_said, resolve_place, resolve_with_region, with_region


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
    assert resolve_place("mordor", vendors.flights()).place is None
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


@pytest.mark.parametrize("text, code", [
    ("barcelona", "BCN"), ("naples", "NAP"), ("venice", "VCE"), ("vancouver", "YVR"), ("berlin", "BER"),
    ("turin", "TRN"), ("bangkok", "BKK"), ("napels", "NAP"),
])
def test_a_shared_name_means_the_city_customers_mean(vendors, text, code):
    found = resolve_place(text, vendors.flights())
    assert found.place is not None and found.place.iata_code == code


@pytest.mark.parametrize("text, code", [
    ("barcelona venezuela", "BLA"), ("naples florida", "APF"), ("barcelona spain", "BCN"),
    ("manchester uk", "MAN"), ("portland oregon", "PDX"), ("columbus georgia", "CSG"), ("columbus ohio", "CMH"),
])
def test_a_region_picks_among_the_places_of_a_name(vendors, text, code):
    found = resolve_with_region(text, vendors.flights())
    assert found is not None and found.place.iata_code == code


def test_a_name_nothing_is_close_to_ends_after_one_try(vendors):
    assert resolve_place("qwzxv", vendors.flights()).place is None


@pytest.mark.parametrize("place, text, expected", [
    ("rochester", "Denver to Rochester NY 12/21", "rochester new york"), ("portland", "Portland OR on friday", "portland oregon"),
    ("springfield", "springfield il", "springfield illinois"), ("portland", "portland or seattle", "portland"),
])
def test_a_state_s_postal_code_after_a_city_is_its_region(place, text, expected):
    assert with_region(place, text) == expected


@pytest.mark.parametrize("said, places, slot", [
    ("oakland", {"origin": "SFO", "destination": "DEN"}, "origin"),  # across the bay from SFO
    ("laguardia", {"origin": "EWR", "destination": "ORD"}, "origin"),
    ("gatwick", {"origin": "JFK", "destination": "LHR"}, "destination"),
    ("boston", {"origin": "JFK", "destination": "LAX"}, None),  # near neither: not for the map to say
    ("oakland", {"origin": "SFO", "destination": "SJC"}, None),  # near both
])
def test_a_place_said_alone_stands_in_for_the_one_it_lies_next_to(said, places, slot):
    assert nearby_slot(said, places) == slot


@pytest.mark.parametrize("text, home, codes", [
    ("melbourne", "ATL", ["MEL", "MLB"]),  # from the United States: Melbourne, Florida as well
    ("melbourne", "atlanta", ["MEL", "MLB"]),
    ("melbourne", "LHR", []),  # from London: the name's main airport alone
    ("albany", "JFK", []),  # the main one is at home already
    ("london", "YVR", ["LON", "YXU"]),  # from Vancouver: London, Ontario as well
    ("london", "JFK", []),
    ("rome", "JFK", []),  # Rome, New York's field is no airport customers mean by "rome"
])
def test_a_namesake_in_the_travellers_country_is_asked_about(vendors, text, home, codes):
    main = resolve_place(text, vendors.flights()).place
    assert [p.iata_code for p in namesakes_at_home(text, main, home, vendors.flights())] == codes


def test_a_state_is_named_by_its_postal_code_unless_that_is_a_word(vendors):
    columbia = resolve_place("cae", vendors.flights()).place
    assert "sc" in region_names(columbia) and "south carolina" in region_names(columbia)
    assert "in" not in region_names(resolve_place("ind", vendors.flights()).place)


def test_the_regions_a_message_names():
    assert regions_said("hold on let me ask him... ok she's in georgia") == ["georgia"]
    assert regions_said("florida lol") == ["florida"]
    assert regions_said("let us know") == []
    assert regions_said("the one in spain lol") == ["spain"]
    assert regions_said("my daughter georgia is 7") == []
