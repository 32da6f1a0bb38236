//! A series' rule in words ("每周一 · 共 10 次", "Weekly on Monday · 10 times"), read from
//! the rule as roomd stores it (`Recurrence::as_str`: upper case, parts in one order).
//! A rule these words do not cover (an ordinal weekday in a month) is shown as stored.

use chrono::{Datelike, NaiveDate, Weekday};
use roomd_core::onboarding::Lang;

use super::words::Words;

/// The rule in words; `on` is the date of the occurrence shown, whose weekday or day of
/// the month a rule without `BYDAY` or `BYMONTHDAY` repeats on.
pub fn in_words(rule: &str, on: NaiveDate, lang: Lang, w: &Words) -> String {
    let part = |name: &str| rule.split(';').find_map(|p| p.strip_prefix(name)?.strip_prefix('='));
    let every = part("INTERVAL").and_then(|n| n.parse::<u32>().ok()).unwrap_or(1);
    let n = every.to_string();
    let by_day: Vec<Weekday> = match part("BYDAY") {
        Some(days) => match days.split(',').map(weekday).collect::<Option<Vec<_>>>() {
            Some(days) => days,
            None => return rule.to_string(),
        },
        None => vec![on.weekday()],
    };
    let month_day = part("BYMONTHDAY").unwrap_or_default().to_string();
    let month_day = if month_day.is_empty() { on.day().to_string() } else { month_day };
    let said = match (part("FREQ"), every) {
        (Some("DAILY"), 1) => w.rule_daily.to_string(),
        (Some("DAILY"), _) => w.rule_days.replace("{n}", &n),
        (Some("WEEKLY"), 1) if by_day.len() == 5 && by_day.iter().all(|d| d.num_days_from_monday() < 5) => {
            w.rule_weekdays.to_string()
        }
        (Some("WEEKLY"), 1) => w.rule_weekly.replace("{days}", &days(&by_day, lang)),
        (Some("WEEKLY"), _) => w.rule_weeks.replace("{n}", &n).replace("{days}", &days(&by_day, lang)),
        (Some("MONTHLY"), _) if part("BYDAY").is_some() => return rule.to_string(),
        (Some("MONTHLY"), 1) => w.rule_monthly.replace("{day}", &month_day),
        (Some("MONTHLY"), _) => w.rule_months.replace("{n}", &n).replace("{day}", &month_day),
        _ => return rule.to_string(),
    };
    match part("UNTIL").and_then(|u| NaiveDate::parse_from_str(u.get(..8)?, "%Y%m%d").ok()) {
        Some(until) => format!("{said} {}", w.rule_until.replace("{date}", &until.format("%Y-%m-%d").to_string())),
        None => said,
    }
}

/// `MO` … `SU`.
fn weekday(code: &str) -> Option<Weekday> {
    const CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let at = CODES.iter().position(|c| *c == code)?;
    Weekday::try_from(u8::try_from(at).ok()?).ok()
}

/// `一、三`, `Monday, Wednesday`.
fn days(days: &[Weekday], lang: Lang) -> String {
    const ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
    const EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let names = if lang == Lang::Zh { ZH } else { EN };
    let said: Vec<&str> = days.iter().map(|d| names[d.num_days_from_monday() as usize]).collect();
    said.join(if lang == Lang::Zh { "、" } else { ", " })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use roomd_core::onboarding::Lang;

    use super::in_words;
    use crate::app::words::words;

    fn said(rule: &str, lang: Lang) -> String {
        // A Monday, the 14th.
        let monday = NaiveDate::from_ymd_opt(2030, 1, 14).expect("date");
        in_words(rule, monday, lang, words(lang))
    }

    #[test]
    fn rules_read_as_a_person_says_them_in_both_languages() {
        assert_eq!(said("FREQ=WEEKLY;COUNT=10", Lang::Zh), "每周一");
        assert_eq!(said("FREQ=WEEKLY;COUNT=10", Lang::En), "Weekly on Monday");
        assert_eq!(said("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=20", Lang::Zh), "每个工作日");
        assert_eq!(said("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6", Lang::Zh), "每 2 周的周一、三");
        assert_eq!(said("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6", Lang::En), "Every 2 weeks on Monday, Wednesday");
        assert_eq!(said("FREQ=DAILY;COUNT=5", Lang::En), "Daily");
        assert_eq!(said("FREQ=MONTHLY;UNTIL=20301231", Lang::Zh), "每月 14 日 至 2030-12-31");
        assert_eq!(said("FREQ=MONTHLY;BYDAY=1MO;COUNT=3", Lang::En), "FREQ=MONTHLY;BYDAY=1MO;COUNT=3");
    }
}
