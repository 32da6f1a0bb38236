//! The board API's handlers. Each call after `activate` carries the device token; the
//! board acts for its company, inside its code's scope, on the room it is bound to.

use axum::extract::{Multipart, State};
use roomd_core::board::{Device, device_name, normalize_code};
use roomd_core::meeting::{AttendeeDraft, BookingDraft, Meeting, SignTarget, SignType};
use roomd_core::scope::{CodeKind, Scope};
use roomd_core::time::MINUTE_MS;
use roomd_core::{AttendanceId, Caller, MeetingId, RoomId, UserId};
use roomd_wire::board::{self as wire, BoardCode};

use super::envelope::{Board, BoardError, BoardResult, Ok};
use crate::extract::PeerIp;
use crate::feishu::FeishuJson;
use crate::state::AppState;

/// POST /board/api/activate `{access_code, device_name}` → the device token (once).
pub async fn activate(
    State(app): State<AppState>,
    PeerIp(ip): PeerIp,
    FeishuJson(req): FeishuJson<wire::Activate>,
) -> BoardResult<wire::Activated> {
    if !app.limits.activate_board(ip) {
        return Err(BoardError::new(BoardCode::TooManyAttempts));
    }
    let req = body(req)?;
    let code = normalize_code(&req.access_code.unwrap_or_default());
    if code.is_empty() {
        return Err(BoardError::field("access_code", "required"));
    }
    let name = device_name(&req.device_name.unwrap_or_default())?;
    let (device, token) = app.store.activate_device(code, name).await?;
    Result::Ok(Ok(wire::Activated { device_token: token, device: device_view(&device) }))
}

/// GET /board/api/device — this board: its scope and bound room.
pub async fn device(Board(_, device): Board) -> BoardResult<wire::Device> {
    Result::Ok(Ok(device_view(&device)))
}

/// GET /board/api/rooms — the rooms in this board's scope.
pub async fn rooms(State(app): State<AppState>, Board(caller, device): Board) -> BoardResult<Vec<wire::Room>> {
    let rooms = app.store.rooms_in_scope(&caller, device.scope.clone()).await?;
    Result::Ok(Ok(rooms.iter().map(room_view).collect()))
}

/// POST /board/api/bind `{room_id}` — shows this room from now on.
pub async fn bind(
    State(app): State<AppState>,
    Board(caller, device): Board,
    FeishuJson(req): FeishuJson<wire::Bind>,
) -> BoardResult<wire::Device> {
    let req = body(req)?;
    let room = RoomId::parse("room_id", &required("room_id", req.room_id)?)?;
    let device = app.store.bind_device(&caller, &device, room).await?;
    Result::Ok(Ok(device_view(&device)))
}

/// GET /board/api/schedule — the bound room today: free or busy, current and next.
pub async fn schedule(State(app): State<AppState>, Board(caller, device): Board) -> BoardResult<wire::Schedule> {
    let room_id = bound(&device)?;
    let now = app.now_ms();
    let (room, day) = app.store.room_day(&caller, room_id.clone(), None).await?;
    let current = day.current(now);
    let config = app.store.room_config(&caller, Scope::Room(room_id)).await?;
    Result::Ok(Ok(wire::Schedule {
        room: room_view(&room),
        now,
        free: current.is_none(),
        current: current.map(|m| meeting_view(m, now)),
        next: day.next(now).map(|m| meeting_view(m, now)),
        meetings: day.meetings.iter().map(|m| meeting_view(m, now)).collect(),
        display_background: config.display_background.unwrap_or_default(),
        time_zone: room.time_zone.name().to_string(),
        room_status: config.room_status.and_then(|s| serde_json::from_str(&s).ok()),
    }))
}

/// POST /board/api/book_now `{minutes, account, subject?}` — the room from now on, if free.
pub async fn book_now(
    State(app): State<AppState>,
    Board(caller, device): Board,
    FeishuJson(req): FeishuJson<wire::BookNow>,
) -> BoardResult<wire::Meeting> {
    let req = body(req)?;
    let room = bound(&device)?;
    let minutes = req.minutes.ok_or(BoardError::field("minutes", "required"))?;
    let account = req.account.filter(|a| !a.trim().is_empty()).ok_or(BoardError::field("account", "required"))?;
    let user = app.store.user_by_account(&caller, account.trim().to_string()).await?;
    let user = user.ok_or(BoardError::field("account", "no such user"))?;
    let config = app.store.room_config(&caller, Scope::Room(room.clone())).await?;
    if !takes_bookings(config.room_status.as_deref()) {
        return Err(BoardError::new(BoardCode::RoomOccupied));
    }
    let now = app.now_ms();
    let (_, day) = app.store.room_day(&caller, room.clone(), None).await?;
    let span = day.walk_in(now, minutes)?;
    let draft = BookingDraft {
        id: None,
        room,
        speaker: user.name.clone(),
        subject: req.subject.filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "临时会议 Ad-hoc meeting".into()),
        span,
        booker: user.id.clone(),
        address: None,
        checked: None,
        memo: format!("booked at the board {}", device.name),
        attendees: vec![AttendeeDraft { user: Some(user.id.clone()), ..AttendeeDraft::default() }],
    };
    let meeting = app.store.book_meeting(&caller, draft).await?;
    Result::Ok(Ok(meeting_view(&meeting, app.now_ms())))
}

