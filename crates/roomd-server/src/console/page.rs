//! The console's frame: its sections, the signed-in admin with the language of their
//! pages, forms whose token is checked before a handler sees them, what a successful
//! action says on the page it returns to, and the pages for what fails.

use std::borrow::Cow;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use roomd_core::onboarding::Lang;
use roomd_store::{Session, StoreError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{BASE, session_cookie};
use crate::state::AppState;
use crate::web::form::{self, Refused};
use crate::web::{Console, NavLink, Notice, Page, Words, other_lang, page_lang, query_lang, render, words};

/// The console's sections, in the navigation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    OpenApi,
    Directory,
    Meetings,
    Approvals,
    Rooms,
    Boards,
    Reports,
    Onboarding,
    Company,
}

impl Section {
    const ALL: [Section; 9] = [
        Section::OpenApi,
        Section::Directory,
        Section::Meetings,
        Section::Approvals,
        Section::Rooms,
        Section::Boards,
        Section::Reports,
        Section::Onboarding,
        Section::Company,
    ];

    fn path(self) -> &'static str {
        match self {
            Section::OpenApi => "settings/openApi",
            Section::Directory => "directory",
            Section::Meetings => "meetings",
            Section::Approvals => "approvals",
            Section::Rooms => "rooms",
            Section::Boards => "boards",
            Section::Reports => "reports",
            Section::Onboarding => "onboarding",
            Section::Company => "settings/company",
        }
    }

    fn label(self, t: &Words) -> &'static str {
        match self {
            Section::OpenApi => t.open_api,
            Section::Directory => t.directory,
            Section::Meetings => t.meetings,
            Section::Approvals => t.approvals,
            Section::Rooms => t.nav_rooms,
            Section::Boards => t.boards,
            Section::Reports => t.reports,
            Section::Onboarding => t.onboarding,
            Section::Company => t.company_settings,
        }
    }

    pub fn href(self) -> String {
        format!("{BASE}/{}", self.path())
    }

    /// The section a console path is part of (a form's action is under its page's path).
    fn of_path(path: &str) -> Option<Section> {
        let rest = path.strip_prefix(BASE)?.trim_start_matches('/');
        Section::ALL.into_iter().find(|s| rest.starts_with(s.path()))
    }
}

/// What a successful action says on the page it returns to, carried as `?done=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Done {
    Saved,
    Removed,
    Revoked,
    KeysRefreshed,
    Replayed,
    DeptAdded,
    UserAdded,
    FaceUpdated,
    LinkMailed,
    RoomAdded,
    BuildingAdded,
    RegionAdded,
    Booked,
    SeriesBooked,
    Approved,
    Rejected,
    Cancelled,
    Finished,
    BoardRevoked,
    NewAddress,
    /// A value no action of ours sends: shown as nothing.
    #[serde(other)]
    Unknown,
}

impl Done {
    pub fn notice(self, t: &Words) -> Option<Notice> {
        let text = match self {
            Done::Saved => t.done,
            Done::Removed => t.removed,
            Done::Revoked => t.revoked,
            Done::KeysRefreshed => t.keys_refreshed,
            Done::Replayed => t.replayed,
            Done::DeptAdded => t.dept_added,
            Done::UserAdded => t.user_added,
            Done::FaceUpdated => t.face_updated,
            Done::LinkMailed => t.link_mailed,
            Done::RoomAdded => t.room_added,
            Done::BuildingAdded => t.building_added,
            Done::RegionAdded => t.region_added,
            Done::Booked => t.booked,
            Done::SeriesBooked => t.series_booked,
            Done::Approved => t.approved,
            Done::Rejected => t.rejected,
            Done::Cancelled => t.cancelled,
            Done::Finished => t.finished,
            Done::BoardRevoked => t.board_revoked,
            Done::NewAddress => t.feed_reset,
            Done::Unknown => return None,
        };
        Notice::ok(text)
    }
}

/// After an action: back to `section`'s page (with `query`, e.g. the calendar's room and
/// date), which says what was done. A reload then shows the page instead of sending the
/// form again.
pub fn done(section: Section, query: &[(&str, &str)], what: Done) -> Response {
    done_at(&section.href(), query, what)
}

/// `done`, back to the page at `path` (one below a section's).
pub fn done_at(path: &str, query: &[(&str, &str)], what: Done) -> Response {
    let mut pairs: Vec<(&str, &str)> = query.to_vec();
    let key = serde_urlencoded::to_string([("done", what)]).unwrap_or_default();
    pairs.retain(|(k, _)| *k != "done");
    let rest = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    let sep = if rest.is_empty() { "" } else { "&" };
    Redirect::to(&format!("{path}?{rest}{sep}{key}")).into_response()
}

