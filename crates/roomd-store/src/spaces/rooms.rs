//! Meeting rooms and their permission lists.

use std::collections::HashMap;
use std::sync::LazyLock;

use roomd_core::room::{Room, RoomPatch};
use roomd_core::time::DayMinute;
use roomd_core::{Caller, DeptId, DomainError, RoomId, UserId};

use crate::db::work;
use crate::departments::dept_exists;
use crate::directory::load_users;
use crate::events::emit;
use crate::rows::{flag, float, int, opt_text, text, zone};
use crate::sql::{Conn, Row, query};
use crate::{Store, StoreResult};
use roomd_core::event::Change;

pub(crate) const ROOM_COLUMNS: &str = "id, name, department_id, address, memo, opens_min, closes_min, capacity, size, \
                            longitude, latitude, radius, enabled, need_audit, restricted, scene_image, building_id, \
                            floor_name, time_zone, created_ms";

impl Store {
    pub async fn list_rooms(&self, caller: &Caller) -> StoreResult<Vec<Room>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| company_rooms(conn, &company).await)).await
    }

    pub async fn room(&self, caller: &Caller, id: RoomId) -> StoreResult<Room> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| load_room(conn, &company, &id).await)).await
    }

    pub async fn add_room(&self, caller: &Caller, id: Option<RoomId>, patch: RoomPatch) -> StoreResult<Room> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        let room = Room::create(id.unwrap_or_else(RoomId::generate), patch, now)?;
        self.write(work!(|conn| {
            let taken: Option<String> = query("SELECT id FROM rooms WHERE company_id = $1 AND id = $2")
                .bind(company.clone())
                .bind(room.id.as_str().to_string())
                .scalar(conn)
                .await?;
            if taken.is_some() {
                return Err(DomainError::invalid("id", "already exists").into());
            }
            let mut room = room;
            save_room(conn, &company, &mut room, now, true).await?;
            emit(conn, &events, &company, now, || Change::RoomAdded(room.clone())).await?;
            Ok(room)
        }))
        .await
    }

    pub async fn update_room(&self, caller: &Caller, id: RoomId, patch: RoomPatch) -> StoreResult<Room> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        self.write(work!(|conn| {
            let mut room = load_room(conn, &company, &id).await?.apply(patch)?;
            save_room(conn, &company, &mut room, now, false).await?;
            emit(conn, &events, &company, now, || Change::RoomUpdated(room.clone())).await?;
            Ok(room)
        }))
        .await
    }

    /// Refuses (71026) while the room has meetings that are not over; past meetings keep
    /// their `roomId` and stay readable.
    pub async fn remove_room(&self, caller: &Caller, id: RoomId) -> StoreResult<()> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        let events = self.event_render();
        self.write(work!(|conn| {
            load_room(conn, &company, &id).await?;
            let upcoming: i64 = query(
                "SELECT COUNT(*) FROM meetings WHERE company_id = $1 AND room_id = $2 AND active = 1 AND end_ms > $3",
            )
            .bind(company.clone())
            .bind(id.as_str().to_string())
            .bind(now)
            .scalar(conn)
            .await?
            .unwrap_or_default();
            if upcoming > 0 {
                return Err(DomainError::RoomHasMeetings.into());
            }
            query("UPDATE rooms SET removed_ms = $3, updated_ms = $3 WHERE company_id = $1 AND id = $2")
                .bind(company.as_str())
                .bind(id.as_str().to_string())
                .bind(now)
                .execute(conn)
                .await?;
            emit(conn, &events, &company, now, || Change::RoomRemoved(id.clone())).await?;
            Ok(())
        }))
        .await
    }
}

