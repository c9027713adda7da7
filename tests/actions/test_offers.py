"""Showing the offers of a search and picking one by what customers say."""
import pytest

from actions.offers import AIRLINE_NAMES, ActionSelectOffer, ActionShowOffers, _narrows, asks_for_an_order, pick_offer
from tests.actions.conftest import make_tracker, run, searched, slots_set, texts


def test_offers_shown_and_picked_by_number_airline_and_cheapest(vendors):
    offers = searched(days=22)[0]["offers"]
    _, messages = run(ActionShowOffers(), make_tracker({"offers": offers}))
    assert texts(messages).count("nonstop") + texts(messages).count("stop") >= 5
    assert messages[-1]["custom"]["type"] == "flight_offers" and len(messages[-1]["custom"]["offers"]) == 5
    assert pick_offer(offers, "second", None, "the second one") == offers[1]
    assert pick_offer(offers, None, None, "option 3") == offers[2]
    assert pick_offer(offers, "cheapest", None, "the cheapest") == min(offers[:5], key=lambda o: float(o["price"]))
    assert pick_offer(offers, None, None, "the cheaper one") == min(offers[:5], key=lambda o: float(o["price"]))
    assert pick_offer(offers, None, None, "the later one") == max(offers[:5], key=lambda o: o["slices"][0]["depart"])
    assert pick_offer(offers, None, None, "the chepest one") == min(offers[:5], key=lambda o: float(o["price"]))
    airline = offers[3]["airline"]
    assert pick_offer(offers, None, airline.split()[0], f"the {airline} one")["airline"] == airline
    assert pick_offer(offers, None, "Aeroflot", "the aeroflot one") is None
    events, messages = run(ActionSelectOffer(), make_tracker({"offers": offers}, text="the second one", intent="select_offer", entities=[("choice", "second")]))
    assert slots_set(events)["selected_offer"] == offers[1] and "Shall I book it?" in texts(messages)
    four = make_tracker({"offers": offers, "passengers": 4.0}, text="1 of them cant come anymore so 3 ppl", intent="select_offer",
                        entities=[("choice", "1")])
    events, messages = run(ActionSelectOffer(), four)
    assert not messages and events[-1]["parse_data"]["intent"]["name"] == "refine_search"  # a smaller party, not offer 1
    events, messages = run(ActionSelectOffer(), make_tracker(text="Good day, for the back flight I take 16 december", intent="select_offer"))
    assert not messages and events[-1]["parse_data"]["intent"]["name"] == "search_flight"  # nothing shown yet: a search


def test_an_offer_picked_by_its_time_or_its_airline_in_words(vendors):
    offers = searched(days=26)[0]["offers"][:5]
    departures = [o["slices"][0]["depart"][11:16] for o in offers]
    unique = next(t for t in departures if departures.count(t) == 1)
    hour, minute = int(unique[:2]), unique[3:]
    spoken = f"the {hour % 12 or 12}:{minute}{'pm' if hour >= 12 else 'am'} one"
    assert pick_offer(offers, None, None, spoken) == offers[departures.index(unique)]
    names = {code: name for name, code in AIRLINE_NAMES.items()}
    known = next((o for o in offers if o["airline_code"] in names), None)
    if known:  # "the united one" without the NLU's airline entity
        picked = pick_offer(offers, None, None, f"i'll take the {names[known['airline_code']]} one")
        assert picked["airline_code"] == known["airline_code"]


def test_the_cheapest_nonstop_is_the_cheapest_of_the_nonstop_ones():
    def offer(price: str, stops: int) -> dict:
        return {"price": price, "airline_code": "XX", "airline": "X Air", "slices": [{"stops": stops, "depart": "2026-12-20T09:00", "minutes": 90}]}

    offers = [offer("90.00", 1), offer("150.00", 0), offer("120.00", 0)]
    assert pick_offer(offers, "cheapest", None, "cheapest nonstop pls") == offers[2]
    assert pick_offer(offers, None, None, "the nonstop one") == offers[1]
    assert pick_offer(offers[:1], None, None, "the cheapest direct one") is None
    assert pick_offer(offers, None, None, "the cheapest, doesn't need to be direct") == offers[0]


def test_a_pick_that_changes_the_party_or_cabin_narrows_the_search():
    assert _narrows("One of them has dropped out, so three travellers.") and _narrows("business for all of us then")
    assert not _narrows("the second one") and not _narrows("that one")


@pytest.mark.parametrize("text, asks", [
    ("cheapest?", True), ("ok whats the cheapest then", True), ("which one leaves earliest?", True),
    ("the cheapest", False), ("cheapest pls", False), ("the 2nd, is it the cheapest?", False),
])
def test_a_question_for_an_order_is_no_pick(text, asks):
    assert asks_for_an_order(text) is asks
