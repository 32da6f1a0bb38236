//! Meetings: a room's day (bookable hours in half-hour slots: who booked what, free slots
//! to book from) and week, and the approval queue. Booking, approving, rejecting,
//! cancelling and finishing go through the same store methods as `meeting/*`.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{Datelike, NaiveDate, TimeZone};
use roomd_core::availability::{RoomDay, Slot};
use roomd_core::meeting::{AttendeeDraft, BookingDraft, CheckedState, Meeting, MeetingPatch, MeetingQuery};
use roomd_core::onboarding::Lang;
use roomd_core::room::Room;
use roomd_core::time::{DayMinute, TimeSpan, day_bounds, local_date};
use roomd_core::{MeetingId, RoomId};
use roomd_store::ConsoleSession;
use serde::Deserialize;

use super::page::{csrf_field, frame, html, note};
use super::{Admin, BASE, csrf_ok};
use crate::html::esc;
use crate::onboarding::page_lang;
use crate::state::AppState;

const SLOT_MIN: i64 = 30;

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    room: Option<String>,
    date: Option<String>,
    week: Option<String>,
    slot: Option<String>,
    lang: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct MeetingForm {
    csrf: Option<String>,
    room: Option<String>,
    date: Option<String>,
    begin: Option<String>,
    minutes: Option<i64>,
    subject: Option<String>,
    /// Whom the meeting is for (an account); the admin themself when blank.
    booker: Option<String>,
    meeting: Option<String>,
    action: Option<String>,
}

pub(super) struct Words {
    pub(super) title: &'static str,
    pub(super) approvals: &'static str,
    room: &'static str,
    pub(super) date: &'static str,
    pub(super) show: &'static str,
    pub(super) week: &'static str,
    free: &'static str,
    book: &'static str,
    subject: &'static str,
    begin: &'static str,
    minutes: &'static str,
    approve: &'static str,
    reject: &'static str,
    cancel: &'static str,
    finish: &'static str,
    pending: &'static str,
    signed: &'static str,
    pub(super) none: &'static str,
    booked: &'static str,
    booker: &'static str,
}

pub(super) fn words(lang: Lang) -> &'static Words {
    const ZH: Words = Words {
        title: "会议",
        approvals: "待审批",
        room: "会议室",
        date: "日期",
        show: "查看",
        week: "本周",
        free: "空闲",
        book: "预约",
        subject: "主题",
        begin: "开始",
        minutes: "时长（分钟）",
        approve: "通过",
        reject: "拒绝",
        cancel: "取消",
        finish: "结束",
        pending: "待审批",
        signed: "已签到",
        none: "暂无",
        booked: "已预约。",
        booker: "预约人账号（为他人预约时填写）",
    };
    const EN: Words = Words {
        title: "Meetings",
        approvals: "Approval queue",
        room: "Room",
        date: "Date",
        show: "Show",
        week: "Week",
        free: "free",
        book: "Book",
        subject: "Subject",
        begin: "Begins",
        minutes: "Minutes",
        approve: "Approve",
        reject: "Reject",
        cancel: "Cancel",
        finish: "Finish",
        pending: "pending",
        signed: "checked in",
        none: "None",
        booked: "Booked.",
        booker: "For (an account; blank: yourself)",
    };
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// GET /meeting/manage/meetings?room=…&date=…[&week=1][&slot=HH:MM]
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<CalendarQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    calendar(&app, &s, lang, &q, String::new(), StatusCode::OK).await
}

