//! The person's own settings (`/app/profile`): the pages' language, their password, their
//! face photo (checked as `user/updateFace` checks it) and their calendar feed. Every
//! change goes through the same store methods as the console's and the APIs'.
//!
//! The language is a cookie (`roomd_lang`, a year, the whole site), not a stored
//! preference: it is this browser's choice, as the header's switch already makes it.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use roomd_core::ical::FeedOwner;
use roomd_core::onboarding::Lang;
use roomd_store::{MIN_CHOSEN_PASSWORD, SignInRefused, StoreError, Surface};
use serde::Deserialize;

use super::person::{Empty, Me, Person, Posted};
use super::words::Words;
use super::{BASE, secure_cookies, set_cookie};
use crate::face::{self, FaceRefused};
use crate::state::AppState;
use crate::web::feed::FeedBox;
use crate::web::form::{self, UploadRefused};
use crate::web::{Notice, Page, render};

const HERE: &str = "/profile";

#[derive(Debug, Deserialize)]
pub struct ProfileQuery {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

#[derive(Template)]
#[template(path = "app/profile.html")]
struct ProfilePage<'a> {
    page: Page<'a>,
    w: &'static Words,
    me: Option<Me<'a>>,
    csrf: &'a str,
    zh: bool,
    /// Where my photo's small copy is, if I have one (it changes with the photo).
    photo: Option<String>,
    feed: FeedBox,
    min_password: usize,
}

/// GET /app/profile?done=… — my settings; `done` says what was just saved.
pub async fn page(State(app): State<AppState>, person: Person, Query(q): Query<ProfileQuery>) -> Response {
    let w = person.w();
    let said = match q.done.as_deref() {
        Some("lang") => w.lang_saved,
        Some("password") => w.pw_changed,
        Some("face") => w.face_saved,
        Some("feed") => person.t().feed_reset,
        _ => "",
    };
    show(&app, &person, Notice::ok(said).filter(|n| !n.text.is_empty()), StatusCode::OK).await
}

