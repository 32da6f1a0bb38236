use axum::extract::State;
use roomd_core::meeting::{AttendeeDraft, BookingDraft, CheckedState, MeetingOrder, MeetingPatch, MeetingQuery, Scope};
use roomd_core::recurrence::Recurrence;
use roomd_core::time::{DAY_MS, TimeSpan, day_bounds, parse_date, parse_datetime};
use roomd_core::{AttendanceId, Caller, MeetingId, RoomId, UserId};
use roomd_wire::h5::{
    AttendanceInput, Booked, ErrorCode, Meeting, MeetingBook, MeetingId as MeetingIdBody, MeetingList, MeetingUpdate,
};

use super::optional_id;
use crate::error::{ApiError, ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// Without a time filter, `meeting/list` shows the next 30 days (docs/wire-compat.md).
const DEFAULT_WINDOW_MS: i64 = 30 * DAY_MS;
/// The most time one `meeting/list` covers, by meeting time or by creation time.
const MAX_WINDOW_MS: i64 = 366 * DAY_MS;

/// POST /meeting/api/open/meeting/list — 获取会议列表
pub async fn list(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<MeetingList>,
) -> ApiResult<H5<Vec<Meeting>>> {
    let query = meeting_query(&caller, req, app.now_ms())?;
    let meetings = app.store.list_meetings(&caller, query).await?;
    Ok(H5::ok(meetings.iter().map(|m| app.views.meeting_view(caller.company.as_str(), m)).collect()))
}

/// POST /meeting/api/open/meeting/get — 获取会议详情
pub async fn get(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<MeetingIdBody>,
) -> ApiResult<H5<Meeting>> {
    let id = MeetingId::parse("meetingId", &req.meeting_id.required("meetingId")?)?;
    let meeting = app.store.meeting(&caller, id).await?;
    Ok(H5::ok(app.views.meeting_view(caller.company.as_str(), &meeting)))
}

/// POST /meeting/api/open/meeting/book — 预约会议
/// (with `recurrence`, a series: `series.rs`)
pub async fn book(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(mut req): H5Json<MeetingBook>,
) -> ApiResult<H5<Booked>> {
    if let Some(rule) = req.recurrence.take() {
        let skip = req.skip_conflicts.unwrap_or(false);
        let booked = super::series::book(&app, &caller, draft(req)?, &rule, skip).await?;
        return Ok(H5::ok(Booked::Series(booked)));
    }
    let meeting = app.store.book_meeting(&caller, draft(req)?).await?;
    Ok(H5::ok(Booked::One(app.views.meeting_view(caller.company.as_str(), &meeting))))
}

/// The booking a `meeting/book` (or `meeting/preview`) body asks for.
pub(super) fn draft(req: MeetingBook) -> ApiResult<BookingDraft> {
    Ok(BookingDraft {
        room: RoomId::parse("roomId", &req.room_id.required("roomId")?)?,
        speaker: req.speaker.required("speaker")?,
        subject: req.subject.required("subject")?,
        span: TimeSpan::new(req.begin_time.required("beginTime")?, req.end_time.required("endTime")?)?,
        booker: UserId::parse("createdId", &req.created_id.required("createdId")?)?,
        attendees: attendees(req.attendances.required("attendances")?)?,
        id: optional_id(req.id, MeetingId::parse)?,
        address: req.address,
        checked: checked_state(req.checked_state)?,
        memo: req.memo.unwrap_or_default(),
    })
}

/// POST /meeting/api/open/meeting/update — 修改会议 (attendances, when given, replace the list)
pub async fn update(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(mut req): H5Json<MeetingUpdate>,
) -> ApiResult<H5<Booked>> {
    let id = MeetingId::parse("id", &req.id.required("id")?)?;
    let scope = req.scope.as_deref().map(Scope::parse).transpose()?.unwrap_or_default();
    let rule = req.recurrence.take().map(|r| Recurrence::parse(&r)).transpose()?;
    let skip = req.skip_conflicts.unwrap_or(false);
    let patch = MeetingPatch {
        room: req.room_id.map(|r| RoomId::parse("roomId", &r)).transpose()?,
        speaker: req.speaker,
        subject: req.subject,
        begin_ms: req.begin_time,
        end_ms: req.end_time,
        address: req.address,
        checked: checked_state(req.checked_state)?,
        memo: req.memo,
        attendees: req.attendances.map(attendees).transpose()?,
        reason: req.reason,
    };
    if scope == Scope::This && rule.is_none() {
        let meeting = app.store.update_meeting(&caller, id, patch).await?;
        return Ok(H5::ok(Booked::One(app.views.meeting_view(caller.company.as_str(), &meeting))));
    }
    if rule.is_some() && scope == Scope::This {
        return Err(ApiError::field(ErrorCode::InvalidArguments, "scope", "a new recurrence needs following or all"));
    }
    let changed = app.store.update_in_scope(&caller, id, patch, scope, rule.map(|r| (r, skip))).await?;
    Ok(H5::ok(super::series::changed(&app, &caller, changed)?))
}

/// POST /meeting/api/open/meeting/cancel — 取消会议 (only before it starts)
pub async fn cancel(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<MeetingIdBody>,
) -> ApiResult<H5<()>> {
    let id = MeetingId::parse("meetingId", &req.meeting_id.required("meetingId")?)?;
    let scope = req.scope.as_deref().map(Scope::parse).transpose()?.unwrap_or_default();
    app.store.cancel_in_scope(&caller, id, scope, req.reason.unwrap_or_default()).await?;
    Ok(H5::done())
}

/// POST /meeting/api/open/meeting/finish — 结束会议 (only in progress)
pub async fn finish(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<MeetingIdBody>,
) -> ApiResult<H5<()>> {
    let id = MeetingId::parse("meetingId", &req.meeting_id.required("meetingId")?)?;
    app.store.finish_meeting(&caller, id).await?;
    Ok(H5::done())
}

fn checked_state(raw: Option<i64>) -> ApiResult<Option<CheckedState>> {
    Ok(raw.map(|c| CheckedState::from_code("checkedState", c)).transpose()?)
}

fn attendees(inputs: Vec<AttendanceInput>) -> ApiResult<Vec<AttendeeDraft>> {
    let nonblank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    inputs
        .into_iter()
        .map(|a| {
            Ok(AttendeeDraft {
                id: nonblank(a.id).map(|id| AttendanceId::parse("attendances.id", &id)).transpose()?,
                user: nonblank(a.user_id).map(|id| UserId::parse("attendances.userId", &id)).transpose()?,
                name: a.name,
                phone: a.phone,
                email: a.email,
                face_url: a.face_url,
            })
        })
        .collect()
}

/// The seed's string filters, read in the company's time zone.
fn meeting_query(caller: &Caller, req: MeetingList, now_ms: i64) -> ApiResult<MeetingQuery> {
    let tz = caller.tz;
    let nonblank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let datetime = |field, v: Option<String>| nonblank(v).map(|v| parse_datetime(field, &v, tz)).transpose();
    let mut q = MeetingQuery {
        room: nonblank(req.room_id).map(|r| RoomId::parse("roomId", &r)).transpose()?,
        user: nonblank(req.user_id).map(|u| UserId::parse("userId", &u)).transpose()?,
        speaker: nonblank(req.speaker),
        speaker_like: nonblank(req.speaker_like),
        checked: nonblank(req.checked_state)
            .map(|c| {
                let code = c
                    .trim()
                    .parse()
                    .map_err(|_| ApiError::field(ErrorCode::InvalidArguments, "checkedState", "must be 0, 1 or 2"))?;
                Ok::<_, ApiError>(CheckedState::from_code("checkedState", code)?)
            })
            .transpose()?,
        end_after_ms: datetime("minTime", req.min_time)?,
        begin_before_ms: datetime("maxTime", req.max_time)?,
        created_from_ms: datetime("createdBeginTime", req.created_begin_time)?,
        created_to_ms: datetime("createdEndTime", req.created_end_time)?,
        order: nonblank(req.order_by_expression).map(|o| MeetingOrder::parse(&o)).transpose()?.unwrap_or_default(),
        descending: match nonblank(req.direction).map(|d| d.trim().to_ascii_lowercase()).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(_) => {
                return Err(ApiError::field(ErrorCode::InvalidArguments, "direction", "asc or desc"));
            }
        },
        include_cancelled: req.include_cancelled.unwrap_or(false),
        ..MeetingQuery::default()
    };
    if let Some(date) = nonblank(req.reverse_date) {
        let (start, end) = day_bounds(parse_date("reverseDate", &date)?, tz);
        q.begin_from_ms = Some(start);
        q.begin_before_ms = Some(q.begin_before_ms.map_or(end, |b| b.min(end)));
    }
    let by_meeting_time = q.end_after_ms.is_some() || q.begin_before_ms.is_some();
    if by_meeting_time {
        let from = q.end_after_ms.max(q.begin_from_ms);
        (q.end_after_ms, q.begin_before_ms) = bounded_window("maxTime", from, q.begin_before_ms)?;
    } else if q.created_from_ms.is_some() || q.created_to_ms.is_some() {
        (q.created_from_ms, q.created_to_ms) = bounded_window("createdEndTime", q.created_from_ms, q.created_to_ms)?;
    } else {
        q.end_after_ms = Some(now_ms);
        q.begin_before_ms = Some(now_ms + DEFAULT_WINDOW_MS);
    }
    Ok(q)
}

/// A list's window: both sides given (`reverseDate` gives both), at most 366 days apart;
/// else 71001 on `field`. A side left open would be a window without end, and cutting it
/// short silently would hide meetings.
fn bounded_window(field: &'static str, from: Option<i64>, to: Option<i64>) -> ApiResult<(Option<i64>, Option<i64>)> {
    let refused = |why| Err(ApiError::field(ErrorCode::InvalidArguments, field, why));
    match (from, to) {
        (Some(from), Some(to)) if to - from > MAX_WINDOW_MS => refused("one list covers at most 366 days"),
        (Some(_), Some(_)) => Ok((from, to)),
        _ => refused("give both ends of the time range, at most 366 days apart"),
    }
}