/// Whether a room's configured status (`room_status`, a JSON object set through the
/// Feishu VC API) lets it be booked: not when its `status` is `false`.
fn takes_bookings(room_status: Option<&str>) -> bool {
    let status = room_status.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    !status.is_some_and(|s| s.get("status") == Some(&serde_json::Value::Bool(false)))
}

/// POST /board/api/end `{meeting_id}` — ends the bound room's current meeting now.
pub async fn end(
    State(app): State<AppState>,
    Board(caller, device): Board,
    FeishuJson(req): FeishuJson<wire::MeetingRef>,
) -> BoardResult<wire::Meeting> {
    let req = body(req)?;
    let id = own_meeting(&app, &caller, &device, req.meeting_id).await?;
    let meeting = app.store.finish_meeting(&caller, id).await?;
    Result::Ok(Ok(meeting_view(&meeting, app.now_ms())))
}

/// POST /board/api/check_in `{meeting_id, sign_type: 1, user_id | attendance_id}` — face
/// check-in: the board matched the face itself and reports who it is.
pub async fn check_in(
    State(app): State<AppState>,
    Board(caller, device): Board,
    FeishuJson(req): FeishuJson<wire::CheckIn>,
) -> BoardResult<wire::Meeting> {
    let req = body(req)?;
    let id = own_meeting(&app, &caller, &device, req.meeting_id).await?;
    let kind = match req.sign_type {
        Some(1) => SignType::Face,
        Some(4) => {
            let user = UserId::parse("user_id", &required("user_id", req.user_id)?)?;
            let code = required("code", req.code)?;
            let meeting = app.store.check_in_by_sms(&caller, id, user, code).await?;
            return Result::Ok(Ok(meeting_view(&meeting, app.now_ms())));
        }
        Some(3) => {
            return Err(BoardError::field("sign_type", "photo check-in is multipart, at /board/api/check_in/photo"));
        }
        Some(_) => return Err(BoardError::field("sign_type", "1 (face) or 4 (SMS) here")),
        None => return Err(BoardError::field("sign_type", "required")),
    };
    let target = target(req.user_id, req.attendance_id)?;
    let meeting = app.store.sign_in_meeting(&caller, id, target, kind, String::new()).await?;
    Result::Ok(Ok(meeting_view(&meeting, app.now_ms())))
}

/// POST /board/api/sms `{meeting_id, user_id}` — texts the attendee a one-time code to
/// type on the board (`check_in` with `sign_type` 4).
pub async fn send_code(
    State(app): State<AppState>,
    Board(caller, device): Board,
    FeishuJson(req): FeishuJson<wire::SendCode>,
) -> BoardResult<wire::CodeSent> {
    let req = body(req)?;
    let id = own_meeting(&app, &caller, &device, req.meeting_id).await?;
    let user = UserId::parse("user_id", &required("user_id", req.user_id)?)?;
    let code = app.store.issue_sms_code(&caller, id, user).await?;
    let text = format!("[roomd] 签到验证码 check-in code: {} (5 min)", code.code);
    app.sms.send(&code.phone, &text).await.map_err(|e| {
        tracing::warn!(error = %e, "sending a check-in code");
        BoardError::new(BoardCode::Internal)
    })?;
    Result::Ok(Ok(wire::CodeSent { phone: crate::sms::masked(&code.phone), expires_at: code.expires_ms }))
}

/// POST /board/api/check_in/photo (multipart: `meeting_id`, `user_id` or `attendance_id`,
/// `photo`) — photo check-in: the photo is kept and served as `signImgUrl`.
pub async fn check_in_photo(
    State(app): State<AppState>,
    Board(caller, device): Board,
    mut form: Multipart,
) -> BoardResult<wire::Meeting> {
    let (mut meeting, mut user, mut attendance, mut photo) = (None, None, None, None);
    while let Some(field) = form.next_field().await.map_err(|e| BoardError::field("body", e.body_text()))? {
        let name = field.name().unwrap_or_default().to_string();
        let text = |e: axum::extract::multipart::MultipartError| BoardError::field(name.clone(), e.body_text());
        match name.as_str() {
            "meeting_id" => meeting = Some(field.text().await.map_err(text)?),
            "user_id" => user = Some(field.text().await.map_err(text)?),
            "attendance_id" => attendance = Some(field.text().await.map_err(text)?),
            "photo" => photo = Some(field.bytes().await.map_err(text)?),
            _ => {}
        }
    }
    let id = own_meeting(&app, &caller, &device, meeting).await?;
    let target = target(user, attendance)?;
    let photo = photo.ok_or(BoardError::field("photo", "required"))?;
    let image = crate::face::validate(photo.to_vec()).await.map_err(|e| {
        BoardError::field("photo", e.fields.into_values().next().unwrap_or_else(|| "invalid image".into()))
    })?;
    let file = app.store.put_blob(&caller, image.bytes, image.ext, image.content_type).await?;
    let url = app.views.resource_url(caller.company.as_str(), &file);
    let meeting = app.store.sign_in_meeting(&caller, id, target, SignType::Photo, url).await?;
    Result::Ok(Ok(meeting_view(&meeting, app.now_ms())))
}

