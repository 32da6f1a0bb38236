//! Check-in boards: activation with a deployment code, the device token, binding to a
//! room in the code's scope, and the admins' list and revocation. Check-in itself is
//! `sign_in_meeting` in `meetings.rs`.

use chrono_tz::Tz;
use roomd_core::board::Device;
use roomd_core::room::Room;
use roomd_core::scope::{CodeKind, Scope, ScopeInput};
use roomd_core::secret::{alphanumeric, sha256_hex};
use roomd_core::{Actor, BuildingId, Caller, CompanyId, DomainError, RoomId};

use crate::db::work;
use crate::rows::{int, opt_text, text};
use crate::sql::{Conn, Row, query};
use crate::{Store, StoreError, StoreResult};

const DEVICE_COLUMNS: &str = "id, name, kind, scope, country_id, district_id, building_id, floor_name, room_id, \
                              bound_room_id, created_ms, last_seen_ms, qr_secret";
/// A device token: `b-` and 40 random letters and digits.
const TOKEN_PREFIX: &str = "b-";

impl Store {
    /// Activates a board with a live code: a new device holding the code's scope, and
    /// its token (shown once; only its hash is kept).
    pub async fn activate_device(&self, code: String, name: String) -> StoreResult<(Device, String)> {
        let now = self.now_ms();
        self.write(work!(|conn| {
            let row = query(
                "SELECT company_id, kind, scope, country_id, district_id, building_id, floor_name, room_id \
                 FROM access_codes WHERE code = $1 AND expires_ms > $2",
            )
            .bind(code.as_str())
            .bind(now)
            .fetch_optional(conn)
            .await?
            .ok_or(DomainError::AccessCodeInvalid)?;
            let company = text(&row, "company_id")?;
            let token = format!("{TOKEN_PREFIX}{}", alphanumeric(40));
            let id = roomd_core::ids::DeviceId::generate().into_string();
            query(
                "INSERT INTO devices (company_id, id, name, token_hash, access_code, kind, scope, country_id, \
                 district_id, building_id, floor_name, room_id, bound_room_id, created_ms, last_seen_ms, qr_secret) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13, $14)",
            )
            .bind(company.as_str())
            .bind(id.as_str())
            .bind(name.as_str())
            .bind(sha256_hex(&token))
            .bind(code.as_str())
            .bind(int(&row, "kind")?)
            .bind(int(&row, "scope")?)
            .bind(opt_text(&row, "country_id")?)
            .bind(opt_text(&row, "district_id")?)
            .bind(opt_text(&row, "building_id")?)
            .bind(opt_text(&row, "floor_name")?)
            .bind(opt_text(&row, "room_id")?)
            .bind(now)
            .bind(alphanumeric(32))
            .execute(conn)
            .await?;
            // A room-scoped code binds the board at once.
            Ok((load_device(conn, &company, &id).await?, token))
        }))
        .await
    }

    /// The caller (`Actor::Board`) and device behind a device token.
    pub async fn authenticate_device(&self, token: String) -> StoreResult<(Caller, Device)> {
        self.find_device("d.token_hash = $1", sha256_hex(&token)).await
    }

    /// The board a check-in QR code names (by device id), with its company as caller.
    pub async fn device_by_id(&self, id: String) -> StoreResult<(Caller, Device)> {
        self.find_device("d.id = $1", id).await
    }

    async fn find_device(&self, condition: &'static str, value: String) -> StoreResult<(Caller, Device)> {
        self.read(work!(|conn| {
            let sql = format!(
                "SELECT d.company_id, c.time_zone, {} FROM devices d JOIN companies c ON c.id = d.company_id \
                 WHERE {condition} AND d.revoked_ms IS NULL",
                crate::rows::qualified(DEVICE_COLUMNS, "d")
            );
            let row = query(sql).bind(value).fetch_optional(conn).await?;
            let row = row.ok_or(DomainError::DeviceNotExist)?;
            let device = device_from_row(&row)?;
            let tz: Tz = text(&row, "time_zone")?.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            let caller = Caller {
                company: CompanyId::from_stored(text(&row, "company_id")?),
                tz,
                actor: Actor::Board(device.id.clone()),
            };
            Ok((caller, device))
        }))
        .await
    }

