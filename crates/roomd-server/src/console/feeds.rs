//! 日历订阅 (`rooms/feed`, `directory/feed`): a room's or a person's calendar feed — its
//! address to copy or open in a calendar app, and a new one when the old one leaked
//! (what `calendar/feed/get` and `calendar/feed/reset` do).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::ical::FeedOwner;
use roomd_core::{RoomId, UserId};
use roomd_store::StoreError;
use serde::Deserialize;

use super::page::{Admin, Done, OrPage, Posted, Section, done_at};
use crate::state::AppState;
use crate::web::feed::FeedBox;
use crate::web::{Page, render};

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    id: String,
    done: Option<Done>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    id: String,
}

#[derive(Template)]
#[template(path = "console/feed.html")]
struct FeedPage<'a> {
    page: Page<'a>,
    heading: String,
    feed: FeedBox,
}

/// Whose feed a page shows: a room's (under 会议室) or a person's (under 通讯录).
#[derive(Clone, Copy)]
enum Whose {
    Room,
    Person,
}

impl Whose {
    fn section(self) -> Section {
        match self {
            Whose::Room => Section::Rooms,
            Whose::Person => Section::Directory,
        }
    }

    fn path(self) -> String {
        format!("{}/feed", self.section().href())
    }

    fn owner(self, id: &str) -> Result<FeedOwner, StoreError> {
        Ok(match self {
            Whose::Room => FeedOwner::Room(RoomId::parse("id", id)?),
            Whose::Person => FeedOwner::User(UserId::parse("id", id)?),
        })
    }
}

/// GET /meeting/manage/rooms/feed?id=
pub async fn room(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    show(&app, &a, Whose::Room, q).await
}

/// GET /meeting/manage/directory/feed?id=
pub async fn person(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    show(&app, &a, Whose::Person, q).await
}

/// POST /meeting/manage/rooms/feed `id` — a new address.
pub async fn reset_room(State(app): State<AppState>, p: Posted<ResetForm>) -> Result<Response, Response> {
    reset(&app, p, Whose::Room).await
}

/// POST /meeting/manage/directory/feed `id` — a new address.
pub async fn reset_person(State(app): State<AppState>, p: Posted<ResetForm>) -> Result<Response, Response> {
    reset(&app, p, Whose::Person).await
}

async fn reset(app: &AppState, p: Posted<ResetForm>, whose: Whose) -> Result<Response, Response> {
    let (a, id) = (p.admin, p.form.id);
    let owner = whose.owner(&id).or_page(&a, whose.section())?;
    app.store.calendar_feed(&a.s.caller, owner, true).await.or_page(&a, whose.section())?;
    Ok(done_at(&whose.path(), &[("id", &id)], Done::NewAddress))
}

async fn show(app: &AppState, a: &Admin, whose: Whose, q: PageQuery) -> Result<Response, Response> {
    let here = whose.section();
    let owner = whose.owner(&q.id).or_page(a, here)?;
    let name = match &owner {
        FeedOwner::Room(room) => app.store.room(&a.s.caller, room.clone()).await.or_page(a, here)?.name,
        FeedOwner::User(user) => app.store.user(&a.s.caller, user.clone()).await.or_page(a, here)?.name,
    };
    let secret = app.store.calendar_feed(&a.s.caller, owner, false).await.or_page(a, here)?;
    let feed = FeedBox::new(&app.views, &secret, whose.path(), &a.s.csrf, q.id);
    let heading = a.t().feed_of.replace("{name}", &name);
    let page = FeedPage {
        page: a.page(here, a.t().calendar_feed).with_notice(q.done.and_then(|d| d.notice(a.t()))),
        heading,
        feed,
    };
    Ok(render(StatusCode::OK, &page))
}