/// The company's rooms (removed ones aside) with their permitted users, by creation.
pub(crate) async fn company_rooms(conn: &mut Conn<'_>, company: &str) -> StoreResult<Vec<Room>> {
    let sql = format!(
        "SELECT {ROOM_COLUMNS} FROM rooms WHERE company_id = $1 AND removed_ms IS NULL ORDER BY created_ms, id"
    );
    let rows = query(sql).bind(company).fetch_all(conn).await?;
    let mut rooms = rows.iter().map(room_from_row).collect::<StoreResult<Vec<_>>>()?;
    let mut users: HashMap<String, Vec<UserId>> = HashMap::new();
    let rows = query("SELECT room_id, user_id FROM room_users WHERE company_id = $1 ORDER BY position")
        .bind(company)
        .fetch_all(conn)
        .await?;
    for row in rows {
        users.entry(text(&row, "room_id")?).or_default().push(UserId::from_stored(text(&row, "user_id")?));
    }
    for room in &mut rooms {
        room.users = users.remove(room.id.as_str()).unwrap_or_default();
    }
    Ok(rooms)
}

/// The room and its permitted users in one statement: a row per user. Built once: every
/// booking reads its room.
static LOAD_ROOM: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, u.user_id AS permitted_user FROM rooms r LEFT JOIN room_users u \
         ON u.company_id = r.company_id AND u.room_id = r.id \
         WHERE r.company_id = $1 AND r.id = $2 AND r.removed_ms IS NULL ORDER BY u.position",
        crate::rows::qualified(ROOM_COLUMNS, "r")
    )
});

pub(crate) async fn load_room(conn: &mut Conn<'_>, company: &str, id: &RoomId) -> StoreResult<Room> {
    let rows = query(LOAD_ROOM.as_str()).bind(company).bind(id.as_str()).fetch_all(conn).await?;
    let Some(first) = rows.first() else {
        return Err(DomainError::RoomNotExist.into());
    };
    let mut room = room_from_row(first)?;
    for row in &rows {
        if let Some(user) = opt_text(row, "permitted_user")? {
            room.users.push(UserId::from_stored(user));
        }
    }
    Ok(room)
}

