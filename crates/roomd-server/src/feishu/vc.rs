//! VC room configuration (`feishu-vc-set-checkboard-access-code.md` and its siblings):
//! deployment codes for check-in boards and room devices, and room configurations set
//! on a node of the place tree and inherited below it.

use axum::extract::{Query, State};
use roomd_core::scope::{CodeKind, RoomConfig, Scope, ScopeInput, valid_days};
use roomd_wire::feishu::FeishuCode;
use roomd_wire::feishu::vc::{self as wire, AccessCodeData, ConfigQuery, SetAccessCode, SetRoomConfig};
use serde_json::Value;

use super::envelope::{Feishu, FeishuError, FeishuJson, Tenant};
use crate::state::AppState;

const PARAM: FeishuCode = FeishuCode::VcParamError;

/// POST /open-apis/vc/v1/room_configs/set_checkboard_access_code — 创建签到板部署码
pub async fn set_checkboard_access_code(
    State(app): State<AppState>,
    Tenant(caller): Tenant,
    FeishuJson(body): FeishuJson<SetAccessCode>,
) -> Result<Feishu<AccessCodeData>, FeishuError> {
    access_code(app, caller, CodeKind::Checkboard, body).await
}

/// POST /open-apis/vc/v1/room_configs/set_room_access_code — 创建会议室部署码
pub async fn set_room_access_code(
    State(app): State<AppState>,
    Tenant(caller): Tenant,
    FeishuJson(body): FeishuJson<SetAccessCode>,
) -> Result<Feishu<AccessCodeData>, FeishuError> {
    access_code(app, caller, CodeKind::Room, body).await
}

async fn access_code(
    app: AppState,
    caller: roomd_core::Caller,
    kind: CodeKind,
    body: Result<SetAccessCode, roomd_wire::feishu::FieldViolation>,
) -> Result<Feishu<AccessCodeData>, FeishuError> {
    let body = body.map_err(|v| FeishuError::field(PARAM, v.field, v.description))?;
    let scope =
        scope_of(body.scope, [body.country_id, body.district_id, body.building_id, body.floor_name, body.room_id])?;
    let days = valid_days(body.valid_day).map_err(|v| FeishuError::field(PARAM, v.field, v.description))?;
    let code = app.store.create_access_code(&caller, kind, scope, days).await.map_err(FeishuError::vc)?;
    Ok(Feishu(AccessCodeData { access_code: code.code }))
}

/// GET /open-apis/vc/v1/room_configs/query — 查询会议室配置 (what is in force at the node)
pub async fn query(
    State(app): State<AppState>,
    Tenant(caller): Tenant,
    Query(q): Query<ConfigQuery>,
) -> Result<Feishu<wire::RoomConfig>, FeishuError> {
    let level = match q.scope.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<i64>().map_err(|_| FeishuError::field(PARAM, "scope", "an integer 1 to 6"))?),
    };
    let scope = scope_of(level, [q.country_id, q.district_id, q.building_id, q.floor_name, q.room_id])?;
    let config = app.store.room_config(&caller, scope).await.map_err(FeishuError::vc)?;
    Ok(Feishu(config_view(config)))
}

/// The largest configuration object, and background URL, a node keeps.
const MAX_OBJECT: usize = 16 * 1024;
const MAX_URL: usize = 1024;

/// POST /open-apis/vc/v1/room_configs/set — 设置会议室配置 (on the node itself)
pub async fn set(
    State(app): State<AppState>,
    Tenant(caller): Tenant,
    FeishuJson(body): FeishuJson<SetRoomConfig>,
) -> Result<Feishu<Value>, FeishuError> {
    let body = body.map_err(|v| FeishuError::field(PARAM, v.field, v.description))?;
    let scope =
        scope_of(body.scope, [body.country_id, body.district_id, body.building_id, body.floor_name, body.room_id])?;
    let config = body.room_config.ok_or_else(|| FeishuError::field(PARAM, "room_config", "required"))?;
    // Boards read these at every poll: bounded, so no one can make every board's poll heavy.
    let object = |v: Option<Value>, field: &str| match v.map(|v| (v.is_object(), v.to_string())) {
        None => Ok(None),
        Some((true, text)) if text.len() <= MAX_OBJECT => Ok(Some(text)),
        Some((true, _)) => Err(FeishuError::field(PARAM, format!("room_config.{field}"), "at most 16 KiB")),
        Some((false, _)) => Err(FeishuError::field(PARAM, format!("room_config.{field}"), "must be an object")),
    };
    let url = |v: Option<String>, field: &str| match v {
        Some(v) if v.chars().count() > MAX_URL => {
            Err(FeishuError::field(PARAM, format!("room_config.{field}"), "at most 1024 characters"))
        }
        v => Ok(v),
    };
    let patch = RoomConfig {
        room_background: url(config.room_background, "room_background")?,
        display_background: url(config.display_background, "display_background")?,
        room_box_digital_signage: object(config.room_box_digital_signage, "room_box_digital_signage")?,
        digital_signage: object(config.digital_signage, "digital_signage")?,
        room_status: object(config.room_status, "room_status")?,
    };
    app.store.set_room_config(&caller, scope, patch).await.map_err(FeishuError::vc)?;
    Ok(Feishu(Value::Object(Default::default())))
}

/// The scope a request names: `scope` and, in the seed's order, `country_id`,
/// `district_id`, `building_id`, `floor_name`, `room_id`.
fn scope_of(scope: Option<i64>, fields: [Option<String>; 5]) -> Result<Scope, FeishuError> {
    let [country_id, district_id, building_id, floor_name, room_id] = fields;
    let input = ScopeInput { scope, country_id, district_id, building_id, floor_name, room_id };
    Scope::from_input(&input).map_err(|v| FeishuError::field(PARAM, v.field, v.description))
}

/// The configuration in force, the stored JSON objects parsed back.
pub fn config_view(c: RoomConfig) -> wire::RoomConfig {
    let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
    wire::RoomConfig {
        room_background: c.room_background,
        display_background: c.display_background,
        digital_signage: parse(c.digital_signage),
        room_box_digital_signage: parse(c.room_box_digital_signage),
        room_status: parse(c.room_status),
    }
}
