//! Booking a room: subject, date and hours on the room's clock, colleagues found by name
//! in the directory, guests, a memo, and a repeat (daily, weekdays, weekly, every two
//! weeks, monthly; a number of times or until a date). A series is previewed before it
//! is booked, its conflicts shown, with the choice to book the rest without them. One
//! form, no script: each button (`step`) posts it whole and the page comes back as typed.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use roomd_core::meeting::BookingDraft;
use roomd_core::room::Room;
use roomd_store::StoreError;

use super::BASE;
use super::book_form::{BookForm, MAX_COUNT, REPEATS};
use super::people::PeopleView;
use super::person::{Me, Person, Posted, failed};
use super::rooms::{RoomCard, card};
use super::shown::Photo;
use super::shown::hhmm;
use super::words::Words;
use crate::state::AppState;
use crate::web::{Notice, Page, render};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct BookQuery {
    room: String,
    date: String,
    from: String,
    to: String,
}

#[derive(Template)]
#[template(path = "app/book.html")]
struct BookPage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    csrf: &'a str,
    f: &'a BookForm,
    card: RoomCard,
    day_href: String,
    people: PeopleView,
    repeats: Vec<(&'static str, &'static str)>,
    max_count: u32,
    preview: Option<Preview>,
}

/// A series before it is booked: each occurrence, and what can be booked.
struct Preview {
    lines: Vec<(String, Option<&'static str>)>,
    bookable: usize,
    conflicts: usize,
}

/// GET /app/book?room=…&date=…&from=…&to=… — the form, its room and hours filled in.
pub async fn page(State(app): State<AppState>, person: Person, Query(q): Query<BookQuery>) -> Response {
    let f = BookForm {
        room: q.room,
        date: q.date,
        from: q.from,
        to: q.to,
        ends: "count".into(),
        count: "10".into(),
        ..Default::default()
    };
    show(&app, &person, &f, None, None, None, StatusCode::OK).await
}

/// POST /app/book — a directory search, another guest row, a series' preview, or the
/// booking itself, as the button pressed says.
pub async fn post(State(app): State<AppState>, p: Posted<Vec<(String, String)>>) -> Response {
    let (person, f) = (&p.person, BookForm::from_pairs(p.form.clone()));
    if matches!(f.step.as_str(), "search" | "guest") {
        return show(&app, person, &f, None, None, None, StatusCode::OK).await;
    }
    let refused = |why: &str| Notice::error(why);
    let w = person.w();
    let room = match f.room_id() {
        Some(id) => match app.store.room(&person.s.caller, id).await {
            Ok(room) => room,
            Err(e) => return person.failed(&e),
        },
        None => return person.message(StatusCode::BAD_REQUEST, person.t().failed_title, person.t().bad_form),
    };
    let draft = match draft(&f, &room, person) {
        Ok(draft) => draft,
        Err(why) => {
            return show(&app, person, &f, Some(room), refused(why), None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let rule = match f.rule(w) {
        Ok(rule) => rule,
        Err(why) => {
            return show(&app, person, &f, Some(room), refused(why), None, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let caller = &person.s.caller;
    let booked = match (rule, f.step.as_str()) {
        (None, _) => app.store.book_meeting(caller, draft).await.map(|m| Some(m.id)),
        (Some(rule), "confirm" | "skip") => {
            let skip = f.step == "skip";
            app.store.book_series(caller, draft, rule, skip).await.map(|s| s.booked.into_iter().next().map(|m| m.id))
        }
        (Some(rule), _) => {
            return match app.store.preview_booking(caller, draft, Some(rule)).await {
                Ok(occurrences) => {
                    let preview = preview(&occurrences, &room, person);
                    show(&app, person, &f, Some(room), None, Some(preview), StatusCode::OK).await
                }
                Err(e) => refusal(&app, person, &f, room, &e).await,
            };
        }
    };
    match booked {
        Ok(Some(first)) => Redirect::to(&format!("{BASE}/meetings/{first}?done=booked")).into_response(),
        Ok(None) => Redirect::to(&format!("{BASE}/?done=booked")).into_response(),
        Err(e) => refusal(&app, person, &f, room, &e).await,
    }
}

/// The booking the form asks for, by the signed-in person, in `room`'s zone.
fn draft(f: &BookForm, room: &Room, person: &Person) -> Result<BookingDraft, &'static str> {
    let w = person.w();
    let subject = f.subject.trim();
    if subject.is_empty() {
        return Err(w.book_need_subject);
    }
    Ok(BookingDraft {
        id: None,
        room: room.id.clone(),
        speaker: person.s.user.name.clone(),
        subject: subject.to_string(),
        span: f.span(room.time_zone, w)?,
        booker: person.s.user.id.clone(),
        address: None,
        checked: None,
        memo: f.memo.trim().to_string(),
        attendees: f.people.drafts(&person.s.user.id, w)?,
    })
}

/// Each occurrence on the room's clock, and why it cannot be booked when it cannot.
fn preview(occurrences: &[roomd_store::Occurrence], room: &Room, person: &Person) -> Preview {
    let w = person.w();
    let lines: Vec<(String, Option<&'static str>)> = occurrences
        .iter()
        .map(|o| {
            let (from, to) = (hhmm(o.span.begin_ms(), room.time_zone), hhmm(o.span.end_ms(), room.time_zone));
            let date = roomd_core::time::local_date(o.span.begin_ms(), room.time_zone);
            let why = o.refusal.as_ref().map(|e| match e {
                roomd_core::DomainError::RoomOccupied => w.conflict_taken,
                roomd_core::DomainError::OutsideBookableHours => w.conflict_hours,
                _ => w.conflict_other,
            });
            (format!("{} {from}–{to}", super::shown::day(person.lang, date)), why)
        })
        .collect();
    let conflicts = lines.iter().filter(|(_, why)| why.is_some()).count();
    Preview { bookable: lines.len() - conflicts, conflicts, lines }
}

/// The form again with the store's refusal said as such.
async fn refusal(app: &AppState, person: &Person, f: &BookForm, room: Room, e: &StoreError) -> Response {
    match e {
        StoreError::Domain(_) => {
            let (text, status) = super::person::said(person.lang, e);
            show(app, person, f, Some(room), Notice::error(text), None, status).await
        }
        _ => failed(person.lang, person.me(), e),
    }
}

/// The form as `f` left it, with `notice` and, for a series, its `preview`; its room
/// read unless the caller has it (`room`).
async fn show(
    app: &AppState,
    person: &Person,
    f: &BookForm,
    room: Option<Room>,
    notice: Option<Notice>,
    preview: Option<Preview>,
    status: StatusCode,
) -> Response {
    let (caller, w, t) = (&person.s.caller, person.w(), person.t());
    let Some(id) = f.room_id() else {
        return Redirect::to(&format!("{BASE}/find")).into_response();
    };
    let loaded = async {
        let room = match room {
            Some(room) => room,
            None => app.store.room(caller, id).await?,
        };
        let buildings = app.store.buildings(caller).await?;
        let people = PeopleView::load(app, caller, &f.people, &person.s.user.id, &f.step).await?;
        Ok::<_, StoreError>((room, buildings, people))
    };
    let (room, buildings, people) = match loaded.await {
        Ok(loaded) => loaded,
        Err(StoreError::Domain(_)) => return person.message(StatusCode::NOT_FOUND, t.not_found_title, w.room_gone),
        Err(e) => return person.failed(&e),
    };
    let building = buildings.iter().find(|b| Some(b.id.as_str()) == room.building.as_deref());
    let hours = f.span(room.time_zone, w).map(|s| (s.begin_ms(), s.end_ms())).unwrap_or_default();
    let page = BookPage {
        page: person.page_at(&format!("/book?{}", f.query()), w.book_title).with_notice(notice),
        w,
        me: person.me(),
        csrf: &person.s.csrf,
        f,
        card: card(&room, building, person.lang, caller.tz, hours, app.views.public_url()),
        day_href: format!("{BASE}/rooms/{}?date={}", room.id, f.date),
        people,
        repeats: REPEATS.iter().map(|(name, _)| (*name, repeat_label(w, name))).collect(),
        max_count: MAX_COUNT,
        preview,
    };
    render(status, &page)
}

fn repeat_label(w: &'static Words, name: &str) -> &'static str {
    match name {
        "daily" => w.repeat_daily,
        "weekdays" => w.repeat_weekdays,
        "weekly" => w.repeat_weekly,
        "biweekly" => w.repeat_biweekly,
        _ => w.repeat_monthly,
    }
}