/// Checks the room's references (department, permitted users, building), sets its zone
/// (its building's, else its company's), then writes it.
async fn save_room(conn: &mut Conn<'_>, company: &str, room: &mut Room, now: i64, insert: bool) -> StoreResult<()> {
    if let Some(dept) = &room.department
        && !dept_exists(conn, company, dept).await?
    {
        return Err(DomainError::DeptNotExist.into());
    }
    if load_users(conn, company, &room.users).await?.len() != room.users.len() {
        return Err(DomainError::UserNotExist.into());
    }
    // A floor only within a building, and only one of its floors (71025 either way).
    let building_zone = match &room.building {
        Some(building) => {
            let b = crate::places::load_building(conn, company, building).await?;
            if !room.floor.is_empty() && !b.has_floor(&room.floor) {
                return Err(DomainError::BuildingNotExist.into());
            }
            b.time_zone
        }
        None if !room.floor.is_empty() => return Err(DomainError::BuildingNotExist.into()),
        None => None,
    };
    room.time_zone = match building_zone {
        Some(tz) => tz,
        None => crate::accounts::company::company_zone(conn, company).await?,
    };
    let sql = if insert {
        "INSERT INTO rooms (company_id, id, name, department_id, address, memo, opens_min, closes_min, capacity, size, \
         longitude, latitude, radius, enabled, need_audit, restricted, scene_image, building_id, floor_name, \
         created_ms, updated_ms, time_zone) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, $21)"
    } else {
        "UPDATE rooms SET name = $3, department_id = $4, address = $5, memo = $6, opens_min = $7, closes_min = $8, \
         capacity = $9, size = $10, longitude = $11, latitude = $12, radius = $13, enabled = $14, need_audit = $15, \
         restricted = $16, scene_image = $17, building_id = $18, floor_name = $19, updated_ms = $20, \
         time_zone = $21 WHERE company_id = $1 AND id = $2"
    };
    query(sql)
        .bind(company.to_string())
        .bind(room.id.as_str().to_string())
        .bind(room.name.clone())
        .bind(room.department.as_ref().map(|d| d.as_str().to_string()))
        .bind(room.address.clone())
        .bind(room.memo.clone())
        .bind(room.opens.minutes())
        .bind(room.closes.minutes())
        .bind(room.capacity)
        .bind(room.size)
        .bind(room.longitude)
        .bind(room.latitude)
        .bind(room.radius)
        .bind(i64::from(room.enabled))
        .bind(i64::from(room.need_audit))
        .bind(i64::from(room.restricted))
        .bind(room.scene_image.clone())
        .bind(room.building.clone())
        .bind(room.floor.clone())
        .bind(now)
        .bind(room.time_zone.name())
        .execute(conn)
        .await?;
    if !insert {
        rezone(conn, company, Rezone::Room(room.id.as_str()), now).await?;
    }
    query("DELETE FROM room_users WHERE company_id = $1 AND room_id = $2")
        .bind(company.to_string())
        .bind(room.id.as_str().to_string())
        .execute(conn)
        .await?;
    for (position, user) in room.users.iter().enumerate() {
        query("INSERT INTO room_users (company_id, room_id, user_id, position) VALUES ($1, $2, $3, $4)")
            .bind(company.to_string())
            .bind(room.id.as_str().to_string())
            .bind(user.as_str().to_string())
            .bind(position as i64)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// The rooms a change of zone reaches.
pub(crate) enum Rezone<'a> {
    /// Every room of the company (its zone changed).
    Company,
    /// The rooms in a building (its zone changed).
    Building(&'a str),
    /// One room (its building changed).
    Room(&'a str),
}

/// Sets the zone of the rooms in `scope` (their building's, else their company's) and
/// of their meetings that end after `now`; a meeting already over keeps the zone it was
/// held in.
pub(crate) async fn rezone(conn: &mut Conn<'_>, company: &str, scope: Rezone<'_>, now: i64) -> StoreResult<()> {
    let (narrow, key) = match scope {
        Rezone::Company => ("", None),
        Rezone::Building(b) => (" AND building_id = $2", Some(b)),
        Rezone::Room(r) => (" AND id = $2", Some(r)),
    };
    let rooms = format!(
        "UPDATE rooms SET time_zone = COALESCE(\
         (SELECT NULLIF(b.time_zone, '') FROM buildings b WHERE b.company_id = rooms.company_id AND b.id = rooms.building_id), \
         (SELECT c.time_zone FROM companies c WHERE c.id = rooms.company_id)) \
         WHERE company_id = $1{narrow}"
    );
    let now_param = if key.is_some() { "$3" } else { "$2" };
    // A meeting whose zone changes has changed: its calendar entries follow (`updated_ms`,
    // `sequence`).
    let room_zone =
        "(SELECT r.time_zone FROM rooms r WHERE r.company_id = meetings.company_id AND r.id = meetings.room_id)";
    let meetings = format!(
        "UPDATE meetings SET time_zone = {room_zone}, updated_ms = {now_param}, sequence = sequence + 1 \
         WHERE company_id = $1 AND end_ms > {now_param} AND time_zone <> {room_zone} \
         AND room_id IN (SELECT id FROM rooms WHERE company_id = $1{narrow})"
    );
    let mut q = query(rooms).bind(company);
    let mut m = query(meetings).bind(company);
    if let Some(key) = key {
        q = q.bind(key);
        m = m.bind(key);
    }
    q.execute(conn).await?;
    m.bind(now).execute(conn).await?;
    Ok(())
}

pub(crate) fn room_from_row(row: &Row) -> StoreResult<Room> {
    Ok(Room {
        id: RoomId::from_stored(text(row, "id")?),
        name: text(row, "name")?,
        department: opt_text(row, "department_id")?.map(DeptId::from_stored),
        address: text(row, "address")?,
        memo: text(row, "memo")?,
        opens: DayMinute::from_minutes(int(row, "opens_min")?),
        closes: DayMinute::from_minutes(int(row, "closes_min")?),
        capacity: int(row, "capacity")?,
        size: int(row, "size")?,
        longitude: float(row, "longitude")?,
        latitude: float(row, "latitude")?,
        radius: int(row, "radius")?,
        enabled: flag(row, "enabled")?,
        need_audit: flag(row, "need_audit")?,
        restricted: flag(row, "restricted")?,
        users: Vec::new(),
        scene_image: text(row, "scene_image")?,
        building: opt_text(row, "building_id")?,
        floor: text(row, "floor_name")?,
        time_zone: zone(row, "time_zone")?,
        created_ms: int(row, "created_ms")?,
    })
}
