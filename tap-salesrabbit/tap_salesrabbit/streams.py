"""Endpoints: one small class per SalesRabbit object."""

from __future__ import annotations

import typing as t

from singer_sdk import typing as th
from singer_sdk.exceptions import FatalAPIError

from tap_salesrabbit.client import SalesRabbitStream
from tap_salesrabbit.conform import EXTRA_FIELDS, INVALID_VALUES


def _text(name: str, description: str) -> th.Property[t.Any]:
    return th.Property(name, th.StringType, description=description)


def _when(name: str, description: str) -> th.Property[t.Any]:
    return th.Property(name, th.DateTimeType, description=description + " (UTC).")


_KEPT_AS_SENT = (
    th.Property(
        EXTRA_FIELDS,
        th.ObjectType(additional_properties=True),
        description=(
            "Fields SalesRabbit returned that this tap's schema does not know "
            "yet, kept whole, keyed by field name."
        ),
    ),
    th.Property(
        INVALID_VALUES,
        th.ObjectType(additional_properties=True),
        description=(
            "Values whose type did not match the schema and could not be "
            "converted without guessing, as SalesRabbit sent them. Their own "
            "column is null."
        ),
    ),
)

LEAD_SCHEMA = th.PropertiesList(
    th.Property("id", th.IntegerType, required=True, description="Lead id."),
    th.Property("userId", th.IntegerType, description="Owning user's id."),
    _text("userName", "Owning user's name."),
    _text("firstName", "First name."),
    _text("lastName", "Last name."),
    _text("businessName", "Business name."),
    _text("email", "Email address, as entered: not validated here."),
    _text("phonePrimary", "Primary phone, as entered."),
    _text("phoneAlternate", "Alternate phone, as entered."),
    _text("street1", "Street address, first line."),
    _text("street2", "Street address, second line."),
    _text("city", "City."),
    _text("state", "State or region, as entered (not always a code)."),
    _text("zip", "Postal code."),
    _text("country", "Country."),
    th.Property("latitude", th.NumberType, description="Latitude in degrees."),
    th.Property("longitude", th.NumberType, description="Longitude in degrees."),
    _text("status", "Current status name, e.g. 'Interested'."),
    _text("notes", "Free-text notes."),
    th.Property(
        "customFields",
        th.ObjectType(additional_properties=True),
        description="Custom field values keyed by field name.",
    ),
    th.Property(
        "integrationData",
        th.ObjectType(additional_properties=True),
        description="Data kept by integrations, as SalesRabbit returns it.",
    ),
    th.Property(
        "appointment",
        th.ObjectType(additional_properties=True),
        description="Appointment details; null in every sample seen so far.",
    ),
    th.Property(
        "campaignId",
        th.IntegerType,
        description="Campaign id, where the account uses campaigns.",
    ),
    _when("statusModified", "When the status last changed"),
    _when("ownerModified", "When the owner last changed"),
    _when("dateCreated", "When the lead was created"),
    _when("dateModified", "When the lead was last modified"),
    *_KEPT_AS_SENT,
).to_dict()

USER_SCHEMA = th.PropertiesList(
    th.Property("id", th.IntegerType, required=True, description="User id."),
    _text("firstName", "First name."),
    _text("lastName", "Last name."),
    _text("email", "Email address."),
    _text("phone", "Phone number."),
    th.Property("active", th.BooleanType, description="Whether the user is active."),
    _text("role", "Role name, e.g. 'Rep' or 'Manager'."),
    _when("dateCreated", "When the user was created"),
    _when("dateModified", "When the user was last modified"),
    *_KEPT_AS_SENT,
).to_dict()

STATUS_EVENT_SCHEMA = th.PropertiesList(
    th.Property("id", th.IntegerType, required=True, description="Event id."),
    th.Property("leadId", th.IntegerType, required=True, description="The lead's id."),
    _text("status", "Status the lead moved to."),
    _text("previousStatus", "Status the lead had before, if known."),
    th.Property("userId", th.IntegerType, description="User who changed it."),
    _when("statusModified", "When the status changed"),
    *_KEPT_AS_SENT,
).to_dict()


class LeadsStream(SalesRabbitStream):
    """Leads, read incrementally by ``dateModified``."""

    name = "leads"
    path = "/leads"
    primary_keys = ("id",)
    replication_key = "dateModified"
    since_header = "If-Modified-Since"
    schema = LEAD_SCHEMA

    def record_label(self, record: dict[str, t.Any]) -> str:
        """Name a lead by id and link, so a person can open it."""
        return f"lead {record.get('id')} ({self.record_url(record)})"


class UsersStream(SalesRabbitStream):
    """Users (reps and managers), read whole every sync: there are few."""

    name = "users"
    path = "/users"
    primary_keys = ("id",)
    schema = USER_SCHEMA


class LeadStatusHistoriesStream(SalesRabbitStream):
    """Status changes of leads, one row per event, by ``statusModified``."""

    name = "lead_status_histories"
    path = "/leadStatusHistories"
    primary_keys = ("id",)
    replication_key = "statusModified"
    since_header = "If-Status-Modified-Since"
    position_fields = ("leadId", "id")
    schema = STATUS_EVENT_SCHEMA

    def records_from_body(self, body: t.Any) -> list[dict[str, t.Any]]:
        """Flatten ``data``, an object keyed by lead id, into one row per event.

        Raises:
            FatalAPIError: when ``data`` is not an object of lists of objects.
        """
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, list) and not data:
            return []
        if not isinstance(data, dict):
            msg = (
                f"{self.path} page {self.current_page}: expected an object in "
                f"'data', got {type(data).__name__}"
            )
            raise FatalAPIError(msg)
        events = []
        for lead_id, lead_events in data.items():
            where = f"data[{lead_id!r}]"
            if not isinstance(lead_events, list):
                msg = (
                    f"{self.path} page {self.current_page}: {where} is "
                    f"{type(lead_events).__name__}, not a list of status events"
                )
                raise FatalAPIError(msg)
            for event in self.require_objects(lead_events, where):
                events.append({"leadId": _as_int(lead_id), **event})
        return events

    def record_label(self, record: dict[str, t.Any]) -> str:
        """Name an event by its id and its lead's link."""
        lead_id = record.get("leadId")
        link = self.record_url({"id": lead_id})
        return f"event {record.get('id')} of lead {lead_id} ({link})"


def _as_int(text: str) -> int | str:
    return int(text) if str(text).isdigit() else text
