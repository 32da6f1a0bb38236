//! The approval queue: every pending meeting ahead (90 days), to approve or reject.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::meeting::{CheckedState, MeetingQuery};
use roomd_core::time::local_date;
use serde::Deserialize;

use super::calendar::{Action, MeetingLine};
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
    pending: Vec<Item>,
}

/// A meeting waiting, or a series: its first occurrence waiting (with the buttons for
/// the whole series) and the others, each with its own.
struct Item {
    date: String,
    line: MeetingLine,
    more: Vec<(String, MeetingLine)>,
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
    let t = a.t();
    let date =
        |m: &roomd_core::meeting::Meeting| local_date(m.span.begin_ms(), m.time_zone).format("%Y-%m-%d").to_string();
    let mut items: Vec<Item> = Vec::new();
    for m in &pending {
        let line = MeetingLine::new(m, t, now, None);
        match items.iter_mut().find(|i| !m.series_id.is_empty() && i.line.meeting.series_id == m.series_id) {
            Some(item) => item.more.push((date(m), line)),
            None => items.push(Item { date: date(m), line, more: Vec::new() }),
        }
    }
    for item in items.iter_mut().filter(|i| !i.more.is_empty()) {
        item.line.actions.insert(0, Action { path: "reject", scope: "all", label: t.reject_series, class: "danger" });
        item.line.actions.insert(0, Action { path: "approve", scope: "all", label: t.approve_series, class: "" });
    }
    let pending = items;
    let page = ApprovalsPage { page: a.page(HERE, a.t().approvals).with_notice(notice), pending };
    Ok(render(status, &page))
}