/// POST /app/profile/password `current`, `new`, `repeat` — a wrong current password
/// counts as a failed sign-in; on success every other session ends and this phone gets
/// a new one.
pub async fn change_password(State(app): State<AppState>, p: Posted<PasswordForm>) -> Response {
    let (person, f, w) = (&p.person, p.form, p.person.w());
    let refused = |why: &str, status| show(&app, person, Notice::error(why), status);
    if f.new.chars().count() < MIN_CHOSEN_PASSWORD {
        return refused(w.pw_short, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    if f.new != f.repeat {
        return refused(w.pw_mismatch, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let s = &person.s;
    match app.store.change_password(Surface::App, &s.caller, &s.user, f.current, f.new).await {
        Ok(Ok(token)) => {
            let cookie = set_cookie(&token, secure_cookies(&app));
            ([(header::SET_COOKIE, cookie)], Redirect::to(&done("password"))).into_response()
        }
        Ok(Err(SignInRefused::Invalid)) => refused(w.pw_wrong, StatusCode::UNPROCESSABLE_ENTITY).await,
        Ok(Err(SignInRefused::Locked { .. })) => refused(w.app_locked, StatusCode::TOO_MANY_REQUESTS).await,
        Err(e @ StoreError::Domain(_)) => {
            let (why, status) = super::person::said(person.lang, &e);
            refused(&why, status).await
        }
        Err(e) => person.failed(&e),
    }
}

/// POST /app/profile/face (multipart: `csrf`, `file`) — my face photo, checked as
/// `user/updateFace` checks it, each refusal said in my language.
pub async fn face(State(app): State<AppState>, person: Person, form: Multipart) -> Response {
    let (t, w) = (person.t(), person.w());
    let file = match form::read_upload(form, &person.s).await {
        Ok(upload) => upload.file,
        Err(UploadRefused::Expired) => return person.message(StatusCode::FORBIDDEN, t.expired_title, t.expired_form),
        Err(UploadRefused::TooLarge) => {
            return show(&app, &person, Notice::error(w.face_too_large), StatusCode::PAYLOAD_TOO_LARGE).await;
        }
        Err(UploadRefused::Unreadable(status)) => return person.message(status, t.failed_title, t.bad_form),
    };
    if file.is_empty() {
        return show(&app, &person, Notice::error(w.face_missing), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let image = match face::check(file).await {
        Ok(image) => image,
        Err(refused) => {
            return show(&app, &person, Notice::error(said(w, &refused)), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let caller = &person.s.caller;
    let stored = match app.store.put_blob(caller, image.bytes, image.ext, image.content_type).await {
        Ok(file) => app.store.set_user_face(caller, person.s.user.id.clone(), Some(file)).await,
        Err(e) => Err(e),
    };
    match stored {
        Ok(_) => Redirect::to(&done("face")).into_response(),
        Err(e) => person.failed(&e),
    }
}

/// POST /app/profile/feed — a new address for my calendar feed; the old one stops.
pub async fn reset_feed(State(app): State<AppState>, p: Posted<Empty>) -> Response {
    let person = &p.person;
    let me = FeedOwner::User(person.s.user.id.clone());
    match app.store.calendar_feed(&person.s.caller, me, true).await {
        Ok(_) => Redirect::to(&done("feed")).into_response(),
        Err(e) => person.failed(&e),
    }
}

/// GET /app/profile/photo — a small copy of my face photo (the page stays light: the
/// photo itself is 200 KB or more).
pub async fn photo(State(app): State<AppState>, person: Person) -> Response {
    let Some(file) = person.s.user.face_file.clone() else { return StatusCode::NOT_FOUND.into_response() };
    let company = person.s.caller.company.as_str().to_string();
    let path = match app.store.blob(company, file).await {
        Ok(Some((path, _))) => path,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return person.failed(&e),
    };
    let Ok(bytes) = tokio::fs::read(path).await else { return StatusCode::NOT_FOUND.into_response() };
    match face::decoding(move || thumbnail(&bytes)).await.flatten() {
        Some(jpeg) => {
            let headers = [(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "private, max-age=86400")];
            (headers, jpeg).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The photo at most 240 px a side, as a JPEG.
fn thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let small = image::load_from_memory(bytes).ok()?.thumbnail(240, 240).to_rgb8();
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(small).write_to(&mut out, image::ImageFormat::Jpeg).ok()?;
    Some(out.into_inner())
}

/// Why a photo was refused, in the person's words.
fn said(w: &'static Words, refused: &FaceRefused) -> String {
    match refused {
        FaceRefused::TooSmall => w.face_too_small.into(),
        FaceRefused::TooLarge => w.face_too_large.into(),
        FaceRefused::NotJpegOrPng => w.face_not_image.into(),
        FaceRefused::TooManyPixels { width, height } => w.face_too_wide.replace("{size}", &format!("{width}×{height}")),
        FaceRefused::Broken(_) => w.face_broken.into(),
    }
}

fn done(what: &str) -> String {
    format!("{BASE}{HERE}?done={what}")
}

/// The page with `notice` on it.
async fn show(app: &AppState, person: &Person, notice: Option<Notice>, status: StatusCode) -> Response {
    let (s, w) = (&person.s, person.w());
    let me = FeedOwner::User(s.user.id.clone());
    let secret = match app.store.calendar_feed(&s.caller, me, false).await {
        Ok(secret) => secret,
        Err(e) => return person.failed(&e),
    };
    let page = ProfilePage {
        page: person.page(HERE, w.profile).with_notice(notice),
        w,
        me: person.me(),
        csrf: &s.csrf,
        zh: person.lang == Lang::Zh,
        photo: s.user.face_file.as_ref().map(|f| format!("{BASE}{HERE}/photo?v={f}")),
        feed: FeedBox::new(&app.views, &secret, format!("{BASE}{HERE}/feed"), &s.csrf, String::new()),
        min_password: MIN_CHOSEN_PASSWORD,
    };
    render(status, &page)
}