    /// The live rooms inside `scope`, by name.
    pub async fn rooms_in_scope(&self, caller: &Caller, scope: Scope) -> StoreResult<Vec<Room>> {
        let mut rooms = self.list_rooms(caller).await?;
        let buildings = self.buildings(caller).await?;
        rooms.retain(|room| {
            let building = room.building.as_ref().and_then(|b| buildings.iter().find(|x| x.id.as_str() == b));
            placement_of(room, building).chain().contains(&scope)
        });
        rooms.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        Ok(rooms)
    }

    /// Binds the device to `room`, which must lie in its scope.
    pub async fn bind_device(&self, caller: &Caller, device: &Device, room: RoomId) -> StoreResult<Device> {
        let in_scope = self.rooms_in_scope(caller, device.scope.clone()).await?.iter().any(|r| r.id == room);
        if !in_scope {
            return Err(DomainError::RoomOutOfScope.into());
        }
        let (company, id, now) = (caller.company.as_str().to_string(), device.id.clone(), self.now_ms());
        self.write(work!(|conn| {
            query("UPDATE devices SET bound_room_id = $3, last_seen_ms = $4 WHERE company_id = $1 AND id = $2")
                .bind(company.as_str())
                .bind(id.as_str())
                .bind(room.as_str())
                .bind(now)
                .execute(conn)
                .await?;
            load_device(conn, &company, &id).await
        }))
        .await
    }

    /// The company's active boards, newest first.
    pub async fn devices(&self, caller: &Caller) -> StoreResult<Vec<Device>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let sql = format!(
                "SELECT {DEVICE_COLUMNS} FROM devices WHERE company_id = $1 AND revoked_ms IS NULL \
                 ORDER BY created_ms DESC, id DESC"
            );
            let rows = query(sql).bind(company).fetch_all(conn).await?;
            rows.iter().map(device_from_row).collect()
        }))
        .await
    }

    /// Revokes a board: its token stops working at once.
    pub async fn revoke_device(&self, caller: &Caller, id: String) -> StoreResult<()> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            let changed =
                query("UPDATE devices SET revoked_ms = $3 WHERE company_id = $1 AND id = $2 AND revoked_ms IS NULL")
                    .bind(company)
                    .bind(id)
                    .bind(now)
                    .execute(conn)
                    .await?;
            if changed == 0 { Err(DomainError::DeviceNotExist.into()) } else { Ok(()) }
        }))
        .await
    }
}

/// Where a room sits in the place tree.
fn placement_of(room: &Room, building: Option<&roomd_core::place::Building>) -> roomd_core::scope::Placement {
    roomd_core::scope::Placement {
        country: building.and_then(|b| b.country.clone()),
        district: building.and_then(|b| b.district.clone()),
        building: room.building.clone().map(BuildingId::from_stored),
        floor: Some(room.floor.clone()).filter(|f| !f.is_empty()),
        room: Some(room.id.clone()),
    }
}

async fn load_device(conn: &mut Conn<'_>, company: &str, id: &str) -> StoreResult<Device> {
    let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE company_id = $1 AND id = $2");
    let row = query(sql).bind(company).bind(id).fetch_optional(conn).await?;
    Ok(row.as_ref().map(device_from_row).transpose()?.ok_or(DomainError::DeviceNotExist)?)
}

fn device_from_row(row: &Row) -> StoreResult<Device> {
    let input = ScopeInput {
        scope: Some(int(row, "scope")?),
        country_id: opt_text(row, "country_id")?,
        district_id: opt_text(row, "district_id")?,
        building_id: opt_text(row, "building_id")?,
        floor_name: opt_text(row, "floor_name")?,
        room_id: opt_text(row, "room_id")?,
    };
    let scope = Scope::from_input(&input).map_err(|v| StoreError::Internal(format!("stored device scope: {v:?}")))?;
    Ok(Device {
        id: text(row, "id")?,
        name: text(row, "name")?,
        kind: if int(row, "kind")? == CodeKind::Room as i64 { CodeKind::Room } else { CodeKind::Checkboard },
        scope,
        room: opt_text(row, "bound_room_id")?.map(RoomId::from_stored),
        created_ms: int(row, "created_ms")?,
        last_seen_ms: int(row, "last_seen_ms")?,
        qr_secret: text(row, "qr_secret")?,
    })
}