/// POST /meeting/manage/meetings — `action`: `book`, `approve`, `reject`, `cancel`, `finish`.
pub async fn act(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<MeetingForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    let w = words(lang);
    let q = CalendarQuery { room: f.room.clone(), date: f.date.clone(), ..CalendarQuery::default() };
    if !csrf_ok(&s, &f.csrf.clone().unwrap_or_default()) {
        return calendar(&app, &s, lang, &q, super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let meeting = || MeetingId::from_stored(f.meeting.clone().unwrap_or_default());
    let decide = |state| MeetingPatch { checked: Some(state), ..MeetingPatch::default() };
    let done = match f.action.as_deref().unwrap_or_default() {
        "book" => book(&app, &s, &f).await.map(|_| w.booked.to_string()),
        "approve" => {
            app.store.update_meeting(&s.caller, meeting(), decide(CheckedState::Approved)).await.map(|_| String::new())
        }
        "reject" => {
            app.store.update_meeting(&s.caller, meeting(), decide(CheckedState::Rejected)).await.map(|_| String::new())
        }
        "cancel" => app.store.cancel_meeting(&s.caller, meeting()).await.map(|_| String::new()),
        "finish" => app.store.finish_meeting(&s.caller, meeting()).await.map(|_| String::new()),
        _ => Err(roomd_core::DomainError::invalid("action", "unknown action").into()),
    };
    let (message, status) = match done {
        Ok(text) if text.is_empty() => (String::new(), StatusCode::OK),
        Ok(text) => (note(true, &text), StatusCode::OK),
        Err(e) => super::failure::shown(lang, &e),
    };
    if f.room.is_none() {
        return super::approvals::approvals_page(&app, &s, lang, message, status).await;
    }
    calendar(&app, &s, lang, &q, message, status).await
}

async fn book(app: &AppState, s: &ConsoleSession, f: &MeetingForm) -> Result<Meeting, roomd_store::StoreError> {
    let tz = s.caller.tz;
    let date = parse_date(f.date.as_deref(), app.now_ms(), tz)?;
    let begin = DayMinute::parse("begin", f.begin.as_deref().unwrap_or_default())?.on(date, tz);
    let minutes = f.minutes.unwrap_or(SLOT_MIN).clamp(5, 24 * 60);
    let booker = match f.booker.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        None => s.user.clone(),
        Some(account) => app
            .store
            .user_by_account(&s.caller, account.to_string())
            .await?
            .ok_or(roomd_core::DomainError::UserNotExist)?,
    };
    let draft = BookingDraft {
        id: None,
        room: RoomId::parse("room", f.room.as_deref().unwrap_or_default())?,
        speaker: booker.name.clone(),
        subject: f.subject.clone().unwrap_or_default(),
        span: TimeSpan::new(begin, begin + minutes * 60_000)?,
        booker: booker.id.clone(),
        address: None,
        checked: None,
        memo: String::new(),
        attendees: vec![AttendeeDraft { user: Some(booker.id.clone()), ..AttendeeDraft::default() }],
    };
    app.store.book_meeting(&s.caller, draft).await
}

/// The page's `date`, today when there is none; 1970-01-01 to 9999-12-31.
pub(super) fn parse_date(raw: Option<&str>, now: i64, tz: chrono_tz::Tz) -> Result<NaiveDate, roomd_core::DomainError> {
    match raw.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => roomd_core::time::parse_date("date", d),
        None => Ok(local_date(now, tz)),
    }
}

fn hhmm(ms: i64, tz: chrono_tz::Tz) -> String {
    tz.timestamp_millis_opt(ms).single().map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
}

/// One meeting's line: time, subject, booker, state, check-ins, and its actions. With a
/// `calendar` (room, date) the actions come back to that calendar, else to the queue.
pub(super) fn meeting_line(
    m: &Meeting,
    s: &ConsoleSession,
    w: &Words,
    now: i64,
    calendar: Option<(&str, &str)>,
) -> String {
    let tz = s.caller.tz;
    let signed = m.attendances.iter().filter(|a| a.sign_in.is_some()).count();
    let pending =
        if m.checked == CheckedState::Pending { format!(" · <em>{}</em>", w.pending) } else { String::new() };
    let back = calendar.map_or(String::new(), |(room, date)| {
        format!(
            "<input type=\"hidden\" name=\"room\" value=\"{}\"><input type=\"hidden\" name=\"date\" value=\"{}\">",
            esc(room),
            esc(date)
        )
    });
    let action = |name: &str, label: &str| {
        format!(
            "<form class=\"inline\" method=\"post\" action=\"{BASE}/meetings\">{}<input type=\"hidden\" name=\"meeting\" value=\"{}\">\
             {back}<button type=\"submit\" name=\"action\" value=\"{name}\">{label}</button></form>",
            csrf_field(s),
            esc(m.id.as_str()),
        )
    };
    let mut actions = String::new();
    if m.checked == CheckedState::Pending {
        actions += &action("approve", w.approve);
        actions += &action("reject", w.reject);
    }
    match m.status(now) {
        roomd_core::meeting::MeetingStatus::NotStarted | roomd_core::meeting::MeetingStatus::StartingSoon => {
            actions += &action("cancel", w.cancel)
        }
        roomd_core::meeting::MeetingStatus::InProgress => actions += &action("finish", w.finish),
        _ => {}
    }
    let who: String = m
        .attendances
        .iter()
        .map(|a| format!("<li>{}{}</li>", esc(&a.name), if a.sign_in.is_some() { " ✓" } else { "" }))
        .collect();
    format!(
        "<div class=\"meeting\"><strong>{}–{} {}</strong> · {}{pending} · {signed}/{} {} {actions}<ul class=\"who\">{who}</ul></div>",
        hhmm(m.span.begin_ms(), tz),
        hhmm(m.span.end_ms(), tz),
        esc(&m.subject),
        esc(&m.speaker),
        m.attendances.len(),
        w.signed,
    )
}

