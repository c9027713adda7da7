"""The preference model: trained on seeded histories, it ranks places and tasks per customer and
does better than offering everyone the most popular places."""
from datetime import date, datetime, timedelta, timezone

import pytest

from preferences.history import TASKS, Interaction, from_sandbox
from preferences.model import PreferenceModel, evaluate, train
from sandbox.db import Database
from sandbox.models import Contact
from sandbox.seed import seed

ANCHOR = date(2026, 6, 1)
END = datetime(2026, 6, 2, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('prefs')}/seed.db")
    seed(db, customers=200, today=ANCHOR)
    histories = from_sandbox(db, ANCHOR)
    with db.transaction() as session:
        homes = {c.email: c.home_airport for c in session.query(Contact)}
    return histories, homes


def test_histories_mix_bookings_searches_trips_and_tickets_in_time_order(seeded):
    histories, _ = seeded
    tasks = {i.task for items in histories.values() for i in items}
    assert tasks == set(TASKS)
    for items in histories.values():
        assert [i.at for i in items] == sorted(i.at for i in items)
    assert histories["tom.becker@example.com"] == []  # the customer with no history has none


def test_seeding_is_repeatable(seeded, tmp_path):
    db = Database(f"sqlite:///{tmp_path}/again.db")
    seed(db, customers=200, today=ANCHOR)
    assert from_sandbox(db, ANCHOR) == seeded[0]


def test_beats_the_most_popular_baseline_on_later_months(seeded):
    histories, homes = seeded
    report = evaluate(histories, homes, END - timedelta(days=150), 150)
    assert report["customers_evaluated"] >= 100
    assert report["precision_at_3"] > report["baseline_precision_at_3"]
    assert report["hit_rate_at_3"] > report["baseline_hit_rate_at_3"]


def test_ranks_a_regulars_usual_place_first_and_never_home(seeded, tmp_path):
    histories, homes = seeded
    model = train(histories, homes, END)
    model.save(tmp_path / "prefs.joblib")
    model = PreferenceModel.load(tmp_path / "prefs.joblib")
    regular = [Interaction(END - timedelta(days=d), "book", "LIS") for d in (300, 200, 100, 20)]
    ranked = model.rank_destinations(regular, END, home="BOS")
    assert ranked[0] == "LIS" and len(ranked) == 3 and "BOS" not in ranked
    assert model.rank_destinations([Interaction(END, "book", "MAD")], END, home="MAD")[0] != "MAD"
    assert sorted(model.rank_tasks(regular, END)) == sorted(TASKS)
