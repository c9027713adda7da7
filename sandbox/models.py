"""Tables of the three stand-in vendors."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
)

from .db import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Money(TypeDecorator):
    """An exact amount: NUMERIC(12, 2) on PostgreSQL, text on SQLite (which has no exact decimal)."""

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(String(20) if dialect.name == "sqlite" else Numeric(12, 2))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value).quantize(Decimal("0.01"))
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


# --- CRM (HubSpot) -------------------------------------------------------------------------------


class Contact(Base):
    __tablename__ = "crm_contacts"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), unique=True, nullable=False, index=True)
    firstname = Column(String(100))
    lastname = Column(String(100))
    phone = Column(String(40))
    city = Column(String(100))
    country = Column(String(2))
    date_of_birth = Column(Date)
    home_airport = Column(String(3))
    loyalty_tier = Column(String(20))
    lifecyclestage = Column(String(40), default="customer")
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = Column(DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False)


class Deal(Base):
    """A purchase: in this business, a flight booking."""

    __tablename__ = "crm_deals"

    id = Column(Integer, primary_key=True)
    contact_id = Column(Integer, ForeignKey("crm_contacts.id"), nullable=False, index=True)
    dealname = Column(String(255), nullable=False)
    amount = Column(Money(), nullable=False)
    currency = Column(String(3), default="USD", nullable=False)
    dealstage = Column(String(40), default="closedwon", nullable=False)
    pipeline = Column(String(40), default="default", nullable=False)
    closedate = Column(DateTime(timezone=True))
    booking_reference = Column(String(12))
    order_id = Column(String(40))
    origin = Column(String(3))
    destination = Column(String(3))
    departure_date = Column(Date)
    return_date = Column(Date)
    cabin_class = Column(String(20))
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = Column(DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False)


# --- Ticketing (Zendesk) -------------------------------------------------------------------------


class HelpdeskUser(Base):
    __tablename__ = "zd_users"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    email = Column(String(255), unique=True, nullable=False, index=True)
    role = Column(String(20), default="end-user", nullable=False)
    external_id = Column(String(64), index=True)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = Column(DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = {"sqlite_autoincrement": True}

    id = Column(Integer, Identity(start=1001), primary_key=True)
    subject = Column(String(255), nullable=False)
    description = Column(Text, nullable=False)
    status = Column(String(10), default="new", nullable=False)
    priority = Column(String(10))
    type = Column(String(10))
    tags = Column(JSON, default=list, nullable=False)
    requester_id = Column(Integer, ForeignKey("zd_users.id"), nullable=False, index=True)
    assignee_id = Column(Integer, ForeignKey("zd_users.id"))
    external_id = Column(String(64))
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class TicketComment(Base):
    __tablename__ = "ticket_comments"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id"), nullable=False, index=True)
    author_id = Column(Integer, ForeignKey("zd_users.id"), nullable=False)
    body = Column(Text, nullable=False)
    public = Column(Boolean, default=True, nullable=False)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class WebhookDelivery(Base):
    """An outgoing webhook event, kept until delivered so a restart loses none. Events about the
    same subject are delivered in the order they happened."""

    __tablename__ = "webhook_deliveries"

    id = Column(Integer, primary_key=True)
    event_id = Column(String(64), unique=True, nullable=False)
    subject = Column(String(64), nullable=False, index=True)  # e.g. zen:ticket:1042
    url = Column(String(500), nullable=False)
    payload = Column(JSON, nullable=False)
    attempts = Column(Integer, default=0, nullable=False)
    next_attempt_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    delivered_at = Column(DateTime(timezone=True))
    last_error = Column(Text)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


# --- Flights (Duffel) ----------------------------------------------------------------------------


class FlightInventory(Base):
    """Seats left on one scheduled flight (carrier + number + local departure date)."""

    __tablename__ = "flight_inventory"

    flight_key = Column(String(40), primary_key=True)
    capacity = Column(Integer, nullable=False)
    seats_available = Column(Integer, nullable=False)


class OfferRequest(Base):
    __tablename__ = "offer_requests"

    id = Column(String(40), primary_key=True)
    cabin_class = Column(String(20), nullable=False)
    slices = Column(JSON, nullable=False)
    passengers = Column(JSON, nullable=False)
    booked_order_id = Column(String(40))
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class Offer(Base):
    __tablename__ = "offers"

    id = Column(String(40), primary_key=True)
    offer_request_id = Column(String(40), ForeignKey("offer_requests.id"), nullable=False, index=True)
    total_amount = Column(Money(), nullable=False)
    total_currency = Column(String(3), nullable=False)
    flight_keys = Column(JSON, nullable=False)
    body = Column(JSON, nullable=False)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class Order(Base):
    __tablename__ = "orders"

    id = Column(String(40), primary_key=True)
    booking_reference = Column(String(12), unique=True, nullable=False)
    offer_id = Column(String(40), ForeignKey("offers.id"), nullable=False)
    idempotency_key = Column(String(255), unique=True)
    request_fingerprint = Column(String(64))
    total_amount = Column(Money(), nullable=False)
    total_currency = Column(String(3), nullable=False)
    passengers = Column(JSON, nullable=False)
    metadata_ = Column("metadata", JSON)
    flight_keys = Column(JSON, nullable=False)
    passenger_count = Column(Integer, nullable=False)
    cancelled_at = Column(DateTime(timezone=True))
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class OrderCancellation(Base):
    __tablename__ = "order_cancellations"

    id = Column(String(40), primary_key=True)
    order_id = Column(String(40), ForeignKey("orders.id"), nullable=False, index=True)
    # Null when the airline gives no refund quote (the order's refund condition is unknown).
    refund_amount = Column(Money())
    refund_currency = Column(String(3))
    expires_at = Column(DateTime(timezone=True), nullable=False)
    confirmed_at = Column(DateTime(timezone=True))
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class OrderChangeRequest(Base):
    """A search for new slices to replace some of a paid order's slices."""

    __tablename__ = "order_change_requests"

    id = Column(String(40), primary_key=True)
    order_id = Column(String(40), ForeignKey("orders.id"), nullable=False, index=True)
    slices = Column(JSON, nullable=False)  # {"remove": [{"slice_id"}], "add": [{origin, destination, departure_date, cabin_class}]}
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class OrderChangeOffer(Base):
    """What the airline offers for a change request: new slices, the price difference and the fee."""

    __tablename__ = "order_change_offers"

    id = Column(String(40), primary_key=True)
    order_change_request_id = Column(String(40), ForeignKey("order_change_requests.id"), nullable=False, index=True)
    order_id = Column(String(40), ForeignKey("orders.id"), nullable=False)
    change_total_amount = Column(Money(), nullable=False)  # negative: money back
    penalty_total_amount = Column(Money(), nullable=False)
    new_total_amount = Column(Money(), nullable=False)
    currency = Column(String(3), nullable=False)
    removed_slice_ids = Column(JSON, nullable=False)
    added_slices = Column(JSON, nullable=False)  # slice bodies, as on an order
    flight_keys = Column(JSON, nullable=False)  # the added slices' flights
    expires_at = Column(DateTime(timezone=True), nullable=False)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class OrderChange(Base):
    """A change made from an offer: pending until confirmed, then the order holds the new slices."""

    __tablename__ = "order_changes"

    id = Column(String(40), primary_key=True)
    order_change_offer_id = Column(String(40), ForeignKey("order_change_offers.id"), nullable=False, index=True)
    order_id = Column(String(40), ForeignKey("orders.id"), nullable=False, index=True)
    # The order's whole itinerary once confirmed (kept slices and added ones, in order).
    order_slices = Column(JSON)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    confirmed_at = Column(DateTime(timezone=True))
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


