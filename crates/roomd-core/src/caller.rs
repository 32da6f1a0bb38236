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
    /// A check-in board (its device id).
    Board(String),
    /// An admin signed in to the web console (their user id).
    Console(String),
    /// An employee signed in to the app (`/app/`; their user id).
    Person(String),
}

impl Actor {
    /// Who did it, as `created_by`/`updated_by` fields record: the appkey, or `board:ID`.
    pub fn name(&self) -> String {
        match self {
            Actor::App(appkey) => appkey.clone(),
            Actor::Board(device) => format!("board:{device}"),
            Actor::Console(user) => format!("console:{user}"),
            Actor::Person(user) => format!("app:{user}"),
        }
    }
}
