//! A room's day (`roomd_core::availability::RoomDay`), read in one unit: the one place
//! the board, the console's calendar and the check-in page learn what holds a room.

use chrono::NaiveDate;
use roomd_core::availability::RoomDay;
use roomd_core::meeting::MeetingQuery;
use roomd_core::room::Room;
use roomd_core::time::{day_bounds, local_date};
use roomd_core::{Caller, RoomId};

use crate::db::work;
use crate::meetings::list_meetings;
use crate::rooms::load_room;
use crate::{Store, StoreResult};

impl Store {
    /// The room and its day on `date` (today when `None`), a day in the room's zone.
    pub async fn room_day(
        &self,
        caller: &Caller,
        room: RoomId,
        date: Option<NaiveDate>,
    ) -> StoreResult<(Room, RoomDay)> {
        let company = caller.company.as_str().to_string();
        let now = self.now_ms();
        self.read(work!(|conn| {
            let room = load_room(conn, &company, &room).await?;
            let date = date.unwrap_or_else(|| local_date(now, room.time_zone));
            let (start, end) = day_bounds(date, room.time_zone);
            let filter = MeetingQuery {
                room: Some(room.id.clone()),
                end_after_ms: Some(start),
                begin_before_ms: Some(end),
                ..MeetingQuery::default()
            };
            let meetings = list_meetings(conn, &company, &filter).await?;
            let day = RoomDay::new(&room, date, meetings);
            Ok((room, day))
        }))
        .await
    }
}
