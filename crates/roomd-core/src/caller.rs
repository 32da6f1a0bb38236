use chrono_tz::Tz;

use crate::{CompanyId, DomainError, UserId};

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
    /// An employee signed in to the app (`/app/`): their user id, and whether they are
    /// an admin (who may change any meeting; the others only what they booked).
    Person { user: String, admin: bool },
}

impl Caller {
    /// Refuses (`NotYours`) an employee changing, approving or booking for someone else:
    /// in the app a person acts only as themselves and changes only the meetings they
    /// booked, unless they are an admin. Every other caller (an integrator, a board, the
    /// console) is trusted with the whole company.
    pub fn check_acts_for(&self, booker: &UserId) -> Result<(), DomainError> {
        match &self.actor {
            Actor::Person { user, admin: false } if user != booker.as_str() => Err(DomainError::NotYours),
            _ => Ok(()),
        }
    }

    /// Refuses (`NotYours`) a decision only an admin or an integration takes, such as
    /// approving a booking, from an employee in the app who is not an admin.
    pub fn check_may_approve(&self) -> Result<(), DomainError> {
        match &self.actor {
            Actor::Person { admin: false, .. } => Err(DomainError::NotYours),
            _ => Ok(()),
        }
    }
}

impl Actor {
    /// Who did it, as `created_by`/`updated_by` fields record: the appkey, or `board:ID`.
    pub fn name(&self) -> String {
        match self {
            Actor::App(appkey) => appkey.clone(),
            Actor::Board(device) => format!("board:{device}"),
            Actor::Console(user) => format!("console:{user}"),
            Actor::Person { user, .. } => format!("app:{user}"),
        }
    }
}
