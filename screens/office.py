"""The office profile loaded at sign-in (phone region, languages, time zone)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from screens.services import Services
from storage.desk import OfficeProfile

DEFAULT = OfficeProfile(name="", region=None, languages=["en"], timezone="UTC")


def office_of(services: Services) -> OfficeProfile:
    """The profile of the signed-in office (a neutral default before sign-in)."""
    return services.extras.get("office") or DEFAULT


def zone_of(services: Services) -> ZoneInfo:
    """The office's time zone."""
    return ZoneInfo(office_of(services).timezone)
