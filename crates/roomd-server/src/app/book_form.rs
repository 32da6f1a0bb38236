//! The booking form's fields as posted (the people among them: `people.rs`), and what
//! they ask for: the meeting's span in the room's zone and its rule.

use chrono_tz::Tz;
use roomd_core::RoomId;
use roomd_core::recurrence::Recurrence;
use roomd_core::time::{DayMinute, TimeSpan, parse_date};

use super::people::{People, Reader};
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
    pub people: People,
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

/// The repeat choices, in the order the form lists them, with their rule.
pub const REPEATS: [(&str, &str); 5] = [
    ("daily", "FREQ=DAILY"),
    ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("weekly", "FREQ=WEEKLY"),
    ("biweekly", "FREQ=WEEKLY;INTERVAL=2"),
    ("monthly", "FREQ=MONTHLY"),
];

impl BookForm {
    /// The form from its posted pairs.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> BookForm {
        let (mut f, mut people) = (BookForm::default(), Reader::default());
        for (key, value) in pairs {
            let field = match key.as_str() {
                "room" => &mut f.room,
                "subject" => &mut f.subject,
                "date" => &mut f.date,
                "from" => &mut f.from,
                "to" => &mut f.to,
                "memo" => &mut f.memo,
                "repeat" => &mut f.repeat,
                "ends" => &mut f.ends,
                "count" => &mut f.count,
                "until" => &mut f.until,
                "step" => &mut f.step,
                other => {
                    people.take(other, &value);
                    continue;
                }
            };
            *field = value;
        }
        f.people = people.finish();
        f
    }

    /// The meeting's span, its times read on the room's clock.
    pub fn span(&self, tz: Tz, w: &'static Words) -> Result<TimeSpan, &'static str> {
        let date = parse_date("date", &self.date).map_err(|_| w.find_bad_range)?;
        let from = DayMinute::parse("from", &self.from).map_err(|_| w.find_bad_range)?.on(date, tz);
        let to = DayMinute::parse("to", &self.to).map_err(|_| w.find_bad_range)?.on(date, tz);
        TimeSpan::new(from, to).map_err(|_| w.find_bad_range)
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
