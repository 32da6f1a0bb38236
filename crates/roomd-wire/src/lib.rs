//! Vendor wire types: what goes over HTTP, exactly as the seed documents spell it.
//! No I/O and no domain rules live here; the server maps domain values to these types.

pub mod board;
mod codes;
pub mod event_crypto;
pub mod feishu;
pub mod h5;
