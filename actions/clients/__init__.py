"""One client per external system. Base URL and credentials come from the environment, so the same
code talks to the sandbox or to the real vendor (HubSpot, Zendesk, Duffel)."""
from .crm import CrmClient
from .errors import (
    AuthenticationFailed,
    InvalidRequest,
    NotFound,
    RateLimited,
    VendorError,
    VendorUnavailable,
)
from .flights import FlightsClient
from .ticketing import TicketingClient

__all__ = [
    "AuthenticationFailed",
    "CrmClient",
    "FlightsClient",
    "InvalidRequest",
    "NotFound",
    "RateLimited",
    "TicketingClient",
    "VendorError",
    "VendorUnavailable",
]
