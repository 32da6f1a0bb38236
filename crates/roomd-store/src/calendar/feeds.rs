//! Calendar feeds (docs/wire-compat.md "Calendar feeds"): the secret of each room's or
//! person's feed, and what its URL shows — the meetings in the feed's window with the
//! names its entries need, and a stamp that changes whenever they do, read without them.

use std::collections::HashMap;

use roomd_core::ical::{FeedOwner, feed_window};
use roomd_core::meeting::{Meeting, MeetingQuery};
use roomd_core::secret::alphanumeric;
use roomd_core::time::LONGEST_MEETING_MS;
use roomd_core::{Caller, RoomId, UserId};

use crate::db::work;
use crate::directory::{load_user, load_users};
use crate::meeting_sql::mine;
use crate::meetings::list_meetings;
use crate::rooms::load_room;
use crate::rows::{int, placeholders, text};
use crate::sql::{Conn, query};
use crate::{Store, StoreResult};

/// The characters of a feed's secret: about 190 random bits.
const SECRET_CHARS: usize = 32;

/// What a feed shows, read in one unit.
#[derive(Debug)]
pub struct FeedCalendar {
    /// The room's or the person's name: the calendar's name.
    pub name: String,
    /// `[from, to]`: the meetings ending in it, cancelled ones too, by start.
    pub window: (i64, i64),
    pub meetings: Vec<Meeting>,
    /// The names of the meetings' rooms.
    pub rooms: HashMap<RoomId, String>,
    /// The bookers still in the directory, by id: `(name, email)`.
    pub bookers: HashMap<UserId, (String, String)>,
    /// The feed's stamp when read (`feed_stamp`).
    pub stamp: String,
}

/// A feed's owner and window, found by its secret.
struct Found {
    company: String,
    owner: FeedOwner,
    name: String,
    window: (i64, i64),
}

impl Store {
    /// The secret of `owner`'s feed, made on the first ask and kept; with `reset`, a new
    /// one replaces it (the old URL is unknown at once). An unknown room is 71011, an
    /// unknown user 71009.
    pub async fn calendar_feed(&self, caller: &Caller, owner: FeedOwner, reset: bool) -> StoreResult<String> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        // Asked on every view of a page that shows it: read, and write only to make one.
        if !reset {
            let (company, owner) = (company.clone(), owner.clone());
            if let Some(secret) = self.read(work!(|conn| kept_feed(conn, &company, &owner).await)).await? {
                return Ok(secret);
            }
        }
        self.write(work!(|conn| {
            let (kind, id) = (owner.kind(), owner.id());
            if reset {
                query("DELETE FROM calendar_feeds WHERE company_id = $1 AND owner_kind = $2 AND owner_id = $3")
                    .bind(company.as_str())
                    .bind(kind)
                    .bind(id)
                    .execute(conn)
                    .await?;
            }
            if let Some(secret) = kept_feed(conn, &company, &owner).await? {
                return Ok(secret);
            }
            let secret = alphanumeric(SECRET_CHARS);
            query("INSERT INTO calendar_feeds (secret, company_id, owner_kind, owner_id, created_ms) VALUES ($1, $2, $3, $4, $5)")
                .bind(secret.as_str())
                .bind(company.as_str())
                .bind(kind)
                .bind(id)
                .bind(now)
                .execute(conn)
                .await?;
            Ok(secret)
        }))
        .await
    }

    /// A stamp of what the feed behind `secret` shows now, which changes whenever that
    /// does (a meeting in it booked, changed, moved in or out; the owner renamed; the
    /// window moving on a day), read without the meetings themselves; `None` for a
    /// secret no feed has, or whose owner is gone.
    pub async fn feed_stamp(&self, secret: String) -> StoreResult<Option<String>> {
        let now = self.now_ms();
        self.read(work!(|conn| match find(conn, &secret, now).await? {
            Some(found) => Ok(Some(stamp(conn, &found).await?)),
            None => Ok(None),
        }))
        .await
    }

    /// What the feed behind `secret` shows now; `None` as for `feed_stamp`.
    pub async fn feed_calendar(&self, secret: String) -> StoreResult<Option<FeedCalendar>> {
        let now = self.now_ms();
        self.read(work!(|conn| {
            let Some(found) = find(conn, &secret, now).await? else { return Ok(None) };
            let stamp = stamp(conn, &found).await?;
            let (from, to) = found.window;
            let filter = MeetingQuery {
                room: match &found.owner {
                    FeedOwner::Room(room) => Some(room.clone()),
                    FeedOwner::User(_) => None,
                },
                user: match &found.owner {
                    FeedOwner::User(user) => Some(user.clone()),
                    FeedOwner::Room(_) => None,
                },
                end_after_ms: Some(from),
                begin_before_ms: Some(to),
                include_cancelled: true,
                ..MeetingQuery::default()
            };
            let meetings = list_meetings(conn, &found.company, &filter).await?;
            let rooms = room_names(conn, &found.company, &meetings).await?;
            let mut bookers: Vec<UserId> = meetings.iter().map(|m| m.booker.clone()).collect();
            bookers.sort_unstable_by(|a, b| a.as_str().cmp(b.as_str()));
            bookers.dedup();
            let bookers = load_users(conn, &found.company, &bookers)
                .await?
                .into_iter()
                .map(|u| (u.id, (u.name, u.email)))
                .collect();
            Ok(Some(FeedCalendar { name: found.name, window: found.window, meetings, rooms, bookers, stamp }))
        }))
        .await
    }
}

