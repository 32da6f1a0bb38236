//! The booking form's fields as posted (repeated ones included: attendees, guests), and
//! what they ask for: the meeting's span in the room's zone, its attendees, its rule.

use chrono_tz::Tz;
use roomd_core::meeting::AttendeeDraft;
use roomd_core::recurrence::Recurrence;
use roomd_core::time::{DayMinute, TimeSpan, parse_date};
use roomd_core::{RoomId, UserId};

use super::words::Words;

/// The most occurrences the form offers (the store takes up to 366).
pub const MAX_COUNT: u32 = 100;

/// The form as typed; re-shown as it was when something is wrong.
#[derive(Debug, Default, Clone)]
pub struct BookForm {
    pub room: String,
    pub subject: String,
    pub date: String,
    pub from: String,
    pub to: String,
    /// Chosen colleagues' user ids.
    pub attendees: Vec<String>,
    /// A name (or account, phone, email) to look for in the directory.
    pub who: String,
    pub guests: Vec<Guest>,
    pub memo: String,
    /// `""`, `daily`, `weekdays`, `weekly`, `biweekly` or `monthly`.
    pub repeat: String,
    /// `count` or `until`.
    pub ends: String,
    pub count: String,
    pub until: String,
    /// Which button: `book` (the default), `search`, `guest`, `confirm` or `skip`.
    pub step: String,
}

#[derive(Debug, Default, Clone)]
pub struct Guest {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// The repeat choices, in the order the form lists them, with their rule.
pub const REPEATS: [(&str, &str); 5] = [
    ("daily", "FREQ=DAILY"),
    ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("weekly", "FREQ=WEEKLY"),
    ("biweekly", "FREQ=WEEKLY;INTERVAL=2"),
    ("monthly", "FREQ=MONTHLY"),
];

impl BookForm {
    /// The form from its posted pairs; guests' fields pair up by position.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> BookForm {
        let mut f = BookForm::default();
        let (mut names, mut phones, mut emails) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in pairs {
            match key.as_str() {
                "room" => f.room = value,
                "subject" => f.subject = value,
                "date" => f.date = value,
                "from" => f.from = value,
                "to" => f.to = value,
                "attendee" if !f.attendees.contains(&value) => f.attendees.push(value),
                "who" => f.who = value,
                "guest_name" => names.push(value),
                "guest_phone" => phones.push(value),
                "guest_email" => emails.push(value),
                "memo" => f.memo = value,
                "repeat" => f.repeat = value,
                "ends" => f.ends = value,
                "count" => f.count = value,
                "until" => f.until = value,
                "step" => f.step = value,
                _ => {}
            }
        }
        let at = |list: &[String], i: usize| list.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        let rows = names.len().max(phones.len()).max(emails.len());
        f.guests = (0..rows)
            .map(|i| Guest { name: at(&names, i), phone: at(&phones, i), email: at(&emails, i) })
            .filter(|g| !(g.name.is_empty() && g.phone.is_empty() && g.email.is_empty()))
            .collect();
        f
    }

    /// The meeting's span, its times read on the room's clock.
    pub fn span(&self, tz: Tz, w: &'static Words) -> Result<TimeSpan, &'static str> {
        let date = parse_date("date", &self.date).map_err(|_| w.book_bad_time)?;
        let from = DayMinute::parse("from", &self.from).map_err(|_| w.book_bad_time)?.on(date, tz);
        let to = DayMinute::parse("to", &self.to).map_err(|_| w.book_bad_time)?.on(date, tz);
        TimeSpan::new(from, to).map_err(|_| w.book_bad_time)
    }

    /// The booker first, then the chosen colleagues, then the guests (each needs a name).
    pub fn attendees(&self, me: &UserId, w: &'static Words) -> Result<Vec<AttendeeDraft>, &'static str> {
        let mut out = vec![AttendeeDraft { user: Some(me.clone()), ..Default::default() }];
        for id in self.attendees.iter().filter(|id| *id != me.as_str()) {
            let user = UserId::parse("attendee", id).map_err(|_| w.book_bad_attendee)?;
            out.push(AttendeeDraft { user: Some(user), ..Default::default() });
        }
        for g in &self.guests {
            if g.name.is_empty() {
                return Err(w.book_guest_name);
            }
            let given = |v: &String| Some(v.clone()).filter(|v| !v.is_empty());
            let guest = AttendeeDraft {
                name: Some(g.name.clone()),
                phone: given(&g.phone),
                email: given(&g.email),
                ..Default::default()
            };
            out.push(guest);
        }
        Ok(out)
    }

    /// The rule the repeat fields ask for; `None` when the meeting does not repeat.
    pub fn rule(&self, w: &'static Words) -> Result<Option<Recurrence>, &'static str> {
        let Some((_, freq)) = REPEATS.iter().find(|(name, _)| *name == self.repeat.trim()) else {
            return match self.repeat.trim() {
                "" => Ok(None),
                _ => Err(w.book_bad_repeat),
            };
        };
        let end = match self.ends.as_str() {
            "until" => {
                let until = parse_date("until", &self.until).map_err(|_| w.book_bad_until)?;
                format!("UNTIL={}", until.format("%Y%m%d"))
            }
            _ => {
                let count = self.count.trim().parse::<u32>().ok().filter(|n| (2..=MAX_COUNT).contains(n));
                format!("COUNT={}", count.ok_or(w.book_bad_count)?)
            }
        };
        Recurrence::parse(&format!("{freq};{end}")).map(Some).map_err(|_| w.book_bad_repeat)
    }

    /// The room and hours as the form's address carries them (`GET /app/book?…`).
    pub fn query(&self) -> String {
        let fields = [("room", &self.room), ("date", &self.date), ("from", &self.from), ("to", &self.to)];
        serde_urlencoded::to_string(fields).unwrap_or_default()
    }

    pub fn room_id(&self) -> Option<RoomId> {
        RoomId::parse("room", &self.room).ok()
    }
}
