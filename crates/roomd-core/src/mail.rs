//! Invitations by mail (iMIP, RFC 6047; docs/wire-compat.md "Mail"): who is told what
//! when a meeting or a series changes. The store records each message in the change's
//! transaction; the server renders it (`MailRender`) and sends it.

use std::collections::HashMap;

use crate::RoomId;
use crate::company::Company;
use crate::ical::Person;
use crate::meeting::{CheckedState, Meeting};

/// The iTIP method of a message (`""` for a reminder, which has no calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
    Reminder,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
            Method::Reminder => "",
        }
    }
}

/// Who hears of a change: everyone on the meeting, or only its booker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    Booker,
}

/// What a change of `after` (one meeting, or the occurrences a series change touched)
/// tells, given whether it was awaiting approval before (`None` for a new booking):
/// `None` when it tells nobody (a finish, a check-in).
pub fn mailing(was: Option<CheckedState>, after: &Meeting) -> Option<(Method, Audience)> {
    let was_pending = was == Some(CheckedState::Pending);
    if after.cancelled_ms.is_some() || after.checked == CheckedState::Rejected {
        // Only the booker knew of a booking still awaiting approval.
        let audience =
            if was_pending || after.checked == CheckedState::Rejected { Audience::Booker } else { Audience::Everyone };
        return Some((Method::Cancel, audience));
    }
    if after.finished_ms.is_some() {
        return None;
    }
    match after.checked {
        CheckedState::Pending => Some((Method::Request, Audience::Booker)),
        _ => Some((Method::Request, Audience::Everyone)),
    }
}

/// The people `audience` names on `meeting`, each once (by address, ignoring case):
/// the booker first, then the attendees with an email.
pub fn recipients<'a>(meeting: &'a Meeting, booker: Option<Person<'a>>, audience: Audience) -> Vec<Person<'a>> {
    let mut people: Vec<Person<'a>> = booker.filter(|b| !b.email.is_empty()).into_iter().collect();
    if audience == Audience::Everyone {
        for a in meeting.attendances.iter().filter(|a| !a.email.is_empty()) {
            people.push(Person { name: &a.name, email: &a.email });
        }
    }
    let mut seen = std::collections::HashSet::new();
    people.retain(|p| seen.insert(p.email.to_lowercase()));
    people
}

/// One message to one person about a meeting or a series.
pub struct Notice<'a> {
    pub method: Method,
    pub company: &'a Company,
    pub to: Person<'a>,
    pub organizer: Option<Person<'a>>,
    /// The meeting, or the series' occurrences the message is about, by start.
    pub meetings: &'a [Meeting],
    pub rooms: &'a HashMap<RoomId, String>,
    /// The `SEQUENCE` of the calendar: above every earlier message's for the same `UID`.
    pub sequence: i64,
    /// Why it was cancelled or rejected ("" if nobody said).
    pub reason: &'a str,
    /// A cancel of every occurrence of a series (else of those in `meetings` only).
    pub whole_series: bool,
    /// When the message is recorded (its `Date`).
    pub now_ms: i64,
}

/// A message ready to send: its `Message-ID` and its whole text (RFC 5322).
pub struct Rendered {
    pub message_id: String,
    pub text: Vec<u8>,
}

/// A one-time link to set a password, to the person it is for (their first password, or
/// one they forgot), sent when an admin asks.
pub struct LinkNotice<'a> {
    pub company: &'a Company,
    pub to: Person<'a>,
    pub url: &'a str,
    /// When the link stops working.
    pub expires_ms: i64,
    pub now_ms: i64,
}

/// How the server writes messages; the store records what it writes.
pub trait MailRender: Send + Sync {
    /// `None` when no message can be written (an address that is no address).
    fn render(&self, notice: &Notice<'_>) -> Option<Rendered>;

    /// The message that carries a setup link; `None` as for `render`.
    fn render_link(&self, link: &LinkNotice<'_>) -> Option<Rendered>;
}
