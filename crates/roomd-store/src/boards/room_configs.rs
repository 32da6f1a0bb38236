//! Nodes of the place tree as Feishu's `room_configs` name them: deployment codes for
//! check-in boards and room devices, and room configurations inherited down the tree.

use roomd_core::scope::{CodeKind, Placement, RoomConfig, Scope};
use roomd_core::{Caller, DomainError};

use crate::db::work;
use crate::places::{load_building, load_region};
use crate::rooms::load_room;
use crate::sql::{Conn, query};
use crate::{Store, StoreError, StoreResult};

const DAY_MS: i64 = 86_400_000;
/// Nine upper-case letters (docs/wire-compat.md).
const CODE_LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const CONFIG_COLUMNS: &str =
    "room_background, display_background, room_box_digital_signage, digital_signage, room_status";

/// A deployment code just made.
#[derive(Debug, Clone)]
pub struct AccessCode {
    pub code: String,
    pub expires_ms: i64,
}

impl Store {
    /// Mints a code for `scope` (whose nodes must exist: 121004 otherwise), valid
    /// `days` × 24 h and unique among all codes.
    pub async fn create_access_code(
        &self,
        caller: &Caller,
        kind: CodeKind,
        scope: Scope,
        days: i64,
    ) -> StoreResult<AccessCode> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        let by = caller.actor.name();
        self.write(work!(|conn| {
            let placed = resolve(conn, &company, &scope).await?;
            let expires_ms = now + days * DAY_MS;
            for _ in 0..8 {
                let code = roomd_core::secret::random_text(CODE_LETTERS, 9);
                let inserted = query(
                    "INSERT INTO access_codes (code, company_id, kind, scope, scope_key, country_id, district_id, \
                     building_id, floor_name, room_id, created_by, created_ms, expires_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (code) DO NOTHING",
                )
                .bind(code.as_str())
                .bind(company.as_str())
                .bind(kind as i64)
                .bind(scope.level() as i64)
                .bind(scope.key())
                .bind(placed.country.as_ref().map(|c| c.to_string()))
                .bind(placed.district.as_ref().map(|d| d.to_string()))
                .bind(placed.building.as_ref().map(|b| b.to_string()))
                .bind(placed.floor.clone())
                .bind(placed.room.as_ref().map(|r| r.to_string()))
                .bind(by.as_str())
                .bind(now)
                .bind(expires_ms)
                .execute(conn)
                .await?;
                if inserted == 1 {
                    return Ok(AccessCode { code, expires_ms });
                }
            }
            Err(StoreError::Internal("no free access code after 8 tries".into()))
        }))
        .await
    }

    /// The configuration in force at `scope`: each field from the nearest node that sets it.
    pub async fn room_config(&self, caller: &Caller, scope: Scope) -> StoreResult<RoomConfig> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let placed = resolve(conn, &company, &scope).await?;
            let mut effective = RoomConfig::default();
            for node in placed.chain() {
                effective = effective.inherit(&load_config(conn, &company, &node.key()).await?);
            }
            Ok(effective)
        }))
        .await
    }

    /// Sets the fields `patch` gives on the node itself; the others stay as they were.
    pub async fn set_room_config(&self, caller: &Caller, scope: Scope, patch: RoomConfig) -> StoreResult<()> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            resolve(conn, &company, &scope).await?;
            let key = scope.key();
            let config = load_config(conn, &company, &key).await?.overwrite(patch);
            query(format!(
                "INSERT INTO room_configs (company_id, scope_key, {CONFIG_COLUMNS}, updated_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (company_id, scope_key) DO UPDATE SET \
                 room_background = excluded.room_background, display_background = excluded.display_background, \
                 room_box_digital_signage = excluded.room_box_digital_signage, digital_signage = excluded.digital_signage, \
                 room_status = excluded.room_status, updated_ms = excluded.updated_ms"
            ))
            .bind(company.as_str())
            .bind(key)
            .bind(config.room_background)
            .bind(config.display_background)
            .bind(config.room_box_digital_signage)
            .bind(config.digital_signage)
            .bind(config.room_status)
            .bind(now)
            .execute(conn)
            .await?;
            Ok(())
        }))
        .await
    }
}

/// Checks that every node `scope` names exists where it says, and places it.
pub(crate) async fn resolve(conn: &mut Conn<'_>, company: &str, scope: &Scope) -> StoreResult<Placement> {
    let gone = |what| StoreError::Domain(DomainError::ScopeNodeNotExist(what));
    Ok(match scope {
        Scope::Tenant => Placement::default(),
        Scope::Country(c) => {
            let region = load_region(conn, company, c).await.map_err(|_| gone("country_id"))?;
            if region.kind != roomd_core::place::RegionKind::Country {
                return Err(gone("country_id"));
            }
            Placement { country: Some(c.clone()), ..Placement::default() }
        }
        Scope::District(c, d) => {
            let district = load_region(conn, company, d).await.map_err(|_| gone("district_id"))?;
            if district.parent.as_ref() != Some(c) {
                return Err(gone("district_id"));
            }
            Placement { country: Some(c.clone()), district: Some(d.clone()), ..Placement::default() }
        }
        Scope::Building(b) | Scope::Floor(b, _) => {
            let building = load_building(conn, company, b.as_str()).await.map_err(|_| gone("building_id"))?;
            let floor = match scope {
                Scope::Floor(_, f) if !building.has_floor(f) => return Err(gone("floor_name")),
                Scope::Floor(_, f) => Some(f.clone()),
                _ => None,
            };
            Placement {
                country: building.country,
                district: building.district,
                building: Some(b.clone()),
                floor,
                room: None,
            }
        }
        Scope::Room(r) => {
            let room = load_room(conn, company, r).await.map_err(|_| gone("room_id"))?;
            let mut placed = match &room.building {
                Some(b) => {
                    let building = load_building(conn, company, b).await?;
                    Placement { country: building.country, district: building.district, ..Placement::default() }
                }
                None => Placement::default(),
            };
            placed.building = room.building.map(roomd_core::BuildingId::from_stored);
            placed.floor = Some(room.floor).filter(|f| !f.is_empty());
            placed.room = Some(r.clone());
            placed
        }
    })
}

async fn load_config(conn: &mut Conn<'_>, company: &str, key: &str) -> StoreResult<RoomConfig> {
    let sql = format!("SELECT {CONFIG_COLUMNS} FROM room_configs WHERE company_id = $1 AND scope_key = $2");
    let Some(row) = query(sql).bind(company).bind(key).fetch_optional(conn).await? else {
        return Ok(RoomConfig::default());
    };
    use crate::rows::opt_text;
    Ok(RoomConfig {
        room_background: opt_text(&row, "room_background")?,
        display_background: opt_text(&row, "display_background")?,
        room_box_digital_signage: opt_text(&row, "room_box_digital_signage")?,
        digital_signage: opt_text(&row, "digital_signage")?,
        room_status: opt_text(&row, "room_status")?,
    })
}
