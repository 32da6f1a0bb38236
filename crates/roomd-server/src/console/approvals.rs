//! The approval queue: every pending meeting ahead (90 days), to approve or reject.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::meeting::{CheckedState, MeetingQuery};
use roomd_core::time::local_date;
use serde::Deserialize;

use super::calendar::MeetingLine;
use super::page::{Admin, Done, OrPage, Section};
use crate::state::AppState;
use crate::web::{Notice, Page, render};

const HERE: Section = Section::Approvals;
const AHEAD_MS: i64 = 90 * 86_400_000;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    done: Option<Done>,
}

#[derive(Template)]
#[template(path = "console/approvals.html")]
struct ApprovalsPage<'a> {
    page: Page<'a>,
    /// Each meeting with its local date.
    pending: Vec<(String, MeetingLine)>,
}

/// GET /meeting/manage/approvals — every pending meeting ahead.
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    let notice = q.done.and_then(|d| d.notice(a.t()));
    show(&app, &a, notice, StatusCode::OK).await
}

pub(super) async fn show(
    app: &AppState,
    a: &Admin,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, Response> {
    let now = app.now_ms();
    let filter = MeetingQuery {
        checked: Some(CheckedState::Pending),
        end_after_ms: Some(now),
        begin_before_ms: Some(now + AHEAD_MS),
        ..MeetingQuery::default()
    };
    let pending = app.store.list_meetings(&a.s.caller, filter).await.or_page(a, HERE)?;
    let pending = pending
        .iter()
        .map(|m| {
            let date = local_date(m.span.begin_ms(), m.time_zone).format("%Y-%m-%d").to_string();
            (date, MeetingLine::new(m, a.t(), now, None))
        })
        .collect();
    let page = ApprovalsPage { page: a.page(HERE, a.t().approvals).with_notice(notice), pending };
    Ok(render(status, &page))
}
