//! The calendar feeds' public side (docs/wire-compat.md "Calendar feeds"): `GET` and
//! `HEAD` on `/calendar/{secret}.ics`, no token — the secret is the key.
//!
//! A feed is written only when it changed: the store reads a stamp of what the feed
//! shows (a count and the latest change of its meetings, its owner, its window), the
//! `ETag` is that stamp's hash, and the text last written for it is kept here. A
//! matching `If-None-Match` is answered 304 from the stamp alone.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use roomd_core::ical::{CalendarEntry, Feed, Person};
use roomd_store::FeedCalendar;

use crate::state::AppState;

/// Where feeds are served: `{PATH}/{secret}.ics`.
pub const PATH: &str = "/calendar";
/// The text kept for all feeds together, at most; past it the kept ones are let go.
const KEPT_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{PATH}/{{file}}"), get(feed))
}

/// The calendars last written, by secret: their `ETag` and text.
#[derive(Default)]
pub struct Written {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    feeds: HashMap<String, (String, Bytes)>,
    bytes: usize,
}

impl Written {
    fn get(&self, secret: &str, etag: &str) -> Option<Bytes> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.feeds.get(secret).filter(|(tag, _)| tag == etag).map(|(_, text)| text.clone())
    }

    fn keep(&self, secret: &str, etag: String, text: Bytes) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.bytes + text.len() > KEPT_BYTES {
            *kept = Kept::default();
        }
        kept.bytes += text.len();
        if let Some((_, old)) = kept.feeds.insert(secret.to_string(), (etag, text)) {
            kept.bytes -= old.len();
        }
    }
}

/// GET|HEAD /calendar/{secret}.ics
async fn feed(State(app): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(secret) = file.strip_suffix(".ics").filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric())) else {
        return not_found();
    };
    let stamp = match app.store.feed_stamp(secret.to_string()).await {
        Ok(Some(stamp)) => stamp,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(e),
    };
    let etag = etag_of(&stamp);
    if matches(&headers, &etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    if let Some(text) = app.written.get(secret, &etag) {
        return calendar(etag, text);
    }
    let feed = match app.store.feed_calendar(secret.to_string()).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(e),
    };
    let etag = etag_of(&feed.stamp);
    let text = Bytes::from(write(&feed));
    app.written.keep(secret, etag.clone(), text.clone());
    calendar(etag, text)
}

/// The feed's iCalendar text.
fn write(feed: &FeedCalendar) -> String {
    let entries = feed
        .meetings
        .iter()
        .map(|m| CalendarEntry {
            meeting: m,
            room_name: feed.rooms.get(&m.room).map_or("", String::as_str),
            organizer: feed
                .bookers
                .get(&m.booker)
                .filter(|(_, email)| !email.is_empty())
                .map(|(name, email)| Person { name, email }),
        })
        .collect();
    Feed { name: &feed.name, from_ms: feed.window.0, to_ms: feed.window.1, entries }.write()
}

/// A strong `ETag` for a stamp, and for this roomd (another version may write the same
/// meetings otherwise).
fn etag_of(stamp: &str) -> String {
    let hash = roomd_core::secret::sha256_hex(&format!("{}|{stamp}", env!("CARGO_PKG_VERSION")));
    format!("\"{}\"", &hash[..32])
}

/// `If-None-Match` names `etag`, or is `*` (RFC 9110 §13.1.2: weak comparison).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag))
}

fn calendar(etag: String, text: Bytes) -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
        // Calendars may keep it, but ask again each time (with the ETag).
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (StatusCode::OK, headers, [(header::ETAG, etag)], text).into_response()
}

fn not_found() -> Response {
    let text = "No calendar here: the address was reset, or never existed.\n";
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

fn unavailable(e: roomd_store::StoreError) -> Response {
    tracing::warn!(error = %e, "calendar feed unavailable");
    let text = "The calendar cannot be read right now; try again later.\n";
    (StatusCode::SERVICE_UNAVAILABLE, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
