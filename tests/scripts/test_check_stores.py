"""The startup check names the setting that is wrong, in seconds, before Rasa starts."""
import os
import subprocess
import sys

import pytest

from tests.support.processes import ROOT
from tests.support.services import require_rabbitmq, require_redis

GOOD = {
    "ACTION_SERVER_URL": "http://127.0.0.1:5055/webhook", "ACTION_SERVER_TOKEN": "a-token", "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432",
    "TRACKER_DB_NAME": "postgres", "TRACKER_DB_USER": "postgres", "TRACKER_DB_PASSWORD": "",
    "REDIS_HOST": "127.0.0.1", "REDIS_PORT": "6379", "LOCK_STORE_DB": "0", "LOCK_STORE_PREFIX": "travel",
    "RABBITMQ_HOST": "127.0.0.1", "RABBITMQ_PORT": "5672", "RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "guest",
    "RABBITMQ_EXCHANGE": "rasa-exchange", "RABBITMQ_QUEUE": "rasa_events",
}


def check(**changes):
    env = {k: v for k, v in {**os.environ, **GOOD, **changes}.items() if v is not None}
    done = subprocess.run([sys.executable, "scripts/check_stores.py", "endpoints.production.yml"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stderr


@pytest.fixture(autouse=True)
def services():
    require_redis()
    require_rabbitmq()


def test_the_machines_services_pass():
    assert check() == (0, "")


def test_a_missing_variable_is_named():
    code, err = check(RABBITMQ_PASSWORD=None)
    assert code == 2 and "event_broker: RABBITMQ_PASSWORD not set" in err


@pytest.mark.parametrize("changes, expected", [
    ({"TRACKER_DB_PORT": "5499"}, ["tracker_store", "127.0.0.1:5499", "TRACKER_DB_PORT"]),
    ({"TRACKER_DB_USER": "nobody"}, ["tracker_store", 'role "nobody" does not exist', "TRACKER_DB_USER"]),
    ({"TRACKER_DB_NAME": "no_such_db"}, ["tracker_store", 'database "no_such_db" does not exist', "TRACKER_DB_NAME"]),
    ({"REDIS_PORT": "6399"}, ["lock_store", "6399", "REDIS_PORT"]),
    ({"RABBITMQ_PASSWORD": "wrong"}, ["event_broker", "ACCESS_REFUSED", "RABBITMQ_PASSWORD"]),
])
def test_a_wrong_address_or_credential_fails_fast_naming_the_setting(changes, expected):
    code, err = check(**changes)
    assert code == 2 and all(part in err for part in expected), err
    assert "Traceback" not in err
