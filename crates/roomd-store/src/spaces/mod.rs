//! Places and rooms.

pub(crate) mod places;
pub(crate) mod rooms;
