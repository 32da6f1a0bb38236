"""Reads a roomd calendar feed with independent RFC 5545 libraries and compares it with
what meeting/list said (docs/wire-compat.md "Calendar feeds").

Input on stdin, JSON: {"url", "from", "to" (epoch ms), "meetings": [{"id", "subject",
"begin", "end"}]} — the meetings that must show, not cancelled, from meeting/list.
Prints "ics: ok" and exits 0 when the feed is well formed and, expanded by
recurring-ical-events over [from, to) with the cancelled entries set aside, gives
exactly those meetings: same instants, same subjects, same count.
"""

import datetime as dt
import json
import sys
import urllib.request
import zoneinfo

import icalendar
import recurring_ical_events


def fail(why):
    print(f"ics: FAIL {why}")
    sys.exit(1)


def ms(value):
    return int(value.timestamp() * 1000)


def main():
    spec = json.load(sys.stdin)
    with urllib.request.urlopen(spec["url"]) as answer:
        if answer.status != 200:
            fail(f"status {answer.status}")
        kind = answer.headers.get("Content-Type", "")
        if kind != "text/calendar; charset=utf-8":
            fail(f"Content-Type {kind!r}")
        if not answer.headers.get("ETag"):
            fail("no ETag")
        raw = answer.read()

    # RFC 5545 §3.1: CRLF line ends, lines of at most 75 octets, UTF-8 throughout.
    text = raw.decode("utf-8")
    if not text.endswith("\r\n") or "\n" in text.replace("\r\n", ""):
        fail("a line does not end in CRLF")
    for line in raw.split(b"\r\n"):
        if len(line) > 75:
            fail(f"a line of {len(line)} octets: {line[:40]!r}")

    cal = icalendar.Calendar.from_ical(text)
    for prop in ("VERSION", "PRODID", "X-WR-CALNAME"):
        if not cal.get(prop):
            fail(f"no {prop}")
    if str(cal["VERSION"]) != "2.0":
        fail("VERSION is not 2.0")

    # Every zone a time names has a VTIMEZONE, and that VTIMEZONE, read on its own,
    # gives the offsets of the time-zone database at every event's start and end.
    zones = {str(tz["TZID"]): tz.to_tz() for tz in cal.walk("VTIMEZONE")}
    events = cal.walk("VEVENT")
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION",
                     "STATUS", "SEQUENCE", "LAST-MODIFIED"):
            if prop not in event:
                fail(f"an event without {prop}: {event.get('UID')}")
        if str(event["STATUS"]) not in ("TENTATIVE", "CONFIRMED", "CANCELLED"):
            fail(f"STATUS {event['STATUS']}")
        for prop in ("DTSTART", "DTEND"):
            tzid = event[prop].params.get("TZID")
            if tzid not in zones:
                fail(f"{prop} in {tzid!r}, which has no VTIMEZONE")
            local = event[prop].dt.replace(tzinfo=None)
            ours = zones[tzid].utcoffset(local)
            real = zoneinfo.ZoneInfo(tzid).utcoffset(local)
            if ours != real:
                fail(f"VTIMEZONE {tzid} says {ours} at {local}, the database {real}")
    uids = [str(e["UID"]) for e in events]
    if len(uids) != len(set(uids)):
        fail("a UID appears twice")

    start = dt.datetime.fromtimestamp(spec["from"] / 1000, dt.timezone.utc)
    end = dt.datetime.fromtimestamp(spec["to"] / 1000, dt.timezone.utc)
    shown = [
        (ms(e["DTSTART"].dt), ms(e["DTEND"].dt), str(e["SUMMARY"]))
        for e in recurring_ical_events.of(cal).between(start, end)
        if str(e.get("STATUS")) != "CANCELLED"
    ]
    want = [
        (m["begin"], m["end"], m["subject"])
        for m in spec["meetings"]
        if m["end"] > spec["from"] and m["begin"] < spec["to"]
    ]
    if sorted(shown) != sorted(want):
        fail(f"expanded {sorted(shown)}\n  meeting/list {sorted(want)}")
    print(f"ics: ok ({len(events)} events, {len(shown)} shown, {len(zones)} zones)")


main()
