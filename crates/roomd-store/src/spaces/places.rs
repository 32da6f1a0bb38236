//! Regions (countries and districts) and buildings with floors. A place still in use —
//! a country with districts or buildings, a district with buildings, a building with
//! rooms — is not removed (71032); a floor still holding rooms is not dropped from its
//! building (71032).

use roomd_core::place::{Building, BuildingPatch, Region, RegionKind, RegionPatch};
use roomd_core::{BuildingId, Caller, DomainError, RegionId};
use serde_json::Value as Json;

use crate::db::work;
use crate::rows::{int, opt_text, text};
use crate::sql::{Conn, Row, query};
use crate::{Store, StoreError, StoreResult};

const BUILDING_COLUMNS: &str = "id, name, country_id, district_id, floors, address, memo, created_ms, time_zone";

impl Store {
    /// The company's regions, countries first, then by name.
    pub async fn regions(&self, caller: &Caller) -> StoreResult<Vec<Region>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let rows = query(
                "SELECT id, name, kind, parent_id, created_ms FROM regions WHERE company_id = $1 \
                 ORDER BY kind, name, id",
            )
            .bind(company)
            .fetch_all(conn)
            .await?;
            rows.iter().map(region_from_row).collect()
        }))
        .await
    }

    pub async fn region(&self, caller: &Caller, id: RegionId) -> StoreResult<Region> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_region(conn, &company, &id).await)).await
    }

    /// Adds (`id` None) or updates a region; a district's parent must be a country.
    pub async fn save_region(
        &self,
        caller: &Caller,
        id: Option<RegionId>,
        add: bool,
        patch: RegionPatch,
    ) -> StoreResult<Region> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            let region = match (&id, add) {
                (Some(id), false) => {
                    let before = load_region(conn, &company, id).await?;
                    let after = before.clone().apply(patch)?;
                    let moved = after.kind != before.kind || after.parent != before.parent;
                    if moved && has_buildings(conn, &company, id).await? {
                        return Err(DomainError::PlaceNotEmpty.into());
                    }
                    after
                }
                (id, _) => {
                    let id = id.clone().unwrap_or_else(RegionId::generate);
                    if load_region(conn, &company, &id).await.is_ok() {
                        return Err(DomainError::invalid("id", "already exists").into());
                    }
                    Region::create(id, patch, now)?
                }
            };
            if let Some(parent) = &region.parent
                && load_region(conn, &company, parent).await?.kind != RegionKind::Country
            {
                return Err(DomainError::invalid("parentId", "a district's parent is a country").into());
            }
            if region.kind == RegionKind::District && has_children(conn, &company, &region.id).await? {
                return Err(DomainError::invalid("type", "the country still has districts").into());
            }
            query(
                "INSERT INTO regions (company_id, id, name, kind, parent_id, created_ms, updated_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (company_id, id) DO UPDATE SET \
                 name = excluded.name, kind = excluded.kind, parent_id = excluded.parent_id, updated_ms = excluded.updated_ms",
            )
            .bind(company.as_str())
            .bind(region.id.as_str())
            .bind(region.name.as_str())
            .bind(region.kind as i64)
            .bind(region.parent.as_ref().map(|p| p.as_str().to_string()))
            .bind(region.created_ms)
            .bind(now)
            .execute(conn)
            .await?;
            Ok(region)
        }))
        .await
    }

    pub async fn remove_region(&self, caller: &Caller, id: RegionId) -> StoreResult<()> {
        let company = caller.company.as_str().to_string();
        self.write(work!(|conn| {
            load_region(conn, &company, &id).await?;
            if has_buildings(conn, &company, &id).await? || has_children(conn, &company, &id).await? {
                return Err(DomainError::PlaceNotEmpty.into());
            }
            delete(conn, "regions", &company, id.as_str()).await?;
            Ok(())
        }))
        .await
    }

    pub async fn buildings(&self, caller: &Caller) -> StoreResult<Vec<Building>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let sql = format!("SELECT {BUILDING_COLUMNS} FROM buildings WHERE company_id = $1 ORDER BY name, id");
            let rows = query(sql).bind(company).fetch_all(conn).await?;
            rows.iter().map(building_from_row).collect()
        }))
        .await
    }

    pub async fn building(&self, caller: &Caller, id: BuildingId) -> StoreResult<Building> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_building(conn, &company, id.as_str()).await)).await
    }

    /// Adds or updates a building: its country and district exist and fit together, and
    /// no floor that still holds rooms is dropped.
    pub async fn save_building(
        &self,
        caller: &Caller,
        id: Option<BuildingId>,
        add: bool,
        patch: BuildingPatch,
    ) -> StoreResult<Building> {
        let (company, now) = (caller.company.as_str().to_string(), self.now_ms());
        self.write(work!(|conn| {
            let mut rezoned = false;
            let building = match (&id, add) {
                (Some(id), false) => {
                    let before = load_building(conn, &company, id.as_str()).await?;
                    let zone = before.time_zone;
                    let after = before.apply(patch)?;
                    rezoned = after.time_zone != zone;
                    after
                }
                (id, _) => {
                    let id = id.clone().unwrap_or_else(BuildingId::generate);
                    if load_building(conn, &company, id.as_str()).await.is_ok() {
                        return Err(DomainError::invalid("id", "already exists").into());
                    }
                    Building::create(id, patch, now)?
                }
            };
            check_building_regions(conn, &company, &building).await?;
            let used: Vec<String> = query(
                "SELECT DISTINCT floor_name FROM rooms WHERE company_id = $1 AND building_id = $2 \
                 AND removed_ms IS NULL AND floor_name <> ''",
            )
            .bind(company.as_str())
            .bind(building.id.as_str())
            .scalars(conn)
            .await?;
            if let Some(floor) = used.iter().find(|f| !building.has_floor(f)) {
                return Err(DomainError::invalid("floors", format!("rooms are still on {floor}")).into());
            }
            query(format!(
                "INSERT INTO buildings (company_id, {BUILDING_COLUMNS}, updated_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (company_id, id) DO UPDATE SET \
                 name = excluded.name, country_id = excluded.country_id, district_id = excluded.district_id, \
                 floors = excluded.floors, address = excluded.address, memo = excluded.memo, \
                 time_zone = excluded.time_zone, updated_ms = excluded.updated_ms"
            ))
            .bind(company.as_str())
            .bind(building.id.as_str())
            .bind(building.name.as_str())
            .bind(building.country.as_ref().map(|c| c.as_str().to_string()))
            .bind(building.district.as_ref().map(|d| d.as_str().to_string()))
            .bind(Json::from(building.floors.clone()).to_string())
            .bind(building.address.as_str())
            .bind(building.memo.as_str())
            .bind(building.created_ms)
            .bind(building.time_zone.map_or("", |tz| tz.name()))
            .bind(now)
            .execute(conn)
            .await?;
            if rezoned {
                crate::rooms::rezone(conn, &company, crate::rooms::Rezone::Building(building.id.as_str()), now).await?;
            }
            Ok(building)
        }))
        .await
    }

    pub async fn remove_building(&self, caller: &Caller, id: BuildingId) -> StoreResult<()> {
        let company = caller.company.as_str().to_string();
        self.write(work!(|conn| {
            load_building(conn, &company, id.as_str()).await?;
            let rooms: Option<i64> =
                query("SELECT 1 FROM rooms WHERE company_id = $1 AND building_id = $2 AND removed_ms IS NULL LIMIT 1")
                    .bind(company.as_str())
                    .bind(id.as_str())
                    .scalar(conn)
                    .await?;
            if rooms.is_some() {
                return Err(DomainError::PlaceNotEmpty.into());
            }
            delete(conn, "buildings", &company, id.as_str()).await?;
            Ok(())
        }))
        .await
    }
}