/// The signed-in admin, and the language of their pages; without a session, a redirect
/// to the sign-in page.
pub struct Admin {
    pub s: Session,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let lang = page_lang(query_lang(parts).as_deref(), &parts.headers);
        let to_login = || Redirect::to(&format!("{BASE}/login")).into_response();
        let Some(token) = session_cookie(&parts.headers) else { return Err(to_login()) };
        match app.store.console_session(token).await {
            Ok(Some(s)) => Ok(Admin { s, lang }),
            Ok(None) => Err(to_login()),
            Err(e) => Err(failed_page(lang, &e)),
        }
    }
}

impl Admin {
    pub fn t(&self) -> &'static Words {
        words(self.lang)
    }

    /// The frame of a page of `section`.
    pub fn page<'a>(&'a self, section: Section, title: impl Into<Cow<'a, str>>) -> Page<'a> {
        let t = self.t();
        let nav = Section::ALL
            .into_iter()
            .map(|s| NavLink { href: s.href(), label: s.label(t), current: s == section })
            .collect();
        let other = other_lang(self.lang);
        Page {
            t,
            lang: self.lang,
            title: title.into(),
            notice: None,
            switch: format!("{}?lang={other}", section.href()),
            console: Some(Console {
                nav,
                who: Some((&self.s.user.name, self.s.caller.company.as_str(), &self.s.csrf)),
            }),
        }
    }

    /// A page that only says something (why a form was refused, say), with a way back.
    pub fn message(&self, section: Section, status: StatusCode, title: &str, text: &str) -> Response {
        let page = self.page(section, title).with_notice(Notice::error(text));
        render(status, &MessagePage { page, back: section.href() })
    }

    /// The answer to a request that failed in the store: the admin's mistake said as
    /// such (422), roomd's own failure as an apology (503 or 500, the detail logged).
    pub fn failed(&self, section: Section, e: &StoreError) -> Response {
        let (text, status) = super::failure::said(self.lang, e);
        self.message(section, status, self.t().failed_title, &text)
    }
}

/// A store answer, or the page that says it failed: `app.store.x().await.or_page(&a, s)?`.
/// (The error is the answer itself, returned at once: its size does not matter.)
#[allow(clippy::result_large_err)]
pub trait OrPage<T> {
    fn or_page(self, admin: &Admin, section: Section) -> Result<T, Response>;
}

impl<T> OrPage<T> for Result<T, StoreError> {
    fn or_page(self, admin: &Admin, section: Section) -> Result<T, Response> {
        self.map_err(|e| admin.failed(section, &e))
    }
}

/// A form with no fields but its token (a button).
#[derive(Debug, Deserialize)]
pub struct Empty {}

/// A console form (`application/x-www-form-urlencoded`) from the signed-in admin, its
/// `csrf` token already checked: a form from an old page (or another site) gets the
/// "page expired" page (403), a form that does not parse a 400 that says so.
pub struct Posted<T> {
    pub admin: Admin,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let admin = Admin::from_request_parts(&mut parts, app).await?;
        let section = Section::of_path(parts.uri.path()).unwrap_or(Section::OpenApi);
        let t = admin.t();
        match form::read(Request::from_parts(parts, body), app, &admin.s).await {
            Ok(form) => Ok(Posted { admin, form }),
            Err(Refused::Expired) => {
                Err(admin.message(section, StatusCode::FORBIDDEN, t.expired_title, t.expired_form))
            }
            Err(Refused::Unreadable) => {
                Err(admin.message(section, StatusCode::BAD_REQUEST, t.failed_title, t.bad_form))
            }
        }
    }
}

/// A page that only says something, and where to go back to.
#[derive(Template)]
#[template(path = "console/message.html")]
pub struct MessagePage<'a> {
    pub page: Page<'a>,
    pub back: String,
}

/// roomd's own failure before anyone is known to be signed in (the sessions cannot be
/// read): the apology without the console's navigation.
pub fn failed_page(lang: Lang, e: &StoreError) -> Response {
    let (text, status) = super::failure::said(lang, e);
    let t = words(lang);
    let page = Page {
        console: Some(Console { nav: Vec::new(), who: None }),
        ..Page::public(lang, t.failed_title, format!("{BASE}/login?lang={}", other_lang(lang)))
    }
    .with_notice(Notice::error(text));
    render(status, &MessagePage { page, back: format!("{BASE}/login") })
}
