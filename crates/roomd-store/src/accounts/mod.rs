//! Companies, credentials and tokens, console accounts and sign-in.

pub(crate) mod company;
pub(crate) mod console;
pub(crate) mod sessions;
pub(crate) mod sign_in;
pub(crate) mod tenancy;
