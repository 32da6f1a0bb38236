use chrono_tz::Tz;

use crate::CompanyId;

/// Who is calling, once a dialect's extractor has authenticated the request. Every store
/// method takes it, and every query is scoped by its `company`.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub company: CompanyId,
    /// The company's time zone: bookable hours and filter strings are read in it.
    pub tz: Tz,
    pub actor: Actor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// An integrator's app credential (appkey).
    App(String),
}
