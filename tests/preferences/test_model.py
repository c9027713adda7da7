"""The preference model learns from the analytics store (PostgreSQL, as in production), filled the
way the demo fills it: the sandbox seed's histories as stream events through the consumer's own
code. It ranks places and tasks per customer; on a time split it does better than offering
everyone the most popular places, and at least as well as item-kNN."""
from datetime import datetime, timedelta
from typing import Iterator

import pytest

from common.sql import sql_engine
from preferences.history import TASKS, Interaction, from_store
from preferences.model import PreferenceModel, evaluate, train
from scripts.seed_analytics import conversation_for, demo_events, store
from tests.support.services import postgres_database

CUSTOMERS = 200
HELD_OUT_DAYS = 150


@pytest.fixture(scope="module")
def events():
    return demo_events(CUSTOMERS)


@pytest.fixture(scope="module")
def database(events) -> Iterator[str]:
    with postgres_database() as url:
        assert store(events, url) > 0
        yield url


@pytest.fixture(scope="module")
def histories(database):
    engine = sql_engine(database)
    try:
        yield from_store(engine)
    finally:
        engine.dispose()


def newest(histories) -> datetime:
    return max(i.at for items in histories.values() for i in items) + timedelta(seconds=1)


def test_histories_mix_searches_bookings_trips_and_support_in_time_order(histories):
    found, homes = histories
    tasks = {i.task for items in found.values() for i in items}
    assert tasks == set(TASKS)
    for items in found.values():
        assert [i.at for i in items] == sorted(i.at for i in items)
    bookings = [i for items in found.values() for i in items if i.booked]
    assert bookings and all(i.destination and i.departs for i in bookings)
    assert homes[conversation_for("maya.chen@example.com")] == "BOS"  # learned from where her searches start
    assert conversation_for("tom.becker@example.com") not in found  # the customer who never did anything


def test_seeding_again_stores_nothing_twice(database, events):
    assert store(events, database) == 0


def test_beats_most_popular_and_matches_item_knn_on_later_months(histories):
    found, homes = histories
    report = evaluate(found, homes, newest(found) - timedelta(days=HELD_OUT_DAYS), HELD_OUT_DAYS)
    assert report["cases"] >= 100
    assert report["precision_at_4"] > report["most_popular_precision_at_4"]
    assert report["precision_at_4"] >= report["item_knn_precision_at_4"]
    assert report["task_cases"] >= 100


def test_training_is_repeatable(histories):
    found, homes = histories
    end = newest(found)
    first, second = train(found, homes, end), train(found, homes, end)
    someone = next(items for items in found.values() if len(items) > 5)
    assert first.rank_destinations(someone, end, None) == second.rank_destinations(someone, end, None)
    assert first.weights == second.weights
    assert first.rank_tasks(someone, end) == second.rank_tasks(someone, end)


def test_ranks_a_regulars_usual_place_first_and_never_home(histories, tmp_path):
    found, homes = histories
    end = newest(found)
    train(found, homes, end).save(tmp_path / "prefs.joblib")
    model = PreferenceModel.load(tmp_path / "prefs.joblib")
    regular = [Interaction(end - timedelta(days=d), "book", "LIS", booked=True) for d in (300, 200, 100, 20)]
    ranked = model.rank_destinations(regular, end, home="BOS")
    assert ranked[0] == "LIS" and len(ranked) == 4 and "BOS" not in ranked
    assert model.rank_destinations([Interaction(end, "book", "MAD")], end, home="MAD")[0] != "MAD"
    assert sorted(model.rank_tasks(regular, end)) == sorted(TASKS)


def test_a_trip_leaving_soon_puts_my_trips_before_booking(histories):
    found, homes = histories
    end = newest(found)
    model = train(found, homes, end)
    leaving = [Interaction(end - timedelta(days=20), "book", "LIS", booked=True, departs=end + timedelta(days=3))]
    assert model.rank_tasks(leaving, end)[0] == "trips"


def test_no_production_module_imports_the_sandbox():
    """Only the sandbox itself, the scripts that set up the demo and the tests may."""
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = subprocess.run(["git", "ls-files", "*.py"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    offenders = [name for name in files if name.split("/")[0] not in ("sandbox", "scripts", "tests")
                 and any(line.strip().startswith(("from sandbox", "import sandbox")) for line in (root / name).read_text().splitlines())]
    assert offenders == []
