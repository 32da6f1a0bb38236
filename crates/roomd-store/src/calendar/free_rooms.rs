//! The free-room search and the rooms' schedules (docs/wire-compat.md "Finding a free
//! room"): each one read unit of a few statements, whatever the number of rooms. The
//! rules are core's (`roomd_core::availability`); this file only reads.
//!
//! The candidate rooms come with their filters in SQL, and the meetings holding them
//! over the range in the same statement: a `LEFT JOIN` (or, when only available rooms
//! are answered, a `NOT EXISTS`) probing `meetings` room by room on `(company_id,
//! room_id, begin_ms)` (PostgreSQL's `meetings_by_room`, which carries `end_ms` and
//! `active`; SQLite's `meetings_busy`). Meetings fit in one day, so `begin_ms > begin -
//! DAY_MS` keeps each probe to about a day of the room's meetings. No statement per
//! room.

use std::collections::HashMap;

use chrono::NaiveDate;
use roomd_core::availability::{FreeSearch, Held, RoomDay, RoomFilter, RoomRange, free_rooms};
use roomd_core::meeting::{Booker, Meeting};
use roomd_core::room::Room;
use roomd_core::time::{DAY_MS, TimeSpan, day_bounds};
use roomd_core::{Caller, DomainError, MeetingId, RoomId, UserId};

use crate::db::work;
use crate::meeting_sql::{MEETING_COLUMNS, meeting_from_row};
use crate::rooms::{ROOM_COLUMNS, room_from_row};
use crate::rows::{flag, int, opt_text, placeholders, qualified, text};
use crate::sql::{Arg, Conn, query};
use crate::{Store, StoreResult};

/// `meetings m` holding room `r` over a range: pending or approved (`active`),
/// beginning before the range ends (`$3`) and ending after it starts (`$4`).
/// Meetings fit in one day, so `begin_ms > $2` (the start less a day) bounds the index
/// range from below.
const HOLDS: &str = "m.company_id = $1 AND m.room_id = r.id AND m.begin_ms > $2 AND m.begin_ms < $3 \
                     AND m.end_ms > $4 AND m.active = 1";

