//! Calendar feeds (extension, docs/wire-compat.md "Calendar feeds").

use serde::{Deserialize, Serialize};

/// `calendar/feed/get` and `calendar/feed/reset` body: exactly one of the two.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedOwner {
    pub room_id: Option<String>,
    pub user_id: Option<String>,
}

/// A feed's address, to subscribe to in a calendar.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Feed {
    /// `{public URL}/calendar/{secret}.ics`
    pub url: String,
    /// The same with `webcal://`, which calendars open as a subscription.
    pub webcal_url: String,
}
