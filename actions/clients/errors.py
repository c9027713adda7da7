"""The few exceptions every client raises, whatever the vendor's own error format."""
from __future__ import annotations

from typing import Optional


class VendorError(Exception):
    """A call to an external system failed. `code` is the vendor's machine-readable reason."""

    def __init__(
        self,
        vendor: str,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        field: Optional[str] = None,
    ) -> None:
        super().__init__(f"{vendor}: {message}")
        self.vendor = vendor
        self.message = message
        self.status = status
        self.code = code
        self.field = field


class AuthenticationFailed(VendorError):
    """401/403: our credentials are missing, wrong or lack a permission. A configuration problem."""


class NotFound(VendorError):
    """404: the contact, ticket, offer or order does not exist."""


class InvalidRequest(VendorError):
    """400/409/413/422: the vendor refused what we sent, e.g. an unknown airport or an expired offer."""


class RateLimited(VendorError):
    """429 that did not clear within our retries; `retry_after` is the vendor's requested wait."""

    def __init__(self, vendor: str, message: str, *, retry_after: Optional[float] = None, **kwargs) -> None:
        super().__init__(vendor, message, **kwargs)
        self.retry_after = retry_after


class VendorUnavailable(VendorError):
    """The vendor could not be reached, timed out or answered 5xx after our retries."""