/// GET /board/api/qr — this minute's check-in code: the page a phone opens, its image,
/// and when to fetch the next one.
pub async fn qr(State(app): State<AppState>, Board(_, device): Board) -> BoardResult<wire::CheckInCode> {
    bound(&device)?;
    let now = app.now_ms();
    let token = roomd_core::board::checkin_token(&device.id, &device.qr_secret, now);
    let (url, png) = super::checkin::links(&app, &token);
    Result::Ok(Ok(wire::CheckInCode { url, png, refresh_at: (now / MINUTE_MS + 1) * MINUTE_MS }))
}

/// The parsed body, or 130005 naming what is wrong with it.
fn body<T>(parsed: Result<T, roomd_wire::feishu::FieldViolation>) -> Result<T, BoardError> {
    parsed.map_err(|v| BoardError::field(v.field, v.description))
}

/// A meeting for the board: no phones, emails or faces.
fn meeting_view(m: &Meeting, now: i64) -> wire::Meeting {
    wire::Meeting {
        id: m.id.to_string(),
        subject: m.subject.clone(),
        speaker: m.speaker.clone(),
        begin_time: m.span.begin_ms(),
        end_time: m.span.end_ms(),
        status: m.status(now) as i64,
        checked_state: m.checked.code(),
        attendances: m
            .attendances
            .iter()
            .map(|a| wire::Attendance {
                id: a.id.to_string(),
                user_id: a.user.as_ref().map(ToString::to_string).unwrap_or_default(),
                name: a.name.clone(),
                is_signed: i64::from(a.sign_in.is_some()),
                sign_type: a.sign_in.as_ref().map_or(0, |s| s.kind as i64),
                sign_time: a.sign_in.as_ref().map_or(0, |s| s.at_ms),
            })
            .collect(),
    }
}

fn bound(device: &Device) -> Result<RoomId, BoardError> {
    device.room.clone().ok_or(BoardError::new(BoardCode::NotBound))
}

/// The meeting named, which must be in the board's room.
async fn own_meeting(
    app: &AppState,
    caller: &Caller,
    device: &Device,
    id: Option<String>,
) -> Result<MeetingId, BoardError> {
    let room = bound(device)?;
    let id = MeetingId::parse("meeting_id", &required("meeting_id", id)?)?;
    let meeting = app.store.meeting(caller, id.clone()).await?;
    if meeting.room != room {
        return Err(BoardError::new(BoardCode::RoomOutOfScope));
    }
    Result::Ok(id)
}

fn target(user: Option<String>, attendance: Option<String>) -> Result<SignTarget, BoardError> {
    match (user.filter(|u| !u.trim().is_empty()), attendance.filter(|a| !a.trim().is_empty())) {
        (Some(u), _) => Result::Ok(SignTarget::User(UserId::parse("user_id", &u)?)),
        (None, Some(a)) => Result::Ok(SignTarget::Attendance(AttendanceId::parse("attendance_id", &a)?)),
        (None, None) => Err(BoardError::field("user_id", "user_id or attendance_id is required")),
    }
}

/// A field the request must carry, not blank.
fn required(field: &'static str, value: Option<String>) -> Result<String, BoardError> {
    value.filter(|v| !v.trim().is_empty()).ok_or(BoardError::field(field, "required"))
}

fn device_view(d: &Device) -> wire::Device {
    let mut scope = wire::Scope {
        scope: d.scope.level() as i64,
        country_id: None,
        district_id: None,
        building_id: None,
        floor_name: None,
        room_id: None,
    };
    match &d.scope {
        Scope::Tenant => {}
        Scope::Country(c) => scope.country_id = Some(c.to_string()),
        Scope::District(c, di) => (scope.country_id, scope.district_id) = (Some(c.to_string()), Some(di.to_string())),
        Scope::Building(b) => scope.building_id = Some(b.to_string()),
        Scope::Floor(b, f) => (scope.building_id, scope.floor_name) = (Some(b.to_string()), Some(f.clone())),
        Scope::Room(r) => scope.room_id = Some(r.to_string()),
    }
    wire::Device {
        id: d.id.clone(),
        name: d.name.clone(),
        kind: if d.kind == CodeKind::Room { 2 } else { 1 },
        scope,
        room_id: d.room.as_ref().map(ToString::to_string).unwrap_or_default(),
        created_at: d.created_ms,
    }
}

fn room_view(r: &roomd_core::room::Room) -> wire::Room {
    wire::Room {
        id: r.id.to_string(),
        name: r.name.clone(),
        building_id: r.building.clone().unwrap_or_default(),
        floor_name: r.floor.clone(),
        capacity: r.capacity,
        status: i64::from(r.enabled),
    }
}
