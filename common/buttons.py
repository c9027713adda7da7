"""The customer clicked a button: Rasa records its payload ("/affirm"); people want its title."""
from __future__ import annotations

from typing import Any, Dict, Optional


def button_titles(data: Optional[Dict[str, Any]]) -> Dict[str, str]:
    """Payload → title for the buttons of one bot message's data (empty when it had none)."""
    return {b.get("payload"): b.get("title") for b in (data or {}).get("buttons") or () if isinstance(b, dict)}
