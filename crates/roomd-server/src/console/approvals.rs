//! The approval queue: every pending meeting ahead (90 days), to approve or reject.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::meeting::{CheckedState, MeetingQuery};
use roomd_core::onboarding::Lang;
use roomd_core::time::local_date;
use roomd_store::ConsoleSession;

use super::Admin;
use super::meetings::{meeting_line, words};
use super::page::{frame, html};
use crate::onboarding::page_lang;
use crate::state::AppState;

/// GET /meeting/manage/approvals — every pending meeting ahead.
pub async fn approvals(State(app): State<AppState>, Admin(s): Admin, headers: HeaderMap) -> Response {
    approvals_page(&app, &s, page_lang(None, &headers), String::new(), StatusCode::OK).await
}

pub(super) async fn approvals_page(
    app: &AppState,
    s: &ConsoleSession,
    lang: Lang,
    message: String,
    status: StatusCode,
) -> Response {
    let w = words(lang);
    let now = app.now_ms();
    let filter = MeetingQuery {
        checked: Some(CheckedState::Pending),
        end_after_ms: Some(now),
        begin_before_ms: Some(now + 90 * 86_400_000),
        ..MeetingQuery::default()
    };
    let Ok(pending) = app.store.list_meetings(&s.caller, filter).await else { return super::page::error_page() };
    let lines: String = if pending.is_empty() {
        format!("<p>{}</p>", w.none)
    } else {
        pending
            .iter()
            .map(|m| {
                let date = local_date(m.span.begin_ms(), s.caller.tz).format("%Y-%m-%d").to_string();
                format!("<p>{date}</p>{}", meeting_line(m, s, w, now, None))
            })
            .collect()
    };
    html(status, frame(lang, w.approvals, Some(s), &format!("{message}<section>{lines}</section>")))
}
