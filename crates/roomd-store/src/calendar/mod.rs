//! Meetings and booking: the slot check, a room's day, the free-room search and the
//! rooms' schedules, no-show release, imports.

pub(crate) mod availability;
pub(crate) mod booking;
pub(crate) mod booking_draft;
pub(crate) mod feeds;
pub(crate) mod free_rooms;
pub(crate) mod import;
pub(crate) mod meeting_rows;
pub(crate) mod meeting_sql;
pub(crate) mod meetings;
pub(crate) mod no_show;
pub(crate) mod series;
pub(crate) mod series_changes;
pub(crate) mod slot_sql;
