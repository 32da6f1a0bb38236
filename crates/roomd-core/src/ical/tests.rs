use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

use super::*;
use crate::meeting::tests::meeting;
use crate::meeting::{Attendance, CheckedState};
use crate::time::TimeSpan;
use crate::{AttendanceId, UserId};

/// The content lines of `text`, unfolded (RFC 5545 §3.1: CRLF then one space or tab).
fn unfolded(text: &str) -> Vec<String> {
    text.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn ms(zone: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
    let local = NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(h, mi, 0)).expect("date");
    zone.from_local_datetime(&local).single().expect("one instant").timestamp_millis()
}

#[test]
fn long_lines_fold_at_75_octets_never_inside_a_character() {
    let mut lines = Lines::with_capacity(0);
    let subject = "季度评审, 预算; 路线图\\ 第二部分\n下一步".repeat(6);
    lines.text("SUMMARY", &subject);
    let text = lines.finish();
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let value = unfolded(&text)[0].trim_start_matches("SUMMARY:").to_string();
    let back = value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\");
    assert_eq!(back, subject);
}

#[test]
fn text_escapes_what_rfc_5545_escapes_and_drops_what_it_cannot_hold() {
    let mut lines = Lines::with_capacity(0);
    lines.text("DESCRIPTION", "a,b;c\\d\r\ne\rf\ng\u{7}h\ti");
    assert_eq!(lines.finish(), "DESCRIPTION:a\\,b\\;c\\\\d\\ne\\nf\\ngh\ti\r\n");
}

#[test]
fn parameter_values_are_quoted_when_they_must_be_and_never_hold_a_quote() {
    let mut lines = Lines::with_capacity(0);
    lines.with_params("ATTENDEE", &[("CN", "Lee, \"Ann\""), ("ROLE", "REQ-PARTICIPANT")], "mailto:a@example.com");
    assert_eq!(lines.finish(), "ATTENDEE;CN=\"Lee, 'Ann'\";ROLE=REQ-PARTICIPANT:mailto:a@example.com\r\n");
}

