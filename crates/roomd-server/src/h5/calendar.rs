//! `calendar/feed/*` (extension, docs/wire-compat.md "Calendar feeds"): the secret
//! address of a room's or a person's calendar, and a new one when it leaked.

use axum::extract::State;
use roomd_core::ical::FeedOwner;
use roomd_core::{DomainError, RoomId, UserId};
use roomd_wire::h5 as wire;

use crate::error::{ApiResult, H5};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// POST /meeting/api/open/calendar/feed/get `{roomId}` or `{userId}` — the feed's
/// address, made on the first ask and the same afterwards.
pub async fn get(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::FeedOwner>,
) -> ApiResult<H5<wire::Feed>> {
    let secret = app.store.calendar_feed(&caller, owner(req)?, false).await?;
    Ok(H5::ok(app.views.feed_view(&secret)))
}

/// POST /meeting/api/open/calendar/feed/reset `{roomId}` or `{userId}` — a new address;
/// the old one answers 404 from now on.
pub async fn reset(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<wire::FeedOwner>,
) -> ApiResult<H5<wire::Feed>> {
    let secret = app.store.calendar_feed(&caller, owner(req)?, true).await?;
    Ok(H5::ok(app.views.feed_view(&secret)))
}

/// Exactly one of `roomId` and `userId` (a blank one counts as none).
fn owner(req: wire::FeedOwner) -> ApiResult<FeedOwner> {
    let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    match (given(req.room_id), given(req.user_id)) {
        (Some(room), None) => Ok(FeedOwner::Room(RoomId::parse("roomId", &room)?)),
        (None, Some(user)) => Ok(FeedOwner::User(UserId::parse("userId", &user)?)),
        (Some(_), Some(_)) => Err(DomainError::invalid("roomId", "give roomId or userId, not both").into()),
        (None, None) => Err(DomainError::invalid("roomId", "give roomId or userId").into()),
    }
}
