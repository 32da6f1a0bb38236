//! The app's frame: the signed-in person with the language of their pages, forms whose
//! token is checked before a handler sees them, and the pages for what fails.

use std::borrow::Cow;

use askama::Template;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use roomd_core::onboarding::Lang;
use roomd_store::{Session, StoreError, Surface};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::words::{Words as AppWords, words as app_words};
use super::{BASE, session_cookie};
use crate::state::AppState;
use crate::web::form::{self, Refused};
use crate::web::{Notice, Page, Words, other_lang, page_lang, query_lang, render, words};

/// The signed-in person, and the language of their pages; without a session, a
/// redirect to the sign-in page.
pub struct Person {
    pub s: Session,
    pub lang: Lang,
}

/// Who the app's header names, and the token of its sign-out form.
pub struct Me<'a> {
    pub name: &'a str,
    /// For password managers, on the password form.
    pub account: &'a str,
    pub csrf: &'a str,
}

impl FromRequestParts<AppState> for Person {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let person = <Person as OptionalFromRequestParts<AppState>>::from_request_parts(parts, app).await?;
        person.ok_or_else(|| Redirect::to(&format!("{BASE}/login")).into_response())
    }
}

/// `Option<Person>`: `None` without a session, for a page that has something to show
/// to anybody.
impl OptionalFromRequestParts<AppState> for Person {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Option<Self>, Self::Rejection> {
        let lang = page_lang(query_lang(parts).as_deref(), &parts.headers);
        let Some(token) = session_cookie(&parts.headers) else { return Ok(None) };
        match app.store.session(Surface::App, token).await {
            Ok(session) => Ok(session.map(|s| Person { s, lang })),
            Err(e) => Err(failed(lang, None, &e)),
        }
    }
}

impl Person {
    pub fn t(&self) -> &'static Words {
        words(self.lang)
    }

    /// The app's own phrases in the person's language.
    pub fn w(&self) -> &'static AppWords {
        app_words(self.lang)
    }

    pub fn me(&self) -> Option<Me<'_>> {
        Some(Me { name: &self.s.user.name, account: &self.s.user.account, csrf: &self.s.csrf })
    }

    /// The frame of the app page at `path` (below `BASE`).
    pub fn page<'a>(&self, path: &str, title: impl Into<Cow<'a, str>>) -> Page<'a> {
        frame(self.lang, path, title)
    }

    /// The frame of a page whose address carries a query (`/find?date=…`): its language
    /// switch keeps the query.
    pub fn page_at<'a>(&self, path_and_query: &str, title: impl Into<Cow<'a, str>>) -> Page<'a> {
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        let mut page = frame(self.lang, path, title);
        if !query.is_empty() {
            page.switch = format!("{}&{query}", page.switch);
        }
        page
    }

    /// The page for a store call of this person's that failed (`failed`).
    pub fn failed(&self, e: &StoreError) -> Response {
        failed(self.lang, self.me(), e)
    }

    /// A page that only says something, with a way back home.
    pub fn message(&self, status: StatusCode, title: &str, text: &str) -> Response {
        let page = self.page("/", title).with_notice(Notice::error(text));
        render(status, &MessagePage { page, w: self.w(), me: self.me(), back: format!("{BASE}/") })
    }
}

/// The frame of an app page at `path` (below `BASE`), its switch to the other language.
pub fn frame<'a>(lang: Lang, path: &str, title: impl Into<Cow<'a, str>>) -> Page<'a> {
    Page::public(lang, title, format!("{BASE}{path}?lang={}", other_lang(lang)))
}

/// A form with no fields but its token (a button).
#[derive(Debug, Deserialize)]
pub struct Empty {}

/// An app form (`application/x-www-form-urlencoded`) from the signed-in person, its
/// `csrf` token already checked: a form from an old page (or another site) gets the
/// "page expired" page (403), a form that does not parse a 400 that says so.
pub struct Posted<T> {
    pub person: Person,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let person = <Person as FromRequestParts<AppState>>::from_request_parts(&mut parts, app).await?;
        let t = person.t();
        match form::read(Request::from_parts(parts, body), app, &person.s).await {
            Ok(form) => Ok(Posted { person, form }),
            Err(Refused::Expired) => Err(person.message(StatusCode::FORBIDDEN, t.expired_title, t.expired_form)),
            Err(Refused::Unreadable) => Err(person.message(StatusCode::BAD_REQUEST, t.failed_title, t.bad_form)),
        }
    }
}

/// A page that only says something, and where to go back to.
#[derive(Template)]
#[template(path = "app/message.html")]
pub struct MessagePage<'a> {
    pub page: Page<'a>,
    pub w: &'static AppWords,
    pub me: Option<Me<'a>>,
    pub back: String,
}

/// The answer to a request that failed in the store: the refusal said as such (422),
/// roomd's own failure as an apology (503 or 500, the detail logged).
pub fn failed(lang: Lang, me: Option<Me<'_>>, e: &StoreError) -> Response {
    let (text, status) = said(lang, e);
    let page = frame(lang, "/", words(lang).failed_title).with_notice(Notice::error(text));
    render(status, &MessagePage { page, w: app_words(lang), me, back: format!("{BASE}/") })
}

/// What the app says of a store's refusal: a meeting's times and texts in the app's own
/// words (the APIs' field names mean nothing to a person), the rest as the console says it.
pub fn said(lang: Lang, e: &StoreError) -> (String, StatusCode) {
    let w = app_words(lang);
    match e {
        StoreError::Domain(roomd_core::DomainError::Invalid { field: "beginTime" | "endTime", .. }) => {
            (w.time_refused.to_string(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        StoreError::Domain(roomd_core::DomainError::Invalid { field: "subject" | "memo" | "speaker", .. }) => {
            (w.text_refused.to_string(), StatusCode::UNPROCESSABLE_ENTITY)
        }
        _ => crate::console::failure::said(lang, e),
    }
}
