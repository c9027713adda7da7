"""Raw HTTP access to the sandbox's three APIs, for checking exact status codes and bodies."""
from __future__ import annotations

from typing import Dict

import pytest
import requests
from sqlalchemy import func, select

from sandbox.db import Base
from tests.conftest import DEFAULTS


class Api:
    def __init__(self, base_url: str, **session_settings) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        for key, value in session_settings.items():
            setattr(self.session, key, value)

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.call("PUT", path, **kwargs)


def hubspot_api(url: str) -> Api:
    return Api(f"{url}/hubspot", headers={"Authorization": f"Bearer {DEFAULTS.hubspot_token}"})


def zendesk_api(url: str) -> Api:
    return Api(f"{url}/zendesk", auth=(f"{DEFAULTS.zendesk_email}/token", DEFAULTS.zendesk_token))


def duffel_api(url: str) -> Api:
    return Api(f"{url}/duffel", headers={"Authorization": f"Bearer {DEFAULTS.duffel_token}", "Duffel-Version": "v2"})


@pytest.fixture
def hubspot(sandbox) -> Api:
    return hubspot_api(sandbox.url)


@pytest.fixture
def zendesk(sandbox) -> Api:
    return zendesk_api(sandbox.url)


@pytest.fixture
def duffel(sandbox) -> Api:
    return duffel_api(sandbox.url)


def row_counts(db) -> Dict[str, int]:
    """Rows in every sandbox table, to show a refused request changed nothing."""
    with db.transaction() as session:
        return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one() for t in Base.metadata.sorted_tables}


def table_snapshot(db, table_name: str):
    table = Base.metadata.tables[table_name]
    with db.transaction() as session:
        return sorted(tuple(map(str, row)) for row in session.execute(select(table)))