# --- Help Center (Zendesk Guide) -----------------------------------------------------------------
# Zendesk's ids are large numbers: BigInteger, given by the seed rather than generated.


class HelpCategory(Base):
    __tablename__ = "hc_categories"

    id = Column(BigInteger, primary_key=True, autoincrement=False)
    name = Column(String(200), nullable=False)
    description = Column(Text, default="", nullable=False)
    position = Column(Integer, default=0, nullable=False)
    locale = Column(String(10), nullable=False)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class HelpSection(Base):
    __tablename__ = "hc_sections"

    id = Column(BigInteger, primary_key=True, autoincrement=False)
    category_id = Column(BigInteger, ForeignKey("hc_categories.id"), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    description = Column(Text, default="", nullable=False)
    position = Column(Integer, default=0, nullable=False)
    locale = Column(String(10), nullable=False)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)


class HelpArticle(Base):
    __tablename__ = "hc_articles"

    id = Column(BigInteger, primary_key=True, autoincrement=False)
    section_id = Column(BigInteger, ForeignKey("hc_sections.id"), nullable=False, index=True)
    author_id = Column(Integer, ForeignKey("zd_users.id"), nullable=False)
    title = Column(String(255), nullable=False)
    body = Column(Text, nullable=False)
    label_names = Column(JSON, default=list, nullable=False)
    position = Column(Integer, default=0, nullable=False)
    promoted = Column(Boolean, default=False, nullable=False)
    draft = Column(Boolean, default=False, nullable=False)
    comments_disabled = Column(Boolean, default=True, nullable=False)
    vote_sum = Column(Integer, default=0, nullable=False)
    vote_count = Column(Integer, default=0, nullable=False)
    locale = Column(String(10), nullable=False)
    created_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    updated_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
    edited_at = Column(DateTime(timezone=True), default=utcnow, nullable=False)
