//! The directory: users, departments, passwords.

pub(crate) mod colleagues;
pub(crate) mod departments;
pub(crate) mod directory;
pub(crate) mod passwords;
