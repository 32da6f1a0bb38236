//! What leaves roomd: the events outbox (recording, delivery order, retention) and mail.

pub(crate) mod events;
pub(crate) mod mail;
pub(crate) mod mail_links;
pub(crate) mod mail_reminders;
pub(crate) mod outbox;
pub(crate) mod outbox_heads;
pub(crate) mod outbox_horizon;
#[cfg(test)]
pub(crate) mod outbox_plans;
pub(crate) mod outbox_retention;