impl Store {
    /// The rooms `search` covers, each judged for its range (available, or why not) with
    /// the meetings holding it then; only the available ones unless the search includes
    /// the others; in the search's order. An unknown user is 71009, an unknown building
    /// 71025.
    pub async fn free_rooms(&self, caller: &Caller, search: FreeSearch) -> StoreResult<Vec<RoomRange>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            let booker = match &search.user {
                Some(user) => Some(booker(conn, &company, user).await?),
                None => None,
            };
            check_building(conn, &company, &search.rooms).await?;
            let (narrow, args) = narrowing(&search.rooms, 5);
            let columns = qualified(ROOM_COLUMNS, "r");
            let sql = if search.include_unavailable {
                format!(
                    "SELECT {columns}, m.id AS busy_id, m.begin_ms AS busy_begin, m.end_ms AS busy_end \
                     FROM rooms r LEFT JOIN meetings m ON {HOLDS} \
                     WHERE r.company_id = $1 AND r.removed_ms IS NULL{narrow}"
                )
            } else {
                // Only available rooms are answered, and nothing holds those: a room that
                // something holds is left out by the same overlap, read from the index
                // alone, and so is a disabled one. Core judges the rest (hours,
                // permission), each with no meeting in the way.
                format!(
                    "SELECT {columns} FROM rooms r WHERE r.company_id = $1 AND r.removed_ms IS NULL{narrow} \
                     AND r.enabled = 1 AND NOT EXISTS (SELECT 1 FROM meetings m WHERE {HOLDS})"
                )
            };
            let span = search.span;
            let q = query(sql).bind(company.as_str()).bind(span.begin_ms() - DAY_MS).bind(span.end_ms());
            let rows = bind_all(q.bind(span.begin_ms()), &args).fetch_all(conn).await?;
            let mut rooms: Vec<(Room, Vec<Held>)> = Vec::new();
            let mut seen: HashMap<String, usize> = HashMap::new();
            for row in &rows {
                let id = text(row, "id")?;
                let at = match seen.get(&id) {
                    Some(at) => *at,
                    None => {
                        rooms.push((room_from_row(row)?, Vec::new()));
                        seen.insert(id, rooms.len() - 1);
                        rooms.len() - 1
                    }
                };
                if search.include_unavailable
                    && let Some(meeting) = opt_text(row, "busy_id")?
                {
                    let span = TimeSpan::from_stored(int(row, "busy_begin")?, int(row, "busy_end")?)?;
                    rooms[at].1.push(Held { meeting: MeetingId::from_stored(meeting), span });
                }
            }
            let mut users = permitted_users(conn, &company, &search.rooms).await?;
            for (room, _) in &mut rooms {
                room.users = users.remove(room.id.as_str()).unwrap_or_default();
            }
            Ok(free_rooms(&search, booker.as_ref(), rooms))
        }))
        .await
    }

    /// The day of `date` of every room `rooms` covers (in each room's zone), with the
    /// meetings holding it then (`RoomDay`), by name. A `rooms.ids` naming no room of
    /// the company is 71011; an unknown building 71025.
    pub async fn room_schedules(
        &self,
        caller: &Caller,
        date: NaiveDate,
        rooms: RoomFilter,
    ) -> StoreResult<Vec<(Room, RoomDay)>> {
        let company = caller.company.as_str().to_string();
        self.read(work!(|conn| {
            check_building(conn, &company, &rooms).await?;
            let (narrow, args) = narrowing(&rooms, 2);
            let sql = format!(
                "SELECT {} FROM rooms r WHERE r.company_id = $1 AND r.removed_ms IS NULL{narrow}",
                qualified(ROOM_COLUMNS, "r")
            );
            let rows = bind_all(query(sql).bind(company.as_str()), &args).fetch_all(conn).await?;
            let mut found: Vec<Room> = rows.iter().map(room_from_row).collect::<StoreResult<_>>()?;
            // Each id is a primary key: as many rooms as distinct ids, or one is unknown.
            let named = |ids: &Vec<RoomId>| ids.iter().collect::<std::collections::HashSet<_>>().len();
            if rooms.ids.as_ref().is_some_and(|ids| named(ids) != found.len()) {
                return Err(DomainError::RoomNotExist.into());
            }
            found.retain(|room| rooms.keeps(room));
            let Some((start, end)) = window(&found, date) else { return Ok(Vec::new()) };
            let (narrow, args) = narrowing(&rooms, 5);
            // `CROSS JOIN`: SQLite then reads the rooms first and probes each one's
            // meetings, rather than every meeting of the company that day (PostgreSQL
            // plans it as any join).
            let sql = format!(
                "SELECT {} FROM rooms r CROSS JOIN meetings m \
                 WHERE r.company_id = $1 AND r.removed_ms IS NULL{narrow} AND {HOLDS}",
                qualified(MEETING_COLUMNS, "m")
            );
            let q = query(sql).bind(company.as_str()).bind(start - DAY_MS).bind(end).bind(start);
            let mut held: HashMap<RoomId, Vec<Meeting>> = HashMap::new();
            for row in bind_all(q, &args).fetch_all(conn).await? {
                let meeting = meeting_from_row(&row)?;
                held.entry(meeting.room.clone()).or_default().push(meeting);
            }
            let mut users = permitted_users(conn, &company, &rooms).await?;
            found.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
            Ok(found
                .into_iter()
                .map(|mut room| {
                    room.users = users.remove(room.id.as_str()).unwrap_or_default();
                    let day = RoomDay::new(&room, date, held.remove(&room.id).unwrap_or_default());
                    (room, day)
                })
                .collect())
        }))
        .await
    }
}

