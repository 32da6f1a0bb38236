"""Checks that one stored message (an .eml from e2e/smtp_server.py) is a well-formed roomd
invitation or reminder, read with the standard `email` package and `icalendar` rather
than with roomd's own code.

    python3 e2e/mail_check.py MESSAGE.eml

An invitation (it carries a calendar) must be multipart/mixed of
  1. multipart/alternative of text/plain, text/html, text/calendar; method=…
  2. an attachment invite.ics, application/ics, holding the same calendar bytes,
and that calendar must parse, its METHOD must equal the `method` parameter, and its
VEVENTs (at least one) must share one UID, since an iTIP message (RFC 5546, sent
by mail as iMIP, RFC 6047) is about one calendar object. A reminder (no calendar)
must be multipart/alternative of text/plain and text/html. Both need From, To (one
address), Subject, Date, Message-ID and MIME-Version, once each.

On success prints a JSON summary on stdout, non-ASCII text \\u-escaped so that any
locale carries it: {"to" (the address), "subject", "message_id", "method" ("" for a
reminder), "uid", "sequence", "status", "events", "rrule", "text", "summary",
"instances"}; the VEVENT fields are those of the first event, null for a reminder, and
"instances" the [start, end] epoch milliseconds recurring-ical-events expands from the
calendar over 1970–2100 (a series' occurrences, RDATEs and overrides included). On any failure prints
"mail_check: FAIL <why>" on stderr and exits 1.
"""

import email
import email.policy
import json
import sys

import datetime as dt

import icalendar
import recurring_ical_events

REQUIRED_HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version")
CALENDAR_TYPES = ("text/calendar", "application/ics")


def fail(why):
    print(f"mail_check: FAIL {why}", file=sys.stderr)
    sys.exit(1)


def content_types(parts):
    return [part.get_content_type() for part in parts]


def expect_parts(container, types):
    """Returns the parts of container after checking they are exactly of these types."""
    parts = list(container.iter_parts())
    if content_types(parts) != list(types):
        fail(f"{container.get_content_type()} holds {content_types(parts)}, not {list(types)}")
    return parts


def check_headers(message):
    for name in REQUIRED_HEADERS:
        count = len(message.get_all(name) or [])
        if count != 1:
            fail(f"{count} {name} headers, not 1")
    if str(message["MIME-Version"]).strip() != "1.0":
        fail(f"MIME-Version {str(message['MIME-Version'])!r}")
    if message["Date"].datetime is None:
        raw_date = next(value for name, value in message.raw_items() if name.lower() == "date")
        fail(f"Date {raw_date!r} does not parse")
    message_id = str(message["Message-ID"]).strip()
    if not (message_id.startswith("<") and message_id.endswith(">") and "@" in message_id):
        fail(f"Message-ID {message_id!r} is not <left@right>")
    recipients = message["To"].addresses
    if len(recipients) != 1:
        fail(f"To names {len(recipients)} addresses, not 1")
    for part in message.walk():
        if part.defects:
            fail(f"{part.get_content_type()} part: {part.defects}")
    return recipients[0].addr_spec, message_id


def check_invitation(message):
    """Returns the text/plain part, the method and the calendar of an invitation after
    checking its shape."""
    alternative, attachment = expect_parts(message, ["multipart/alternative", "application/ics"])
    text_part, _, calendar_part = expect_parts(
        alternative, ["text/plain", "text/html", "text/calendar"])
    if attachment.get_content_disposition() != "attachment":
        fail(f"application/ics part is not an attachment: {attachment['Content-Disposition']!r}")
    if attachment.get_filename() != "invite.ics":
        fail(f"attachment named {attachment.get_filename()!r}, not 'invite.ics'")
    method = calendar_part.get_param("method")
    if not method:
        fail(f"text/calendar has no method parameter: {calendar_part['Content-Type']!r}")

    calendar_bytes = calendar_part.get_payload(decode=True)
    if attachment.get_payload(decode=True) != calendar_bytes:
        fail("the text/calendar part and invite.ics hold different bytes")
    try:
        calendar = icalendar.Calendar.from_ical(calendar_bytes.decode("utf-8"))
    except ValueError as error:  # UnicodeDecodeError is a ValueError too
        fail(f"calendar does not parse: {error}")
    if str(calendar.get("METHOD", "")) != method:
        fail(f"calendar METHOD {str(calendar.get('METHOD', ''))!r}, method parameter {method!r}")
    events = calendar.walk("VEVENT")
    if not events:
        fail("calendar has no VEVENT")
    uids = {str(event.get("UID", "")) for event in events}
    if len(uids) != 1 or "" in uids:
        fail(f"VEVENTs do not share one UID: {sorted(uids)}")
    return text_part, method, calendar


def main():
    if len(sys.argv) != 2:
        fail("usage: mail_check.py MESSAGE.eml")
    # From bytes, not from a file: a file is read in universal-newline mode, which would
    # turn the CRLFs of an 8bit calendar part into LFs and set it apart from invite.ics.
    try:
        with open(sys.argv[1], "rb") as file:
            message = email.message_from_bytes(file.read(), policy=email.policy.default)
    except OSError as error:
        fail(f"cannot read {sys.argv[1]}: {error}")
    to, message_id = check_headers(message)

    has_calendar = any(part.get_content_type() in CALENDAR_TYPES for part in message.walk())
    if has_calendar:
        if message.get_content_type() != "multipart/mixed":
            fail(f"an invitation is {message.get_content_type()}, not multipart/mixed")
        text_part, method, calendar = check_invitation(message)
        events = calendar.walk("VEVENT")
    else:
        if message.get_content_type() != "multipart/alternative":
            fail(f"a reminder is {message.get_content_type()}, not multipart/alternative")
        text_part, _ = expect_parts(message, ["text/plain", "text/html"])
        method, events = "", []

    first = events[0] if events else {}
    instances = []
    if has_calendar:
        window = (dt.datetime(1970, 1, 2, tzinfo=dt.timezone.utc), dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc))
        for event in recurring_ical_events.of(calendar).between(*window):
            instances.append([int(event["DTSTART"].dt.timestamp() * 1000), int(event["DTEND"].dt.timestamp() * 1000)])
        instances.sort()
    print(json.dumps({
        "to": to,
        "subject": str(message["Subject"]),
        "message_id": message_id,
        "method": method,
        "uid": str(first["UID"]) if events else None,
        "sequence": int(first["SEQUENCE"]) if "SEQUENCE" in first else None,
        "status": str(first["STATUS"]) if "STATUS" in first else None,
        "events": len(events),
        "rrule": any("RRULE" in event for event in events),
        "text": text_part.get_content(),
        "summary": str(first["SUMMARY"]) if "SUMMARY" in first else None,
        "instances": instances,
    }))


if __name__ == "__main__":
    main()