#[test]
fn london_lists_the_changes_of_its_range_at_their_local_times() {
    let london: Tz = "Europe/London".parse().expect("zone");
    let mut lines = Lines::with_capacity(0);
    write_time_zone(&mut lines, london, ms(london, 2026, 12, 1, 0, 0), ms(london, 2027, 12, 1, 0, 0));
    let got = unfolded(&lines.finish()).join("\n");
    let want = [
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        // In force when the range begins: winter time since 25 October 2026, 02:00 BST.
        "BEGIN:STANDARD",
        "DTSTART:20261025T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:20270328T010000",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:BST",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:20271031T020000",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    .join("\n");
    assert_eq!(got, want);
}

#[test]
fn a_zone_without_changes_has_one_observance() {
    let shanghai: Tz = "Asia/Shanghai".parse().expect("zone");
    let mut lines = Lines::with_capacity(0);
    write_time_zone(&mut lines, shanghai, ms(shanghai, 2026, 12, 1, 0, 0), ms(shanghai, 2027, 12, 1, 0, 0));
    let got = unfolded(&lines.finish());
    assert_eq!(got.iter().filter(|l| l.starts_with("BEGIN:STANDARD")).count(), 1);
    assert!(got.contains(&"TZOFFSETTO:+0800".to_string()), "{got:?}");
    assert!(!got.iter().any(|l| l.contains("DAYLIGHT")));
}

#[test]
fn a_meeting_is_an_event_in_its_rooms_zone_with_its_state() {
    let london: Tz = "Europe/London".parse().expect("zone");
    let begin = ms(london, 2027, 7, 1, 9, 0);
    let mut m = meeting(TimeSpan::new(begin, begin + 3_600_000).expect("span"));
    m.time_zone = london;
    m.subject = "Review, Q3".into();
    m.checked = CheckedState::Pending;
    m.sequence = 2;
    m.attendances = vec![
        Attendance {
            id: AttendanceId::generate(),
            user: Some(UserId::generate()),
            name: "Ann".into(),
            phone: String::new(),
            email: "ann@example.com".into(),
            face_file: None,
            face_url: String::new(),
            sign_in: None,
        },
        Attendance {
            id: AttendanceId::generate(),
            user: None,
            name: "No mail".into(),
            phone: "13800000000".into(),
            email: String::new(),
            face_file: None,
            face_url: String::new(),
            sign_in: None,
        },
    ];
    let organizer = Some(Person { name: "Bo", email: "bo@example.com" });
    let feed = Feed {
        name: "Room A",
        from_ms: begin,
        to_ms: begin,
        entries: vec![CalendarEntry { meeting: &m, room_name: "Room A", organizer }],
    };
    let lines = unfolded(&feed.write());
    for want in [
        "DTSTART;TZID=Europe/London:20270701T090000",
        "DTEND;TZID=Europe/London:20270701T100000",
        "SUMMARY:Review\\, Q3",
        "STATUS:TENTATIVE",
        "SEQUENCE:2",
        "ORGANIZER;CN=Bo:mailto:bo@example.com",
        "ATTENDEE;CN=Ann;ROLE=REQ-PARTICIPANT:mailto:ann@example.com",
        "X-WR-CALNAME:Room A",
        "TZID:Europe/London",
    ] {
        assert!(lines.iter().any(|l| l == want), "{want} missing from {lines:#?}");
    }
    assert_eq!(lines.iter().filter(|l| l.starts_with("ATTENDEE")).count(), 1, "the guest without an email is left out");
    assert_eq!(lines.iter().find(|l| l.starts_with("UID:")).cloned(), Some(format!("UID:{}@roomd", m.id.as_str())));
}

#[test]
fn cancelled_released_and_rejected_meetings_are_cancelled_entries() {
    let mut m = meeting(TimeSpan::new(0, 1).expect("span"));
    assert_eq!(status_of(&m), Status::Confirmed);
    m.checked = CheckedState::Rejected;
    assert_eq!(status_of(&m), Status::Cancelled);
    m.checked = CheckedState::Pending;
    assert_eq!(status_of(&m), Status::Tentative);
    m.cancelled_ms = Some(1);
    assert_eq!(status_of(&m), Status::Cancelled);
}

#[test]
fn one_meeting_to_import_carries_its_invitations_uid() {
    let shanghai: Tz = "Asia/Shanghai".parse().expect("zone");
    let begin = ms(shanghai, 2030, 1, 10, 10, 0);
    let mut m = meeting(TimeSpan::new(begin, begin + 1_800_000).expect("span"));
    m.time_zone = shanghai;
    let entry = CalendarEntry { meeting: &m, room_name: "Room A", organizer: None };
    let lines = unfolded(&one_meeting(&entry));
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
    for want in [
        format!("UID:{}@roomd", m.id.as_str()),
        "DTSTART;TZID=Asia/Shanghai:20300110T100000".to_string(),
        "DTEND;TZID=Asia/Shanghai:20300110T103000".to_string(),
        "TZID:Asia/Shanghai".to_string(),
    ] {
        assert!(lines.contains(&want), "{want} missing from {lines:#?}");
    }
    assert!(!lines.iter().any(|l| l.starts_with("RECURRENCE-ID")), "a single meeting is no occurrence");

    m.series_id = "s1".into();
    let entry = CalendarEntry { meeting: &m, room_name: "Room A", organizer: None };
    let lines = unfolded(&one_meeting(&entry));
    assert!(lines.contains(&"UID:s1@roomd".to_string()), "the series' UID, as its invitation: {lines:#?}");
    assert!(lines.contains(&"RECURRENCE-ID;TZID=Asia/Shanghai:20300110T100000".to_string()), "{lines:#?}");
}
