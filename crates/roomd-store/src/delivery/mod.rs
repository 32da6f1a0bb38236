//! The events outbox: recording, delivery order, retention.

pub(crate) mod events;
pub(crate) mod outbox;
pub(crate) mod outbox_heads;
pub(crate) mod outbox_horizon;
#[cfg(test)]
pub(crate) mod outbox_plans;
pub(crate) mod outbox_retention;