/// Removes a place: `table` is `regions` or `buildings`.
async fn delete(conn: &mut Conn<'_>, table: &'static str, company: &str, id: &str) -> StoreResult<()> {
    query(format!("DELETE FROM {table} WHERE company_id = $1 AND id = $2"))
        .bind(company)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

async fn has_buildings(conn: &mut Conn<'_>, company: &str, id: &RegionId) -> StoreResult<bool> {
    let found: Option<i64> =
        query("SELECT 1 FROM buildings WHERE company_id = $1 AND (country_id = $2 OR district_id = $2) LIMIT 1")
            .bind(company)
            .bind(id.as_str())
            .scalar(conn)
            .await?;
    Ok(found.is_some())
}

async fn has_children(conn: &mut Conn<'_>, company: &str, id: &RegionId) -> StoreResult<bool> {
    let child: Option<i64> = query("SELECT 1 FROM regions WHERE company_id = $1 AND parent_id = $2 LIMIT 1")
        .bind(company)
        .bind(id.as_str())
        .scalar(conn)
        .await?;
    Ok(child.is_some())
}

async fn check_building_regions(conn: &mut Conn<'_>, company: &str, b: &Building) -> StoreResult<()> {
    if let Some(country) = &b.country
        && load_region(conn, company, country).await?.kind != RegionKind::Country
    {
        return Err(DomainError::invalid("countryId", "not a country").into());
    }
    if let Some(district) = &b.district {
        let d = load_region(conn, company, district).await?;
        if d.kind != RegionKind::District || d.parent != b.country {
            return Err(DomainError::invalid("districtId", "not a district of countryId").into());
        }
    }
    Ok(())
}

pub(crate) async fn load_region(conn: &mut Conn<'_>, company: &str, id: &RegionId) -> StoreResult<Region> {
    let row = query("SELECT id, name, kind, parent_id, created_ms FROM regions WHERE company_id = $1 AND id = $2")
        .bind(company)
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(region_from_row).transpose()?.ok_or(DomainError::RegionNotExist.into())
}

pub(crate) async fn load_building(conn: &mut Conn<'_>, company: &str, id: &str) -> StoreResult<Building> {
    let sql = format!("SELECT {BUILDING_COLUMNS} FROM buildings WHERE company_id = $1 AND id = $2");
    let row = query(sql).bind(company).bind(id).fetch_optional(conn).await?;
    row.as_ref().map(building_from_row).transpose()?.ok_or(DomainError::BuildingNotExist.into())
}

fn region_from_row(row: &Row) -> StoreResult<Region> {
    let kind = int(row, "kind")?;
    Ok(Region {
        id: RegionId::from_stored(text(row, "id")?),
        name: text(row, "name")?,
        kind: RegionKind::from_code(kind).map_err(|_| StoreError::Internal(format!("region kind {kind}")))?,
        parent: opt_text(row, "parent_id")?.map(RegionId::from_stored),
        created_ms: int(row, "created_ms")?,
    })
}

fn building_from_row(row: &Row) -> StoreResult<Building> {
    let floors: Vec<String> =
        serde_json::from_str(&text(row, "floors")?).map_err(|e| StoreError::Internal(format!("stored floors: {e}")))?;
    Ok(Building {
        id: BuildingId::from_stored(text(row, "id")?),
        name: text(row, "name")?,
        country: opt_text(row, "country_id")?.map(RegionId::from_stored),
        district: opt_text(row, "district_id")?.map(RegionId::from_stored),
        floors,
        address: text(row, "address")?,
        memo: text(row, "memo")?,
        time_zone: match text(row, "time_zone")?.as_str() {
            "" => None,
            _ => Some(crate::rows::zone(row, "time_zone")?),
        },
        created_ms: int(row, "created_ms")?,
    })
}
