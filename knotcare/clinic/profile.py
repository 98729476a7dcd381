"""The clinic's profile: a reviewed YAML file, validated on load, with a few environment overrides."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from knotcare.config import DATA_DIR
from knotcare.settings import Settings

FILE_ENV = "KNOTCARE_CLINIC_FILE"
#: Single values a deployment may override without copying the file.
ENV_OVERRIDES = {
    "KNOTCARE_CLINIC_NAME": "name",
    "KNOTCARE_CLINIC_PHONE": "phone",
    "KNOTCARE_CLINIC_BOOKING_URL": "booking_url",
    "KNOTCARE_CLINIC_TIMEZONE": "timezone",
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REQUIRED = ("name", "phone", "booking_url", "address", "timezone", "hours")


class ProfileError(ValueError):
    """The clinic profile is missing something or has a value that cannot be right."""


@dataclass(frozen=True)
class Service:
    """One service the clinic sells."""

    name: str
    minutes: int
    price: float


@dataclass(frozen=True)
class Therapist:
    """One member of the clinical team."""

    name: str
    role: str
    focus: str = ""


@dataclass(frozen=True)
class ClinicProfile:
    """Everything the front desk says about the clinic."""

    name: str
    phone: str
    booking_url: str
    address: str
    timezone: str
    #: weekday (0 = Monday) -> list of (open, close); close <= open runs past midnight.
    hours: Dict[int, Tuple[Tuple[dt.time, dt.time], ...]]
    closed_dates: Dict[dt.date, str] = field(default_factory=dict)
    directions: str = ""
    email: str = ""
    services: Tuple[Service, ...] = ()
    currency: str = ""
    insurance_accepted: Tuple[str, ...] = ()
    insurance_note: str = ""
    cancellation: str = ""
    first_visit: str = ""
    parking: str = ""
    therapists: Tuple[Therapist, ...] = ()
    staff_reply: str = ""
    #: What front-desk staff are told to do after an emergency or urgent decision, by level (the clinic's own words).
    escalation: Dict[str, str] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        """The clinic's time zone."""
        return ZoneInfo(self.timezone)


def _time(value: Any, where: str) -> dt.time:
    try:
        hours, minutes = str(value).split(":")
        if hours == "24" and minutes == "00":
            # "24:00" is a common way to write "until midnight".
            return dt.time(0, 0)
        return dt.time(int(hours), int(minutes))
    except ValueError as error:
        raise ProfileError(f"{where}: {value!r} is not a time like 08:30") from error


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ProfileError(f"{where}: {value!r} is not a date like 2026-12-25") from error


def parse_profile(data: Mapping[str, Any], source: str = "profile") -> ClinicProfile:
    """Validate a profile mapping and build the profile; raise ProfileError naming what is wrong."""
    if not isinstance(data, Mapping):
        raise ProfileError(f"{source}: expected a mapping at the top")
    missing = [key for key in REQUIRED if not data.get(key)]
    if missing:
        raise ProfileError(f"{source}: missing {', '.join(missing)}")
    try:
        ZoneInfo(str(data["timezone"]))
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ProfileError(f"{source}: timezone {data['timezone']!r} is not an IANA time zone") from error
    if not str(data["booking_url"]).startswith(("https://", "http://")):
        raise ProfileError(f"{source}: booking_url must be a web address")

    raw_hours = data["hours"]
    if not isinstance(raw_hours, Mapping):
        raise ProfileError(f"{source}: hours must map weekdays to lists of [open, close]")
    unknown = set(raw_hours) - set(WEEKDAYS)
    if unknown:
        raise ProfileError(f"{source}: hours: unknown weekday(s) {', '.join(sorted(map(str, unknown)))}")
    hours: Dict[int, Tuple[Tuple[dt.time, dt.time], ...]] = {}
    for index, day in enumerate(WEEKDAYS):
        spans: List[Tuple[dt.time, dt.time]] = []
        for span in raw_hours.get(day) or []:
            if not isinstance(span, list | tuple) or len(span) != 2:
                raise ProfileError(f"{source}: hours.{day}: each entry is [open, close], got {span!r}")
            opens, closes = _time(span[0], f"hours.{day}"), _time(span[1], f"hours.{day}")
            if opens == closes:
                raise ProfileError(f"{source}: hours.{day}: opens and closes at the same time ({span[0]})")
            spans.append((opens, closes))
        hours[index] = tuple(sorted(spans))

    closed: Dict[dt.date, str] = {}
    for entry in data.get("closed_dates") or []:
        if isinstance(entry, Mapping):
            closed[_date(entry.get("date"), "closed_dates")] = str(entry.get("reason") or "")
        else:
            closed[_date(entry, "closed_dates")] = ""

    services = []
    for entry in data.get("services") or []:
        try:
            services.append(Service(str(entry["name"]), int(entry["minutes"]), float(entry["price"])))
        except (KeyError, TypeError, ValueError) as error:
            raise ProfileError(f"{source}: services: each needs name, minutes and price ({entry!r})") from error
    therapists = []
    for entry in data.get("therapists") or []:
        if not isinstance(entry, Mapping) or not entry.get("name"):
            raise ProfileError(f"{source}: therapists: each needs a name ({entry!r})")
        therapists.append(Therapist(str(entry["name"]), str(entry.get("role") or ""), str(entry.get("focus") or "")))
    insurance = data.get("insurance") or {}

    return ClinicProfile(
        name=str(data["name"]), phone=str(data["phone"]), booking_url=str(data["booking_url"]),
        address=str(data["address"]), timezone=str(data["timezone"]), hours=hours, closed_dates=closed,
        directions=str(data.get("directions") or ""), email=str(data.get("email") or ""),
        services=tuple(services), currency=str(data.get("currency") or ""),
        insurance_accepted=tuple(str(x) for x in insurance.get("accepted") or ()),
        insurance_note=str(insurance.get("note") or ""), cancellation=str(data.get("cancellation") or ""),
        first_visit=str(data.get("first_visit") or ""), parking=str(data.get("parking") or ""),
        therapists=tuple(therapists), staff_reply=str(data.get("staff_reply") or ""),
        escalation={str(k): str(v).strip() for k, v in (data.get("escalation") or {}).items()},
    )


def profile_path() -> Path:
    """The profile file: $KNOTCARE_CLINIC_FILE, else data/clinic/profile.yml."""
    return Path(Settings.from_env().clinic_file or DATA_DIR / "clinic" / "profile.yml")


def load_profile(path: Optional[Path] = None, environ: Optional[Mapping[str, str]] = None) -> ClinicProfile:
    """Read, override from the environment, and validate the clinic profile."""
    environ = os.environ if environ is None else environ
    path = Path(path or Settings.from_env(environ).clinic_file or profile_path())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise ProfileError(f"cannot read the clinic profile {path}: {error}") from error
    except yaml.YAMLError as error:
        raise ProfileError(f"{path}: not valid YAML: {error}") from error
    if isinstance(data, dict):
        data = {**data, **{key: environ[env] for env, key in ENV_OVERRIDES.items() if environ.get(env)}}
    return parse_profile(data, str(path))


@lru_cache(maxsize=1)
def default_profile() -> ClinicProfile:
    """The process's profile, loaded once (the action server reads it on first use)."""
    return load_profile()
