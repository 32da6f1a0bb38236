//! A room's day (`roomd_core::availability::RoomDay`), read in one unit: the one place
//! the board, the console's calendar and the check-in page learn what holds a room.

use chrono::NaiveDate;
use roomd_core::availability::RoomDay;
use roomd_core::meeting::MeetingQuery;
use roomd_core::room::Room;
use roomd_core::time::day_bounds;
use roomd_core::{Caller, RoomId};

use crate::db::work;
use crate::meetings::list_meetings;
use crate::rooms::load_room;
use crate::{Store, StoreResult};

impl Store {
    /// The room and its day on `date`, in the caller's time zone.
    pub async fn room_day(&self, caller: &Caller, room: RoomId, date: NaiveDate) -> StoreResult<(Room, RoomDay)> {
        let (company, tz) = (caller.company.as_str().to_string(), caller.tz);
        self.read(work!(|conn| {
            let room = load_room(conn, &company, &room).await?;
            let (start, end) = day_bounds(date, tz);
            let filter = MeetingQuery {
                room: Some(room.id.clone()),
                end_after_ms: Some(start),
                begin_before_ms: Some(end),
                ..MeetingQuery::default()
            };
            let meetings = list_meetings(conn, &company, &filter).await?;
            let day = RoomDay::new(&room, date, tz, meetings);
            Ok((room, day))
        }))
        .await
    }
}
