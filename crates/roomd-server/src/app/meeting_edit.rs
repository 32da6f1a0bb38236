//! Editing a meeting from the app (`/app/meetings/{id}/edit`): its subject, notes, date
//! and hours, typed in its room's zone; for an occurrence of a series, this one, it and
//! the later ones, or all. Saved through `meeting/update`'s store methods and rules.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::DomainError;
use roomd_core::meeting::{Meeting, MeetingPatch, Scope};
use roomd_core::time::{DayMinute, MINUTE_MS, TimeSpan, local_date, parse_date};
use roomd_store::StoreError;

use super::meeting::{Actions, done, room_of, visible};
use super::meeting_actions::refused;
use super::people::{People, PeopleView, Reader};
use super::person::{Me, Person, Posted};
use super::shown::hhmm;
use super::words::Words;
use crate::state::AppState;
use crate::web::{Notice, Page, render};

/// The form as typed (and as shown again when it is refused).
#[derive(Debug, Default)]
pub struct EditForm {
    subject: String,
    memo: String,
    date: String,
    begin: String,
    end: String,
    /// For an occurrence of a series: `this`, `following` or `all`.
    scope: String,
    people: People,
    /// The button pressed: `search`, `guest`, or saving.
    step: String,
}

impl EditForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> EditForm {
        let (mut f, mut people) = (EditForm::default(), Reader::default());
        for (key, value) in pairs {
            let field = match key.as_str() {
                "subject" => &mut f.subject,
                "memo" => &mut f.memo,
                "date" => &mut f.date,
                "begin" => &mut f.begin,
                "end" => &mut f.end,
                "scope" => &mut f.scope,
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
}

#[derive(Template)]
#[template(path = "app/meeting_edit.html")]
struct EditPage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    csrf: &'a str,
    id: String,
    form: EditForm,
    /// The hint naming the zone the times are in.
    zone_hint: String,
    /// The room needs approval: a new time goes back for it.
    audit: bool,
    series: bool,
    people: PeopleView,
}

/// GET /app/meetings/{id}/edit
pub async fn page(State(app): State<AppState>, person: Person, Path(id): Path<String>) -> Response {
    let m = match editable(&app, &person, &id).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    let form = EditForm {
        subject: m.subject.clone(),
        memo: m.memo.clone(),
        date: local_date(m.span.begin_ms(), m.time_zone).format("%Y-%m-%d").to_string(),
        begin: hhmm(m.span.begin_ms(), m.time_zone),
        end: super::shown::end_hhmm(m.span.begin_ms(), m.span.end_ms(), m.time_zone),
        scope: "this".into(),
        people: People::of(&m),
        step: String::new(),
    };
    form_page(&app, &person, &m, form, None, StatusCode::OK).await
}

/// POST /app/meetings/{id}/edit `subject`, `memo`, `date`, `begin`, `end`, `scope`,
/// the people (`people.rs`) and `step` (a directory search or another guest row)
pub async fn save(State(app): State<AppState>, Path(id): Path<String>, p: Posted<Vec<(String, String)>>) -> Response {
    let (person, form) = (p.person, EditForm::from_pairs(p.form));
    let m = match editable(&app, &person, &id).await {
        Ok(m) => m,
        Err(answer) => return answer,
    };
    if matches!(form.step.as_str(), "search" | "guest") {
        return form_page(&app, &person, &m, form, None, StatusCode::OK).await;
    }
    // A single meeting's form has no scope.
    let scope = if form.scope.is_empty() { Ok(Scope::This) } else { Scope::parse(&form.scope) };
    let saved = match (patch(&form, &m, person.w()), scope) {
        (Ok(patch), Ok(Scope::This)) => app.store.update_meeting(&person.s.caller, m.id.clone(), patch).await.map(drop),
        (Ok(patch), Ok(scope)) => {
            app.store.update_in_scope(&person.s.caller, m.id.clone(), patch, scope, None).await.map(drop)
        }
        (Err(e), _) => Err(e),
        (_, Err(e)) => Err(e.into()),
    };
    match saved {
        Ok(()) => done(&m.id, "saved"),
        Err(e @ StoreError::Domain(_)) => {
            let (why, status) = super::person::said(person.lang, &e);
            let status = match e {
                StoreError::Domain(DomainError::RoomOccupied | DomainError::Occurrences(_)) => StatusCode::CONFLICT,
                _ => status,
            };
            form_page(&app, &person, &m, form, Notice::error(why), status).await
        }
        Err(e) => person.failed(&e),
    }
}

/// The meeting, if the person may see it and change it now; otherwise its page saying
/// why not (or the page for no such meeting).
async fn editable(app: &AppState, person: &Person, id: &str) -> Result<Meeting, Response> {
    let m = visible(app, person, id).await?;
    if Actions::of(person, &m, app.now_ms()).edit {
        return Ok(m);
    }
    let why = match person.s.caller.check_acts_for(&m.booker) {
        Err(e) => e,
        Ok(()) => DomainError::MeetingState,
    };
    Err(refused(app, person, m, why.into()).await)
}

/// The change the form asks for. Times are minutes in the room's zone: one left as shown
/// is left as stored (a meeting booked through the API may start at a second past).
/// The list of people is sent only when it changed: a guest sent again would be a new
/// attendance, without the check-in the old one had.
fn patch(form: &EditForm, m: &Meeting, w: &'static Words) -> Result<MeetingPatch, StoreError> {
    let tz = m.time_zone;
    let date = parse_date("date", &form.date)?;
    let begin = DayMinute::parse("begin", &form.begin)?.on(date, tz);
    let end = DayMinute::parse("end", &form.end)?.on(date, tz);
    TimeSpan::new(begin, end)?;
    let changed =
        |typed: i64, stored: i64| (typed.div_euclid(MINUTE_MS) != stored.div_euclid(MINUTE_MS)).then_some(typed);
    Ok(MeetingPatch {
        subject: Some(form.subject.clone()),
        memo: Some(form.memo.clone()),
        begin_ms: changed(begin, m.span.begin_ms()),
        end_ms: changed(end, m.span.end_ms()),
        attendees: match form.people.same_as(&People::of(m)) {
            true => None,
            false => Some(form.people.drafts(&m.booker, w).map_err(|why| DomainError::invalid("attendances", why))?),
        },
        ..MeetingPatch::default()
    })
}

async fn form_page(
    app: &AppState,
    person: &Person,
    m: &Meeting,
    form: EditForm,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let loaded = async {
        let people = PeopleView::load(app, &person.s.caller, &form.people, &m.booker, &form.step).await?;
        Ok::<_, StoreError>((room_of(app, person, m).await?, people))
    };
    let (room, people) = match loaded.await {
        Ok(loaded) => loaded,
        Err(e) => return person.failed(&e),
    };
    let w = person.w();
    let id = m.id.to_string();
    let page = EditPage {
        page: person.page(&format!("/meetings/{id}/edit"), w.m_edit_title).with_notice(notice),
        w,
        me: person.me(),
        csrf: &person.s.csrf,
        id,
        form,
        zone_hint: w.m_zone_hint.replace("{zone}", m.time_zone.name()),
        audit: room.is_some_and(|r| r.need_audit) && !person.s.user.is_admin,
        series: !m.series_id.is_empty(),
        people,
    };
    render(status, &page)
}
