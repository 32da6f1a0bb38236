//! My meeting (`/app/meetings/{id}`): one meeting as its booker or an attendee sees it —
//! when and where, its state, its series, who is coming and who has checked in — with
//! the changes its booker (or an admin) may make (`meeting_actions.rs`,
//! `meeting_edit.rs`), an `.ics` to add it to a calendar, and the person's own feed.
//! Anyone else is told there is no such meeting: the page reveals nobody else's.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use roomd_core::ical::{self, CalendarEntry, FeedOwner};
use roomd_core::meeting::{Meeting, MeetingQuery, MeetingStatus};
use roomd_core::room::Room;
use roomd_core::time::local_date;
use roomd_core::{DomainError, MeetingId, UserId};
use roomd_store::StoreError;
use roomd_wire::h5;
use serde::Deserialize;

use super::person::{Me, Person};
use super::shown::Photo;
use super::words::Words;
use super::{BASE, series_rule, shown};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

/// What the last action did, said once at the top of the page.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Done {
    Cancelled,
    Finished,
    Extended,
    /// Extended in a room that needs approval: back in the queue.
    ExtendedForApproval,
    Saved,
    Booked,
}

#[derive(Debug, Deserialize)]
pub struct MeetingQueryString {
    done: Option<Done>,
}

#[derive(Template)]
#[template(path = "app/meeting.html")]
struct MeetingPage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    csrf: &'a str,
    v: View,
    feed: h5::Feed,
}

/// The meeting as the page shows it.
struct View {
    id: String,
    when: String,
    zone: Option<String>,
    status: &'static str,
    status_class: &'static str,
    approval: Option<&'static str>,
    room: String,
    /// Address and floor, when the room has them.
    place: String,
    photo: shown::Photo,
    booker: String,
    memo: String,
    /// The series' rule in words and its count; `None` for a single meeting.
    series: Option<String>,
    people: Vec<Attendee>,
    /// `2/5 人已签到`.
    checked_line: String,
    may: Actions,
}

struct Attendee {
    name: String,
    guest: bool,
    /// `HH:mm` in the room's zone, once checked in.
    checked_at: Option<String>,
}

/// What the signed-in person may do with the meeting now.
pub(super) struct Actions {
    pub finish: bool,
    pub extend: bool,
    pub edit: bool,
    pub cancel: bool,
    /// The meeting is an occurrence of a series: a change asks how far it reaches.
    pub series: bool,
}

impl Actions {
    pub(super) fn of(person: &Person, m: &Meeting, now: i64) -> Actions {
        let mine = person.s.caller.check_acts_for(&m.booker).is_ok();
        let status = m.status(now);
        Actions {
            finish: mine && m.occupies() && status == MeetingStatus::InProgress,
            extend: mine && shown::live(m, now),
            edit: mine && m.occupies() && m.check_updatable(now).is_ok(),
            cancel: mine && matches!(status, MeetingStatus::NotStarted | MeetingStatus::StartingSoon),
            series: !m.series_id.is_empty(),
        }
    }

    fn any(&self) -> bool {
        self.finish || self.extend || self.edit || self.cancel
    }
}

/// GET /app/meetings/{id}
pub async fn page(
    State(app): State<AppState>,
    person: Person,
    Path(id): Path<String>,
    Query(q): Query<MeetingQueryString>,
) -> Response {
    let m = match visible(&app, &person, &id).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let w = person.w();
    let notice = q.done.and_then(|done| match done {
        Done::Cancelled => Notice::ok(w.m_done_cancelled),
        Done::Finished => Notice::ok(w.m_done_finished),
        Done::Extended => Notice::ok(w.m_done_extended.replace("{end}", &shown::hhmm(m.span.end_ms(), m.time_zone))),
        Done::ExtendedForApproval => {
            Notice::ok(w.m_done_extended_approval.replace("{end}", &shown::hhmm(m.span.end_ms(), m.time_zone)))
        }
        Done::Saved => Notice::ok(w.m_done_saved),
        Done::Booked => Notice::ok(w.booked_done),
    });
    show(&app, &person, m, notice, StatusCode::OK).await
}

/// GET /app/meetings/{id}/calendar.ics — the meeting as a one-event calendar to import,
/// under the `UID` of its invitations (`ical::one_meeting`).
pub async fn calendar(State(app): State<AppState>, person: Person, Path(id): Path<String>) -> Response {
    let m = match visible(&app, &person, &id).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let (room, booker) = match (room_of(&app, &person, &m).await, user_of(&app, &person, &m.booker).await) {
        (Ok(room), Ok(booker)) => (room, booker),
        (Err(e), _) | (_, Err(e)) => return person.failed(&e),
    };
    let room_name = room.as_ref().map_or(m.address.as_str(), |r| r.name.as_str());
    let organizer = booker
        .as_ref()
        .filter(|u| !u.email.is_empty())
        .map(|u| ical::Person { name: u.name.as_str(), email: u.email.as_str() });
    let text = ical::one_meeting(&CalendarEntry { meeting: &m, room_name, organizer });
    let headers = [
        (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"meeting.ics\""),
        (header::CACHE_CONTROL, "private, no-store"),
    ];
    (StatusCode::OK, headers, text).into_response()
}

