//! Event subscription, the server's half: how an event looks on the wire, how it is sent
//! (encrypted and signed, docs/wire-compat.md), the worker that delivers the outbox, and the
//! removal of finished events past their retention.

pub mod destinations;
pub mod receiver;
mod render;
pub mod retention;
mod send;
pub mod subscribe;
mod worker;

pub use destinations::Destinations;
pub use render::Renderer;
pub use send::{Keys, MARK, Webhooks, install_tls, send};
pub use worker::Worker;
