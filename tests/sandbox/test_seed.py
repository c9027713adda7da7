"""Seeded demo data: deterministic, varied, and linked across the CRM and the help desk."""
from collections import Counter
from datetime import date

from sqlalchemy import select

from sandbox.db import Database
from sandbox.models import Contact, Deal, HelpArticle, HelpCategory, HelpdeskUser, HelpSection, Ticket
from sandbox.seed import seed
from tests.sandbox.conftest import table_snapshot

ANCHOR = date(2026, 11, 25)


def test_same_seed_same_rows(tmp_path):
    dumps = []
    for name in ("a", "b"):
        db = Database(f"sqlite:///{tmp_path / name}.db")
        seed(db, today=ANCHOR)
        dumps.append({t: table_snapshot(db, t) for t in ("crm_contacts", "crm_deals", "tickets", "ticket_comments", "zd_users", "hc_articles")})
        db.engine.dispose()
    assert dumps[0] == dumps[1]


def test_histories_are_varied_and_linked(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'seed.db'}")
    counts = seed(db, today=ANCHOR)
    assert counts["contacts"] == 40 and counts["deals"] > 100 and counts["tickets"] >= 30
    with db.transaction() as session:
        contacts = list(session.execute(select(Contact)).scalars())
        deals = list(session.execute(select(Deal)).scalars())
        tickets = list(session.execute(select(Ticket)).scalars())
        users = {u.id: u for u in session.execute(select(HelpdeskUser)).scalars()}
    assert len({c.home_airport for c in contacts}) >= 10
    assert set(Counter(c.loyalty_tier for c in contacts)) == {"none", "silver", "gold", "platinum"}
    assert set(Counter(t.status for t in tickets)) == {"new", "open", "pending", "hold", "solved", "closed"}
    assert any(d.departure_date > ANCHOR for d in deals) and any(d.departure_date < ANCHOR for d in deals)
    assert all(d.origin != d.destination for d in deals)
    by_id = {c.id: c for c in contacts}
    for ticket in tickets:  # every requester is a CRM contact, linked by external_id
        requester = users[ticket.requester_id]
        assert by_id[int(requester.external_id)].email == requester.email
    trips = Counter(d.contact_id for d in deals)
    assert max(trips.values()) >= 8 and min(trips.get(c.id, 0) for c in contacts) == 0
    db.engine.dispose()


def test_ticket_numbers_start_in_the_thousands(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'seed.db'}")
    seed(db, today=ANCHOR)
    with db.transaction() as session:
        assert min(t.id for t in session.execute(select(Ticket)).scalars()) == 1001
    db.engine.dispose()


def test_help_center_is_seeded_from_its_data_file(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'seed.db'}")
    counts = seed(db, today=ANCHOR)
    with db.transaction() as session:
        articles = list(session.execute(select(HelpArticle)).scalars())
        sections = list(session.execute(select(HelpSection)).scalars())
        categories = list(session.execute(select(HelpCategory)).scalars())
    assert counts["articles"] == len(articles) >= 40
    assert len(categories) >= 5 and len(sections) >= 14
    assert {s.category_id for s in sections} == {c.id for c in categories}
    assert {a.section_id for a in articles} == {s.id for s in sections}  # no empty section
    assert len({a.title for a in articles}) == len(articles)
    assert all(a.body.startswith("<p>") and a.label_names for a in articles)
    db.engine.dispose()
