//! A company (a tenant): its name, the zone its rooms keep unless their building says
//! otherwise, and the language of its mails and calendar text.

use chrono_tz::Tz;

use crate::directory::text;
use crate::onboarding::Lang;
use crate::{CompanyId, DomainError, DomainResult};

#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub id: CompanyId,
    pub name: String,
    pub time_zone: Tz,
    pub language: Lang,
    /// Minutes before a meeting its people are reminded by mail; 0: no reminders.
    pub reminder_minutes: i64,
}

/// The longest reminder ahead: a day.
pub const MAX_REMINDER_MINUTES: i64 = 1_440;

/// What `company/update` may set; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CompanyPatch {
    pub name: Option<String>,
    pub time_zone: Option<Tz>,
    pub language: Option<Lang>,
    pub reminder_minutes: Option<i64>,
}

impl Company {
    pub fn apply(mut self, patch: CompanyPatch) -> DomainResult<Self> {
        if let Some(name) = patch.name {
            self.name = text("name", &name, 64, true)?;
        }
        if let Some(zone) = patch.time_zone {
            self.time_zone = zone;
        }
        if let Some(language) = patch.language {
            self.language = language;
        }
        if let Some(minutes) = patch.reminder_minutes {
            if !(0..=MAX_REMINDER_MINUTES).contains(&minutes) {
                return Err(DomainError::invalid("reminderMinutes", "0 (no reminders) to 1440 minutes"));
            }
            self.reminder_minutes = minutes;
        }
        Ok(self)
    }
}

/// An IANA zone name as a client gives it (`Europe/London`); anything else is 71001.
pub fn parse_zone(field: &'static str, raw: &str) -> DomainResult<Tz> {
    raw.trim().parse().map_err(|_| DomainError::invalid(field, "not an IANA time zone (e.g. Asia/Shanghai)"))
}

/// `zh_cn` or `en_us`, the two languages of mails and calendar text; anything else is 71001.
pub fn parse_language(field: &'static str, raw: &str) -> DomainResult<Lang> {
    match raw.trim() {
        "zh_cn" => Ok(Lang::Zh),
        "en_us" => Ok(Lang::En),
        _ => Err(DomainError::invalid(field, "zh_cn or en_us")),
    }
}

/// The wire code of a language: `zh_cn` or `en_us`.
pub fn language_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh_cn",
        Lang::En => "en_us",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_and_languages_are_checked() {
        assert_eq!(parse_zone("timeZone", "Europe/London"), Ok(chrono_tz::Europe::London));
        assert!(parse_zone("timeZone", "Mars/Olympus").is_err());
        assert!(parse_zone("timeZone", "").is_err());
        assert_eq!(parse_language("language", "en_us"), Ok(Lang::En));
        assert!(parse_language("language", "fr_fr").is_err());
        assert!(parse_language("language", "en").is_err(), "the wire's codes only");
    }
}