async fn calendar(
    app: &AppState,
    s: &ConsoleSession,
    lang: Lang,
    q: &CalendarQuery,
    message: String,
    status: StatusCode,
) -> Response {
    let w = words(lang);
    let (tz, now) = (s.caller.tz, app.now_ms());
    let Ok(rooms) = app.store.list_rooms(&s.caller).await else { return super::page::error_page() };
    let Ok(date) = parse_date(q.date.as_deref(), now, tz) else {
        return super::page::refused_page(lang, s, w.title, super::page::words(lang).bad_date);
    };
    let date_text = date.format("%Y-%m-%d").to_string();
    let room = q.room.as_deref().and_then(|id| rooms.iter().find(|r| r.id.as_str() == id)).or(rooms.first());
    let options: String = rooms
        .iter()
        .map(|r| {
            let selected = if room.is_some_and(|x| x.id == r.id) { " selected" } else { "" };
            format!("<option value=\"{}\"{selected}>{}</option>", esc(r.id.as_str()), esc(&r.name))
        })
        .collect();
    let picker = format!(
        "<form method=\"get\" action=\"{BASE}/meetings\"><label for=\"room\">{}</label><select id=\"room\" name=\"room\">{options}</select>\
         <label for=\"date\">{}</label><input id=\"date\" name=\"date\" type=\"date\" value=\"{date_text}\">\
         <label><input type=\"checkbox\" name=\"week\" value=\"1\"{}> {}</label><p><button type=\"submit\">{}</button></p></form>",
        w.room,
        w.date,
        if q.week.is_some() { " checked" } else { "" },
        w.week,
        w.show
    );
    let Some(room) = room else {
        return html(
            status,
            frame(lang, w.title, Some(s), &format!("{message}<section>{picker}<p>{}</p></section>", w.none)),
        );
    };
    let days: Vec<NaiveDate> = if q.week.is_some() {
        let monday = date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()));
        (0..7).map(|i| monday + chrono::Duration::days(i)).collect()
    } else {
        vec![date]
    };
    let (start, _) = day_bounds(days[0], tz);
    let (_, end) = day_bounds(*days.last().unwrap_or(&date), tz);
    let filter = MeetingQuery {
        room: Some(room.id.clone()),
        end_after_ms: Some(start),
        begin_before_ms: Some(end),
        ..MeetingQuery::default()
    };
    let Ok(meetings) = app.store.list_meetings(&s.caller, filter).await else { return super::page::error_page() };
    let meetings: Vec<&Meeting> = meetings.iter().filter(|m| m.occupies()).collect();
    let mut grid = String::new();
    for day in &days {
        let day_text = day.format("%Y-%m-%d").to_string();
        grid += &format!("<section aria-label=\"{day_text}\"><h2>{day_text} · {}</h2>", esc(&room.name));
        grid += &day_slots(room, *day, &meetings, s, w, now, &day_text);
        grid += "</section>";
    }
    let book_form = format!(
        "<section id=\"book\"><h2>{book}</h2><form method=\"post\" action=\"{BASE}/meetings\">{csrf}\
         <input type=\"hidden\" name=\"room\" value=\"{room}\"><input type=\"hidden\" name=\"date\" value=\"{date_text}\">\
         <label for=\"subject\">{subject}</label><input id=\"subject\" name=\"subject\" type=\"text\" required>\
         <label for=\"begin\">{begin}</label><input id=\"begin\" name=\"begin\" type=\"text\" value=\"{slot}\" placeholder=\"09:30\" required>\
         <label for=\"minutes\">{minutes}</label><input id=\"minutes\" name=\"minutes\" type=\"text\" value=\"30\">\
         <label for=\"booker\">{booker}</label><input id=\"booker\" name=\"booker\" type=\"text\" placeholder=\"{me}\">\
         <p><button type=\"submit\" name=\"action\" value=\"book\">{book}</button></p></form></section>",
        book = w.book,
        csrf = csrf_field(s),
        room = esc(room.id.as_str()),
        subject = w.subject,
        begin = w.begin,
        slot = esc(q.slot.as_deref().unwrap_or_default()),
        minutes = w.minutes,
        booker = w.booker,
        me = esc(&s.user.account),
    );
    let by_building = format!(
        "<p><a href=\"{BASE}/meetings/building?date={date_text}\">{}</a></p>",
        if lang == Lang::Zh { "按建筑查看" } else { "A building's day" }
    );
    let body = format!("{message}<section>{picker}{by_building}</section>{grid}{book_form}");
    html(status, frame(lang, w.title, Some(s), &body))
}

/// The room's bookable hours on `day` in half hours: a meeting where one holds the room,
/// else a link that fills the booking form with that time.
pub(super) fn day_slots(
    room: &Room,
    day: NaiveDate,
    meetings: &[&Meeting],
    s: &ConsoleSession,
    w: &Words,
    now: i64,
    day_text: &str,
) -> String {
    let day = RoomDay::new(room, day, s.caller.tz, meetings.iter().map(|m| (*m).clone()));
    let mut out = String::from("<ol class=\"slots\">");
    for slot in day.slots(SLOT_MIN, now) {
        out += &match slot {
            Slot::Meeting(m) => format!("<li>{}</li>", meeting_line(m, s, w, now, Some((room.id.as_str(), day_text)))),
            Slot::Free { label, .. } => format!(
                "<li class=\"free\"><a href=\"{BASE}/meetings?room={}&amp;date={day_text}&amp;slot={label}#book\">{label} {}</a></li>",
                esc(room.id.as_str()),
                w.free
            ),
        };
    }
    out + "</ol>"
}