/// ` AND r.…` narrowing `rooms r` to the rooms `filter` covers, its parameters numbered
/// from `$first`: by ids when it names them (the other filters are then applied by
/// `RoomFilter::keeps`, so that an unknown id can be told from one filtered out), else
/// by capacity, building and floor (`rooms_by_building` serves the last two).
fn narrowing(filter: &RoomFilter, first: usize) -> (String, Vec<Arg>) {
    let mut args: Vec<Arg> = Vec::new();
    if let Some(ids) = &filter.ids {
        args.extend(ids.iter().map(|id| Arg::from(id.as_str())));
        // No ids cover no room (`IN ()` is no SQL).
        let sql = match ids.is_empty() {
            true => " AND 1 = 0".to_string(),
            false => format!(" AND r.id IN ({})", placeholders(first, ids.len())),
        };
        return (sql, args);
    }
    let mut sql = String::new();
    let mut narrow = |clause: &str, arg: Arg| {
        sql.push_str(&format!(" AND r.{clause} ${}", first + args.len()));
        args.push(arg);
    };
    if let Some(min) = filter.min_capacity {
        narrow("capacity >=", Arg::from(min));
    }
    if let Some(building) = &filter.building {
        narrow("building_id =", Arg::from(building.as_str()));
    }
    if let Some(floor) = &filter.floor {
        narrow("floor_name =", Arg::from(floor.as_str()));
    }
    (sql, args)
}

fn bind_all(mut q: crate::sql::Query, args: &[Arg]) -> crate::sql::Query {
    for arg in args {
        q = q.bind(arg.clone());
    }
    q
}

/// The permitted users of the rooms `filter` covers, by room, in their order.
async fn permitted_users(
    conn: &mut Conn<'_>,
    company: &str,
    filter: &RoomFilter,
) -> StoreResult<HashMap<String, Vec<UserId>>> {
    let (narrow, args) = narrowing(filter, 2);
    let sql = format!(
        "SELECT u.room_id, u.user_id FROM rooms r JOIN room_users u ON u.company_id = $1 AND u.room_id = r.id \
         WHERE r.company_id = $1 AND r.removed_ms IS NULL{narrow} ORDER BY u.room_id, u.position"
    );
    let mut users: HashMap<String, Vec<UserId>> = HashMap::new();
    for row in bind_all(query(sql).bind(company), &args).fetch_all(conn).await? {
        users.entry(text(&row, "room_id")?).or_default().push(UserId::from_stored(text(&row, "user_id")?));
    }
    Ok(users)
}

/// The searching user, as the booking rules see them; a removed or unknown one is 71009.
async fn booker(conn: &mut Conn<'_>, company: &str, id: &UserId) -> StoreResult<Booker> {
    let row = query("SELECT is_admin, enabled FROM users WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL")
        .bind(company)
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?
        .ok_or(DomainError::UserNotExist)?;
    Ok(Booker { id: id.clone(), is_admin: flag(&row, "is_admin")?, enabled: flag(&row, "enabled")? })
}

/// 71025 when the filter names a building the company does not have.
async fn check_building(conn: &mut Conn<'_>, company: &str, filter: &RoomFilter) -> StoreResult<()> {
    let Some(building) = &filter.building else { return Ok(()) };
    let found: Option<String> = query("SELECT id FROM buildings WHERE company_id = $1 AND id = $2")
        .bind(company)
        .bind(building.as_str())
        .scalar(conn)
        .await?;
    found.map(|_| ()).ok_or_else(|| DomainError::BuildingNotExist.into())
}

/// From the first room's midnight of `date` to the last one's next midnight, over the
/// zones of `rooms` (`None` without rooms).
fn window(rooms: &[Room], date: NaiveDate) -> Option<(i64, i64)> {
    rooms.iter().map(|r| day_bounds(date, r.time_zone)).reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}
