//! A calendar feed's address as the console and the app show it
//! (`templates/feed_address.html`): to copy, to open in a calendar app (`webcal://`), and
//! the form that replaces it with a new one.

use crate::views::Views;

pub struct FeedBox {
    pub url: String,
    pub webcal: String,
    /// Where the reset form posts, the token it carries, and whose feed it resets (the
    /// owner's id; "" for the signed-in person's own).
    pub reset_action: String,
    pub csrf: String,
    pub id: String,
}

impl FeedBox {
    /// The address of the feed with `secret`, reset by a form to `reset_action`.
    pub fn new(views: &Views, secret: &str, reset_action: String, csrf: &str, id: String) -> Self {
        let feed = views.feed_view(secret);
        FeedBox { url: feed.url, webcal: feed.webcal_url, reset_action, csrf: csrf.to_string(), id }
    }
}
