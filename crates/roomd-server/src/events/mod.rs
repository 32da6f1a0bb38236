//! Event subscription, the server's half: how an event looks on the wire, how it is sent
//! (encrypted and signed, decisions.md §4), and the worker that delivers the outbox.

mod render;
mod send;
pub mod subscribe;
mod worker;

pub use render::Renderer;
pub use send::{Keys, client, install_tls, send};
pub use worker::Worker;
