"""One client per external system. Base URL and credentials come from the environment, so the same
code talks to the sandbox or to the real vendor (HubSpot, Zendesk Support and Guide, Duffel)."""
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
from .helpcenter import HelpCenterClient
from .ticketing import TicketingClient

__all__ = [
    "AuthenticationFailed",
    "CrmClient",
    "FlightsClient",
    "HelpCenterClient",
    "InvalidRequest",
    "NotFound",
    "RateLimited",
    "TicketingClient",
    "VendorError",
    "VendorUnavailable",
]
