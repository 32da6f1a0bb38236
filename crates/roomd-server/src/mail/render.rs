//! A message for a `Notice` (docs/wire-compat.md "Mail"): `multipart/mixed` of a
//! `multipart/alternative` (text, HTML, and the calendar as `text/calendar;
//! method=…`) then the same calendar as `invite.ics`; a reminder is the text and the HTML
//! alone. One recipient a message; the words in the company's language.

use std::time::{Duration, SystemTime};

use askama::Template;
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MessageBuilder, MultiPart, SinglePart};
use lettre::{Address, Message};
use roomd_core::MailId;
use roomd_core::ical::{Person, Status, invitation, status_of};
use roomd_core::mail::{LinkNotice, MailRender, Method, Notice, Rendered};
use roomd_core::meeting::Meeting;
use roomd_core::onboarding::Lang;

use super::words::{Words, words};

/// Writes messages from roomd's own address.
pub struct Writer {
    pub from: Mailbox,
}

#[derive(Template)]
#[template(path = "mail/notice.txt")]
struct Text<'a> {
    b: &'a Body<'a>,
    colon: &'a str,
}

#[derive(Template)]
#[template(path = "mail/notice.html")]
struct Html<'a> {
    b: &'a Body<'a>,
    lang: &'a str,
}

/// What a message says, in the text and the HTML alike.
struct Body<'a> {
    lang: Lang,
    subject: &'a str,
    greeting: &'a str,
    lead: &'a str,
    rows: &'a [(&'a str, String)],
    note: &'a str,
    signature: &'a str,
}

impl Writer {
    /// The message's head (from roomd to `to`, at `now_ms`), its words as text and HTML,
    /// and its `Message-ID`.
    fn letter(&self, to: Person<'_>, now_ms: i64, b: &Body<'_>) -> Option<(MessageBuilder, MultiPart, String)> {
        let address: Address = to.email.parse().ok()?;
        let text = Text { b, colon: words(b.lang).colon }.render().ok()?;
        let lang = if b.lang == Lang::Zh { "zh-CN" } else { "en" };
        let html = Html { b, lang }.render().ok()?;
        let domain = self.from.email.domain().to_string();
        let message_id = format!("<{}@{domain}>", MailId::generate().as_str().to_ascii_lowercase());
        let head = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(Some(to.name.to_string()), address))
            .subject(b.subject)
            .message_id(Some(message_id.clone()))
            .date(SystemTime::UNIX_EPOCH + Duration::from_millis(now_ms.max(0) as u64));
        let words = MultiPart::alternative().singlepart(SinglePart::plain(text)).singlepart(SinglePart::html(html));
        Some((head, words, message_id))
    }
}

impl MailRender for Writer {
    fn render(&self, n: &Notice<'_>) -> Option<Rendered> {
        let first = n.meetings.first()?;
        let lang = n.company.language;
        let t = words(lang);
        let subject = format!("{}{}", subject_mark(t, n, first), first.subject);
        let greeting = t.hello.replace("{name}", n.to.name);
        let lead = lead(t, n, first);
        let rows = rows(t, lang, n, first);
        let note = if n.method == Method::Reminder { "" } else { t.calendar_note };
        let signature = t.signature.replace("{company}", &n.company.name);
        let body = Body {
            lang,
            subject: &subject,
            greeting: &greeting,
            lead: &lead,
            rows: &rows,
            note,
            signature: &signature,
        };
        let (head, words, message_id) = self.letter(n.to, n.now_ms, &body)?;
        let message = if n.method == Method::Reminder {
            head.multipart(words)
        } else {
            let organizer = n.organizer.unwrap_or(Person { name: &n.company.name, email: self.from.email.as_ref() });
            let calendar = invitation(n, organizer);
            let inline =
                ContentType::parse(&format!("text/calendar; method={}; charset=utf-8", n.method.as_str())).ok()?;
            let attached = ContentType::parse("application/ics").ok()?;
            head.multipart(
                MultiPart::mixed()
                    .multipart(words.singlepart(SinglePart::builder().header(inline).body(calendar.clone())))
                    .singlepart(Attachment::new("invite.ics".to_string()).body(calendar, attached)),
            )
        }
        .ok()?;
        Some(Rendered { message_id, text: message.formatted() })
    }

