//! What reaches the occurrences of a series: the scope of a change, and the reason given.

use crate::directory::text;
use crate::{DomainError, DomainResult};

/// Which occurrences of a series an update or a cancel reaches, from the one it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The named occurrence alone (and a single meeting).
    #[default]
    This,
    /// It and every later occurrence of its series.
    Following,
    /// Every occurrence of its series (still to come).
    All,
}

impl Scope {
    /// `this`, `following` or `all`; anything else is 71001.
    pub fn parse(raw: &str) -> DomainResult<Scope> {
        match raw.trim() {
            "this" => Ok(Scope::This),
            "following" => Ok(Scope::Following),
            "all" => Ok(Scope::All),
            _ => Err(DomainError::invalid("scope", "this, following or all")),
        }
    }
}

/// A reason given on a cancel or a rejection: at most 500 characters.
pub fn reason_text(raw: &str) -> DomainResult<String> {
    text("reason", raw, 500, false)
}
