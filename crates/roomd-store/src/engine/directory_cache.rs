//! The rows of the directory kept in memory at the directory's version they were read
//! at: on PostgreSQL the rooms and users bookings read (migration 14); on both backends
//! every room of a company, for the free-room search (`CompanyRooms`; SQLite's version
//! is its migration 21).
//!
//! Triggers move the version in the transaction of every write to rooms, their permitted
//! users and users, whoever makes it (this process, another one, an admin by hand). A
//! booking that finds its room and people here builds the meeting from them and inserts
//! it with a statement that goes in only if the version is still the one they were read
//! at (`insert_if_free`'s guard): one round trip instead of three. When the version has
//! moved, the booking reads again and the kept rows are dropped.
//!
//! Rows are kept only after a guarded statement confirmed their version: the version is
//! read first, then the rows, then the statement finds the version unchanged, so no
//! change committed in between. A refusal built from kept rows is not trusted: the
//! booking reads the rows again and decides on those.
//!
//! Each change draws a new random version rather than adding one, so a database that
//! goes back in time (restored from a backup, or a replica promoted while behind) cannot
//! come back to a version kept here with other rows behind it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use roomd_core::directory::User;
use roomd_core::room::Room;
use roomd_core::{RoomId, UserId};

use crate::StoreResult;
use crate::sql::{Conn, query};

/// Rooms and users kept at most; past that the kept rows start again from empty.
const MAX_KEPT: usize = 20_000;
/// Rooms kept at most by `CompanyRooms`, over all companies.
const MAX_KEPT_ROOMS: usize = 100_000;

#[derive(Default)]
pub(crate) struct DirectoryCache {
    kept: Mutex<Kept>,
}

/// The rows read at one version of the directory, by company and id.
#[derive(Default)]
struct Kept {
    /// `None` until rows are kept.
    version: Option<i64>,
    rooms: HashMap<(String, RoomId), Room>,
    users: HashMap<(String, UserId), User>,
}

/// What a booking reads, and the version it was read at.
pub(crate) struct DirectoryRows {
    pub version: i64,
    pub room: Room,
    pub users: HashMap<UserId, User>,
}

impl DirectoryCache {
    /// `room` and every user of `users`, if all are kept.
    pub(crate) fn get(&self, company: &str, room: &RoomId, users: &[UserId]) -> Option<DirectoryRows> {
        let kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let version = kept.version?;
        let company = company.to_string();
        let room = kept.rooms.get(&(company.clone(), room.clone()))?.clone();
        let mut found = HashMap::with_capacity(users.len());
        for id in users {
            let user = kept.users.get(&(company.clone(), id.clone()))?;
            found.insert(id.clone(), user.clone());
        }
        Some(DirectoryRows { version, room, users: found })
    }

    /// Keeps `rows`, whose version a guarded statement has just confirmed. Rows of
    /// another version replace all kept ones (versions do not say which is newer: if
    /// these are the older, the next booking finds them stale and reads again).
    pub(crate) fn keep(&self, company: &str, rows: DirectoryRows) {
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.version != Some(rows.version) || kept.rooms.len() + kept.users.len() >= MAX_KEPT {
            *kept = Kept { version: Some(rows.version), ..Default::default() };
        }
        kept.rooms.insert((company.to_string(), rows.room.id.clone()), rows.room);
        for (id, user) in rows.users {
            kept.users.insert((company.to_string(), id), user);
        }
    }

    /// The directory has moved from `version`: rows kept at it are stale.
    pub(crate) fn forget(&self, version: i64) {
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.version == Some(version) {
            *kept = Kept::default();
        }
    }
}

/// Every room of a company (removed ones aside, each with its permitted users), by
/// company, with the version they were read at. A search takes them only at the version
/// it has just read in its own unit of work, so a room changed by anyone since (another
/// process included) is read again, never answered from here.
#[derive(Default)]
pub(crate) struct CompanyRooms {
    kept: Mutex<HashMap<String, (i64, Arc<RoomList>)>>,
}

impl CompanyRooms {
    /// The company's rooms, if kept at `version`.
    pub(crate) fn get(&self, company: &str, version: i64) -> Option<Arc<RoomList>> {
        let kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.get(company).filter(|(at, _)| *at == version).map(|(_, rooms)| rooms.clone())
    }

    /// Keeps `rooms`, read entirely at `version` (which was read before and after them).
    pub(crate) fn keep(&self, company: &str, version: i64, rooms: Arc<RoomList>) {
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        kept.remove(company);
        if kept.values().map(|(_, r)| r.rooms.len()).sum::<usize>() + rooms.rooms.len() > MAX_KEPT_ROOMS {
            kept.clear();
        }
        kept.insert(company.to_string(), (version, rooms));
    }
}

/// A company's rooms, and where each id is among them: a search looks up a room for
/// each meeting holding one, thousands of times, so by a hash faster than the standard
/// one (and seeded, as it is, per process).
pub(crate) struct RoomList {
    pub rooms: Vec<Room>,
    at: HashMap<String, usize, foldhash::fast::RandomState>,
}

impl RoomList {
    pub(crate) fn new(rooms: Vec<Room>) -> RoomList {
        let at = rooms.iter().enumerate().map(|(i, room)| (room.id.as_str().to_string(), i)).collect();
        RoomList { rooms, at }
    }

    /// Where room `id` is in `rooms`.
    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.at.get(id).copied()
    }
}

/// The directory's version now.
pub(crate) async fn version(conn: &mut Conn<'_>) -> StoreResult<i64> {
    query("SELECT version FROM roomd_directory")
        .scalar(conn)
        .await?
        .ok_or_else(|| crate::StoreError::Internal("roomd_directory has no row".into()))
}