/// The meeting `raw` names, if the person may see it: one they booked or attend, or any
/// of their company's for an admin. Otherwise the answer is the page for a meeting that
/// does not exist (404), whether it does or not.
pub(super) async fn visible(app: &AppState, person: &Person, raw: &str) -> Result<Meeting, Response> {
    let not_found = || person.message(StatusCode::NOT_FOUND, person.t().not_found_title, person.w().m_not_found);
    let Ok(id) = MeetingId::parse("meeting", raw) else { return Err(not_found()) };
    let m = match app.store.meeting(&person.s.caller, id).await {
        Ok(m) => m,
        Err(StoreError::Domain(DomainError::MeetingNotExist)) => return Err(not_found()),
        Err(e) => return Err(person.failed(&e)),
    };
    let me = &person.s.user.id;
    let attends = m.attendances.iter().any(|a| a.user.as_ref() == Some(me));
    match &m.booker == me || attends || person.s.user.is_admin {
        true => Ok(m),
        false => Err(not_found()),
    }
}

/// The meeting page with `notice` on it, answered with `status`.
pub(super) async fn show(
    app: &AppState,
    person: &Person,
    m: Meeting,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    match view(app, person, &m).await {
        Ok((v, feed)) => {
            let page = person.page(&format!("/meetings/{}", v.id), m.subject.clone()).with_notice(notice);
            render(status, &MeetingPage { page, w: person.w(), me: person.me(), csrf: &person.s.csrf, v, feed })
        }
        Err(e) => person.failed(&e),
    }
}

async fn view(app: &AppState, person: &Person, m: &Meeting) -> Result<(View, h5::Feed), StoreError> {
    let (w, caller, now) = (person.w(), &person.s.caller, app.now_ms());
    let room = room_of(app, person, m).await?;
    let booker = match m.attendances.iter().find(|a| a.user.as_ref() == Some(&m.booker)) {
        Some(a) => a.name.clone(),
        None => user_of(app, person, &m.booker).await?.map(|u| u.name).unwrap_or_default(),
    };
    let series = match m.series_id.is_empty() {
        true => None,
        false => Some(series(app, person, m).await?),
    };
    let owner = FeedOwner::User(person.s.user.id.clone());
    let feed = app.views.feed_view(&app.store.calendar_feed(caller, owner, false).await?);
    let (status, status_class) = shown::status(m, w, now);
    let people: Vec<Attendee> = m
        .attendances
        .iter()
        .map(|a| Attendee {
            name: a.name.clone(),
            guest: a.user.is_none(),
            checked_at: a.sign_in.as_ref().map(|s| shown::hhmm(s.at_ms, m.time_zone)),
        })
        .collect();
    let place = room.as_ref().map(place).unwrap_or_default();
    let view = View {
        id: m.id.to_string(),
        when: format!("{} {}", shown::day(person.lang, local_date(m.span.begin_ms(), m.time_zone)), shown::hours(m)),
        zone: shown::zone(m, w, caller.tz),
        status,
        status_class,
        approval: shown::approval(m, w, now),
        room: room.as_ref().map_or_else(|| m.address.clone(), |r| r.name.clone()),
        place,
        photo: shown::Photo::of(room.map(|r| r.scene_image).as_deref().unwrap_or_default(), app.views.public_url()),
        booker,
        memo: m.memo.clone(),
        series,
        checked_line: w
            .m_checked_count
            .replace("{checked}", &people.iter().filter(|p| p.checked_at.is_some()).count().to_string())
            .replace("{all}", &people.len().to_string()),
        people,
        may: Actions::of(person, m, now),
    };
    Ok((view, feed))
}

/// `每周一 · 共 10 次 · 已取消 1 次`: the rule, how many occurrences, how many cancelled.
async fn series(app: &AppState, person: &Person, m: &Meeting) -> Result<String, StoreError> {
    let w = person.w();
    let filter = MeetingQuery { series: Some(m.series_id.clone()), include_cancelled: true, ..MeetingQuery::default() };
    let all = app.store.list_meetings(&person.s.caller, filter).await?;
    let cancelled = all.iter().filter(|o| o.cancelled_ms.is_some()).count();
    let mut said = Vec::with_capacity(3);
    if !m.recurrence.is_empty() {
        let on = local_date(m.span.begin_ms(), m.time_zone);
        said.push(series_rule::in_words(&m.recurrence, on, person.lang, w));
    }
    said.push(w.rule_count.replace("{n}", &all.len().to_string()));
    if cancelled > 0 {
        said.push(w.rule_cancelled.replace("{n}", &cancelled.to_string()));
    }
    Ok(said.join(" · "))
}

/// `9F · 1 Main St`: what the room says of where it is (floors are named as the
/// building names them: `F9`, `9F`, `九楼`).
fn place(room: &Room) -> String {
    let floor = (!room.floor.trim().is_empty()).then(|| room.floor.trim().to_string());
    let address = (!room.address.trim().is_empty() && room.address != room.name).then(|| room.address.clone());
    [floor, address].into_iter().flatten().collect::<Vec<_>>().join(" · ")
}

/// The meeting's room; `None` once it is removed (the meeting keeps its address).
pub(super) async fn room_of(app: &AppState, person: &Person, m: &Meeting) -> Result<Option<Room>, StoreError> {
    match app.store.room(&person.s.caller, m.room.clone()).await {
        Ok(room) => Ok(Some(room)),
        Err(StoreError::Domain(DomainError::RoomNotExist)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A user of the directory; `None` once removed.
async fn user_of(
    app: &AppState,
    person: &Person,
    id: &UserId,
) -> Result<Option<roomd_core::directory::User>, StoreError> {
    match app.store.user(&person.s.caller, id.clone()).await {
        Ok(user) => Ok(Some(user)),
        Err(StoreError::Domain(DomainError::UserNotExist)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Where an action goes back to: the meeting's page, saying what was done.
pub(super) fn done(id: &MeetingId, done: &str) -> Response {
    axum::response::Redirect::to(&format!("{BASE}/meetings/{id}?done={done}")).into_response()
}
