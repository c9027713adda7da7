"""The greeting when the chat panel opens, against a real `rasa run`: by name with quick replies
for a verified customer, once per session whatever the reloads; a short welcome for a visitor."""
import asyncio

from tests.actions.conftest import seeded_customer
from tests.channels.conftest import DANIEL, MAYA, Tab, customer, texts

WELCOME = "Hi! I'm the travel assistant. I can find flights and answer your travel questions. How can I help?"
TASKS = {"/search_flight", "/list_bookings", "/list_tickets"}


async def open_chat(tab: Tab, **extra) -> bool:
    answer = await tab.client.call("activity", {"type": "chat_opened", "page": "/", **extra}, timeout=60)
    assert answer["accepted"] is True
    return answer["greeted"]


def test_a_signed_in_customer_is_greeted_once_per_session(rasa, sqlite_sandbox):
    email = seeded_customer(sqlite_sandbox, with_bookings=True, other_than=(MAYA, DANIEL, "lucia.fernandez@example.com", "tom.becker@example.com"))
    first_name = sqlite_sandbox.crm().get_contact_by_email(email).first_name

    async def scenario():
        tab = await Tab(rasa.url, customer(email)).open()
        assert await open_chat(tab, name="Mallory") is True  # fields the schema lacks are dropped, never a name
        greeting = tab.bot[-1]
        assert greeting["text"].startswith(f"Hi {first_name}!") and "Mallory" not in greeting["text"]
        assert TASKS <= {reply["payload"] for reply in greeting["quick_replies"]}
        await tab.client.emit("activity", {"type": "chat_opened", "page": "/"})  # closed and opened again
        await tab.close()

        reloaded = await Tab(rasa.url, customer(email)).open()  # a reload: same conversation, same session
        assert await open_chat(reloaded) is False
        history = await reloaded.client.call("history_request", {"limit": 20}, timeout=10)
        assert [m["text"] for m in history] == [greeting["text"]]
        replies = await reloaded.say("what can you do")  # the first message is read as after any reply
        assert "I can:" in texts(replies)
        await reloaded.close()

    asyncio.run(scenario())


def test_an_anonymous_visitor_gets_a_short_welcome_once(rasa):
    async def scenario():
        tab = await Tab(rasa.url).open()
        assert await open_chat(tab) is True
        assert tab.bot[-1]["text"] == WELCOME and not tab.bot[-1].get("quick_replies")
        assert await open_chat(tab) is False and len(tab.bot) == 1
        await tab.close()

    asyncio.run(scenario())


def test_no_greeting_once_the_customer_has_spoken(rasa):
    async def scenario():
        tab = await Tab(rasa.url).open()
        await tab.say("hello")
        before = len(tab.bot)
        assert await open_chat(tab) is False and len(tab.bot) == before
        await tab.close()

    asyncio.run(scenario())