/// The feed `secret` names, with its owner's name, if both are there (a disabled user's
/// feed is gone with their access).
async fn find(conn: &mut Conn<'_>, secret: &str, now: i64) -> StoreResult<Option<Found>> {
    let Some(row) = query("SELECT company_id, owner_kind, owner_id FROM calendar_feeds WHERE secret = $1")
        .bind(secret)
        .fetch_optional(conn)
        .await?
    else {
        return Ok(None);
    };
    let company = text(&row, "company_id")?;
    let id = text(&row, "owner_id")?;
    let (owner, sql) = match text(&row, "owner_kind")?.as_str() {
        "room" => (
            FeedOwner::Room(RoomId::from_stored(id.clone())),
            "SELECT name FROM rooms WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL",
        ),
        _ => (
            FeedOwner::User(UserId::from_stored(id.clone())),
            "SELECT name FROM users WHERE company_id = $1 AND id = $2 AND removed_ms IS NULL AND enabled = 1",
        ),
    };
    let Some(named) = query(sql).bind(company.as_str()).bind(id.as_str()).fetch_optional(conn).await? else {
        return Ok(None);
    };
    Ok(Some(Found { company, owner, name: text(&named, "name")?, window: feed_window(now) }))
}

/// The count, latest change and sum of changes of the meetings in the feed's window
/// (every change of a meeting raises its `sequence`), with its owner and window.
async fn stamp(conn: &mut Conn<'_>, found: &Found) -> StoreResult<String> {
    let (from_which, whose) = match found.owner {
        FeedOwner::Room(_) => ("meetings m".to_string(), "m.room_id = $2"),
        // The person's meetings first (see `meeting_sql::mine`).
        FeedOwner::User(_) => (format!("({}) mine CROSS JOIN meetings m", mine("$2")), "m.id = mine.id"),
    };
    // Meetings are short: `begin_ms > from - LONGEST_MEETING_MS` keeps the index range short.
    let sql = format!(
        "SELECT COUNT(*) AS n, COALESCE(MAX(m.updated_ms), 0) AS last, \
         CAST(COALESCE(SUM(m.sequence), 0) AS BIGINT) AS changes FROM {from_which} \
         WHERE m.company_id = $1 AND {whose} AND m.end_ms > $3 AND m.begin_ms > $4 AND m.begin_ms < $5"
    );
    let (from, to) = found.window;
    let row = query(sql)
        .bind(found.company.as_str())
        .bind(found.owner.id())
        .bind(from)
        .bind(from - LONGEST_MEETING_MS)
        .bind(to)
        .fetch_optional(conn)
        .await?;
    let (n, last, changes) = match row {
        Some(row) => (int(&row, "n")?, int(&row, "last")?, int(&row, "changes")?),
        None => (0, 0, 0),
    };
    let owner = format!("{}:{}", found.owner.kind(), found.owner.id());
    Ok(format!("{owner}|{}|{from}|{n}|{last}|{changes}", found.name))
}

/// The names of the rooms `meetings` are in (removed rooms too: a past meeting keeps
/// its place).
pub(crate) async fn room_names(
    conn: &mut Conn<'_>,
    company: &str,
    meetings: &[Meeting],
) -> StoreResult<HashMap<RoomId, String>> {
    let mut ids: Vec<&str> = meetings.iter().map(|m| m.room.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql =
            format!("SELECT id, name FROM rooms WHERE company_id = $1 AND id IN ({})", placeholders(2, chunk.len()));
        let q = chunk.iter().fold(query(sql).bind(company), |q, id| q.bind(*id));
        for row in q.fetch_all(conn).await? {
            names.insert(RoomId::from_stored(text(&row, "id")?), text(&row, "name")?);
        }
    }
    Ok(names)
}

/// The secret `owner`'s feed has, if any; an unknown room is 71011, an unknown user 71009.
async fn kept_feed(conn: &mut Conn<'_>, company: &str, owner: &FeedOwner) -> StoreResult<Option<String>> {
    match owner {
        FeedOwner::Room(room) => drop(load_room(conn, company, room).await?),
        FeedOwner::User(user) => drop(load_user(conn, company, user).await?),
    }
    let kept = query("SELECT secret FROM calendar_feeds WHERE company_id = $1 AND owner_kind = $2 AND owner_id = $3")
        .bind(company)
        .bind(owner.kind())
        .bind(owner.id())
        .fetch_optional(conn)
        .await?;
    kept.map(|row| text(&row, "secret")).transpose()
}