    /// A setup link: the text and the HTML alone, the link and until when it works.
    fn render_link(&self, l: &LinkNotice<'_>) -> Option<Rendered> {
        let lang = l.company.language;
        let t = words(lang);
        let greeting = t.hello.replace("{name}", l.to.name);
        let lead = t.link_lead.replace("{company}", &l.company.name);
        let until = local(l.expires_ms, l.company.time_zone);
        let until = format!("{} {}", date(lang, l.expires_ms, l.company.time_zone), until.format("%H:%M"));
        let rows = [(t.link, l.url.to_string()), (t.valid_until, until)];
        let signature = t.signature.replace("{company}", &l.company.name);
        let body = Body {
            lang,
            subject: t.link_subject,
            greeting: &greeting,
            lead: &lead,
            rows: &rows,
            note: t.link_note,
            signature: &signature,
        };
        let (head, words, message_id) = self.letter(l.to, l.now_ms, &body)?;
        let message = head.multipart(words).ok()?;
        Some(Rendered { message_id, text: message.formatted() })
    }
}

/// What the subject begins with.
fn subject_mark(t: &'static Words, n: &Notice<'_>, first: &Meeting) -> &'static str {
    match n.method {
        Method::Reminder => t.reminder,
        Method::Cancel if first.checked == roomd_core::meeting::CheckedState::Rejected => t.not_approved,
        Method::Cancel => t.cancelled,
        Method::Request if status_of(first) == Status::Tentative => t.awaiting,
        Method::Request if n.sequence > 0 => t.updated,
        Method::Request => t.invitation,
    }
}

/// The first sentence: what happened, to this reader.
fn lead(t: &'static Words, n: &Notice<'_>, first: &Meeting) -> String {
    let to_booker = n.organizer.is_some_and(|o| o.email.eq_ignore_ascii_case(n.to.email));
    match n.method {
        Method::Reminder => t.starts_soon.to_string(),
        Method::Cancel if first.checked == roomd_core::meeting::CheckedState::Rejected => t.was_rejected.to_string(),
        Method::Cancel if first.release_reason.is_some() => t.was_released.to_string(),
        Method::Cancel => t.was_cancelled.to_string(),
        Method::Request if status_of(first) == Status::Tentative => t.waiting.to_string(),
        Method::Request if n.sequence > 0 => t.changed.to_string(),
        Method::Request if to_booker => t.you_booked.to_string(),
        Method::Request => {
            let booker = n.organizer.map_or(n.company.name.as_str(), |o| o.name);
            t.invites_you.replace("{booker}", booker)
        }
    }
}

/// The details: when (in the room's zone), where, who booked, how often, notes, why.
fn rows(t: &'static Words, lang: Lang, n: &Notice<'_>, first: &Meeting) -> Vec<(&'static str, String)> {
    let mut rows = vec![(t.when, when(lang, first))];
    let room = n.rooms.get(&first.room).cloned().unwrap_or_default();
    let place =
        if first.address.is_empty() || first.address == room { room } else { format!("{room}, {}", first.address) };
    rows.push((t.where_, place));
    if let Some(organizer) = n.organizer {
        rows.push((t.booked_by, organizer.name.to_string()));
    }
    if let [only_first, .., last] = n.meetings {
        let times = t
            .occurrences
            .replace("{n}", &n.meetings.len().to_string())
            .replace("{first}", &date(lang, only_first.span.begin_ms(), only_first.time_zone))
            .replace("{last}", &date(lang, last.span.begin_ms(), last.time_zone));
        rows.push((t.repeats, times));
    }
    if !first.memo.is_empty() {
        rows.push((t.notes, first.memo.clone()));
    }
    let reason = first.release_reason.as_deref().filter(|r| !r.is_empty()).unwrap_or(n.reason);
    if n.method == Method::Cancel && !reason.is_empty() {
        rows.push((t.reason, reason.to_string()));
    }
    rows
}

fn local(at_ms: i64, zone: Tz) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp_millis(at_ms).unwrap_or_default().with_timezone(&zone)
}

/// `2030年3月18日（周一）` or `Monday 18 March 2030`.
fn date(lang: Lang, at_ms: i64, zone: Tz) -> String {
    let at = local(at_ms, zone);
    match lang {
        Lang::Zh => {
            const DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
            let day = DAYS[at.weekday().num_days_from_monday() as usize];
            format!("{}年{}月{}日（{day}）", at.year(), at.month(), at.day())
        }
        Lang::En => at.format("%A %-d %B %Y").to_string(),
    }
}

/// The meeting's date and hours in its room's zone, the zone named.
fn when(lang: Lang, m: &Meeting) -> String {
    let (begin, end) = (local(m.span.begin_ms(), m.time_zone), local(m.span.end_ms(), m.time_zone));
    let hours = format!("{}–{}", begin.format("%H:%M"), end.format("%H:%M"));
    match lang {
        Lang::Zh => format!("{}{hours}（{} 时间）", date(lang, m.span.begin_ms(), m.time_zone), m.time_zone.name()),
        Lang::En => format!("{}, {hours} ({} time)", date(lang, m.span.begin_ms(), m.time_zone), m.time_zone.name()),
    }
}
