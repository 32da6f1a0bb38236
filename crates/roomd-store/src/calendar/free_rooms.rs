//! The free-room search and the rooms' schedules (docs/wire-compat.md "Finding a free
//! room"): each one read unit of a few statements, whatever the number of rooms. The
//! rules are core's (`roomd_core::availability`); this file only reads.
//!
//! A search takes the company's rooms from memory (`CompanyRooms`), kept at the
//! directory's version that it reads first in its own unit, and the rooms held over
//! its range from one range scan of the company's meetings by time (`holding`): no
//! statement and no index probe per room. A schedule probes `meetings` room by room on
//! `(company_id, room_id, begin_ms)` (`meetings_by_room`, which carries `end_ms` and
//! `active`) in the statement that reads the rooms. Meetings fit in one day, so
//! `begin_ms > begin - LONGEST_MEETING_MS` keeps each probe to about a day of the room's
//! meetings.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use roomd_core::availability::{FreeSearch, Held, RoomDay, RoomFilter, RoomRange, free_rooms};
use roomd_core::meeting::{Booker, Meeting};
use roomd_core::room::Room;
use roomd_core::time::{LONGEST_MEETING_MS, TimeSpan, day_bounds};
use roomd_core::{Caller, DomainError, MeetingId, RoomId, UserId};

use crate::db::work;
use crate::directory_cache::{self, CompanyRooms, RoomList};
use crate::meeting_sql::{MEETING_COLUMNS, meeting_from_row};
use crate::rooms::{ROOM_COLUMNS, company_rooms, room_from_row};
use crate::rows::{flag, int, placeholders, qualified, text};
use crate::sql::{Arg, Conn, query};
use crate::{Store, StoreResult};

/// `meetings m` holding room `r` over a range: pending or approved (`active`),
/// beginning before the range ends (`$3`) and ending after it starts (`$4`).
/// Meetings fit in one day, so `begin_ms > $2` (the start less `LONGEST_MEETING_MS`)
/// bounds the index range from below.
const HOLDS: &str = "m.company_id = $1 AND m.room_id = r.id AND m.begin_ms > $2 AND m.begin_ms < $3 \
                     AND m.end_ms > $4 AND m.active = 1";

/// The longest meeting `holding` finds from the meetings beginning in the range or just
/// before it; the longer ones are in `meetings_long`, whose `3600000` (migration 20)
/// this must equal, as the query names it for the index to serve it. Most meetings are
/// at most an hour.
const SHORT_MS: i64 = 3_600_000;

impl Store {
    /// The rooms `search` covers, each judged for its range (available, or why not) with
    /// the meetings holding it then; only the available ones unless the search includes
    /// the others; in the search's order. An unknown user is 71009, an unknown building
    /// 71025.
    pub async fn free_rooms(&self, caller: &Caller, search: FreeSearch) -> StoreResult<Vec<RoomRange>> {
        let company = caller.company.as_str().to_string();
        let kept = self.inner.rooms.clone();
        self.read(work!(|conn| {
            let booker = match &search.user {
                Some(user) => Some(booker(conn, &company, user).await?),
                None => None,
            };
            check_building(conn, &company, &search.rooms).await?;
            let rooms = rooms_now(conn, &kept, &company).await?;
            let mut held = holding(conn, &company, search.span, &rooms, search.include_unavailable).await?;
            let named: Option<HashSet<&RoomId>> = search.rooms.ids.as_ref().map(|ids| ids.iter().collect());
            let mut judged: Vec<(Room, Vec<Held>)> = Vec::new();
            for (room, held) in rooms.rooms.iter().zip(held.iter_mut()) {
                let covered = named.as_ref().is_none_or(|ids| ids.contains(&room.id)) && search.rooms.keeps(room);
                // Only available rooms are answered unless the search asks for all, and
                // a room that something holds, or a disabled one, is not: core judges
                // the rest (hours, permission), each with no meeting in the way.
                let judge = search.include_unavailable || (room.enabled && held.is_none());
                if covered && judge {
                    judged.push((room.clone(), held.take().unwrap_or_default()));
                }
            }
            Ok(free_rooms(&search, booker.as_ref(), judged))
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
            let q = query(sql).bind(company.as_str()).bind(start - LONGEST_MEETING_MS).bind(end).bind(start);
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

/// The company's rooms at the directory's version read now: those kept at it, or else
/// read, and kept if the version read after them is still that one (on PostgreSQL each
/// statement of a read sees the database as it is then).
async fn rooms_now(conn: &mut Conn<'_>, kept: &CompanyRooms, company: &str) -> StoreResult<Arc<RoomList>> {
    let version = directory_cache::version(conn).await?;
    if let Some(rooms) = kept.get(company, version) {
        return Ok(rooms);
    }
    let rooms = Arc::new(RoomList::new(company_rooms(conn, company).await?));
    if directory_cache::version(conn).await? == version {
        kept.keep(company, version, rooms.clone());
    }
    Ok(rooms)
}

/// Which of `rooms` are held over `span`, by position: each held one with the meetings
/// holding it when `with_meetings` (else with none). The company's active meetings
/// beginning before the range ends and ending after it starts: those of at most
/// `SHORT_MS` begin less than `SHORT_MS` before it, and `meetings_by_begin` holds them
/// in order; the longer ones begin less than a day before it (meetings fit in one), and
/// `meetings_long` holds only them. A meeting is in one half or the other, never both.
async fn holding(
    conn: &mut Conn<'_>,
    company: &str,
    span: TimeSpan,
    rooms: &RoomList,
    with_meetings: bool,
) -> StoreResult<Vec<Option<Vec<Held>>>> {
    let columns = if with_meetings { "room_id, id, begin_ms, end_ms" } else { "room_id" };
    // SQLite, left to itself, reads the second half from `meetings_by_begin` too: a day.
    let long = if conn.is_postgres() { "meetings" } else { "meetings INDEXED BY meetings_long" };
    let sql = format!(
        "SELECT {columns} FROM meetings WHERE company_id = $1 AND begin_ms > $2 AND begin_ms < $3 AND end_ms > $4 \
         AND active = 1 UNION ALL SELECT {columns} FROM {long} WHERE company_id = $1 AND begin_ms > $5 \
         AND begin_ms <= $2 AND end_ms > $4 AND active = 1 AND end_ms - begin_ms > {SHORT_MS}"
    );
    let q = query(sql)
        .bind(company)
        .bind(span.begin_ms() - SHORT_MS)
        .bind(span.end_ms())
        .bind(span.begin_ms())
        .bind(span.begin_ms() - LONGEST_MEETING_MS);
    let mut held: Vec<Option<Vec<Held>>> = vec![None; rooms.rooms.len()];
    if !with_meetings {
        // Thousands of rows where every room is taken: each only looked up, none kept.
        q.each_text(conn, |room| {
            if let Some(at) = rooms.position(room) {
                held[at] = Some(Vec::new());
            }
        })
        .await?;
        return Ok(held);
    }
    for row in q.fetch_all(conn).await? {
        // A removed room's meetings hold no room a search covers.
        let Some(at) = rooms.position(&text(&row, "room_id")?) else { continue };
        let span = TimeSpan::from_stored(int(&row, "begin_ms")?, int(&row, "end_ms")?)?;
        held[at].get_or_insert_default().push(Held { meeting: MeetingId::from_stored(text(&row, "id")?), span });
    }
    Ok(held)
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
