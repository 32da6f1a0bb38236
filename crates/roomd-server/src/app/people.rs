//! Who a meeting is for, as the booking and editing forms take it: colleagues found in
//! the directory (ticked), and guests (a row each: name, phone, email). The forms post
//! them as repeated fields; a search or another guest row is a button of the form.

use roomd_core::directory::User;
use roomd_core::meeting::{AttendeeDraft, Meeting};
use roomd_core::{Caller, UserId};
use roomd_store::StoreResult;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::person::Person;
use super::words::Words;
use crate::state::AppState;

/// How many people a directory search offers.
const MATCHES: usize = 20;

/// The people fields as posted.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct People {
    /// Chosen colleagues' user ids.
    pub attendees: Vec<String>,
    /// A name (or account, phone, email) to look for in the directory.
    pub who: String,
    pub guests: Vec<Guest>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Guest {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// Builds `People` from posted pairs, guests' fields paired up by position.
#[derive(Default)]
pub struct Reader {
    people: People,
    names: Vec<String>,
    phones: Vec<String>,
    emails: Vec<String>,
}

impl Reader {
    /// Takes the pair if it is a people field; `false` for any other.
    pub fn take(&mut self, key: &str, value: &str) -> bool {
        match key {
            "attendee" if !self.people.attendees.iter().any(|a| a == value) => self.people.attendees.push(value.into()),
            "attendee" => {}
            "who" => self.people.who = value.into(),
            "guest_name" => self.names.push(value.trim().into()),
            "guest_phone" => self.phones.push(value.trim().into()),
            "guest_email" => self.emails.push(value.trim().into()),
            _ => return false,
        }
        true
    }

    pub fn finish(self) -> People {
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        let rows = self.names.len().max(self.phones.len()).max(self.emails.len());
        let guests = (0..rows)
            .map(|i| Guest { name: at(&self.names, i), phone: at(&self.phones, i), email: at(&self.emails, i) })
            .filter(|g| !(g.name.is_empty() && g.phone.is_empty() && g.email.is_empty()))
            .collect();
        People { guests, ..self.people }
    }
}

impl People {
    /// Who `m` is for besides its booker, as the edit form starts.
    pub fn of(m: &Meeting) -> People {
        let attendees = m.attendances.iter().filter_map(|a| a.user.as_ref()).filter(|u| **u != m.booker);
        let guests = m.attendances.iter().filter(|a| a.user.is_none());
        People {
            attendees: attendees.map(|u| u.to_string()).collect(),
            who: String::new(),
            guests: guests
                .map(|a| Guest { name: a.name.clone(), phone: a.phone.clone(), email: a.email.clone() })
                .collect(),
        }
    }

    /// Whether the same colleagues and guests are on both, in any order.
    pub fn same_as(&self, other: &People) -> bool {
        let key = |p: &People| {
            let mut ids = p.attendees.clone();
            ids.sort();
            let mut guests: Vec<(String, String, String)> =
                p.guests.iter().map(|g| (g.name.clone(), g.phone.clone(), g.email.clone())).collect();
            guests.sort();
            (ids, guests)
        };
        key(self) == key(other)
    }

    /// The attendance list: `booker` first, then the chosen colleagues, then the guests
    /// (each needs a name).
    pub fn drafts(&self, booker: &UserId, w: &'static Words) -> Result<Vec<AttendeeDraft>, &'static str> {
        let mut out = vec![AttendeeDraft { user: Some(booker.clone()), ..Default::default() }];
        for id in self.attendees.iter().filter(|id| *id != booker.as_str()) {
            let user = UserId::parse("attendee", id).map_err(|_| w.book_bad_attendee)?;
            out.push(AttendeeDraft { user: Some(user), ..Default::default() });
        }
        for g in &self.guests {
            if g.name.is_empty() {
                return Err(w.book_guest_name);
            }
            let given = |v: &String| Some(v.clone()).filter(|v| !v.is_empty());
            let guest = AttendeeDraft {
                name: Some(g.name.clone()),
                phone: given(&g.phone),
                email: given(&g.email),
                ..Default::default()
            };
            out.push(guest);
        }
        Ok(out)
    }
}

/// The people part of a form as shown: the chosen colleagues (ticked), the search's
/// matches when there was one, and the guest rows with one empty for the next.
pub struct PeopleView {
    pub who: String,
    pub chosen: Vec<Colleague>,
    pub matches: Option<Vec<Colleague>>,
    pub guests: Vec<Guest>,
}

/// A colleague as the form lists them (and `people.js` reads them).
#[derive(serde::Serialize)]
pub struct Colleague {
    pub id: String,
    pub name: String,
    pub detail: String,
}

impl PeopleView {
    /// `people` as the form shows them to `me`; `step` is the button pressed (`search`
    /// lists the matches, `guest` adds a row). Only the people named, and a search's few
    /// matches, are read: never the whole directory.
    pub async fn load(app: &AppState, caller: &Caller, people: &People, me: &UserId, step: &str) -> StoreResult<Self> {
        let ids = people.attendees.iter().filter_map(|id| UserId::parse("attendee", id).ok()).collect();
        let named = app.store.users_among(caller, ids).await?;
        // Kept in the order they were chosen.
        let chosen = people
            .attendees
            .iter()
            .filter_map(|id| named.iter().find(|u| u.id.as_str() == id && &u.id != me))
            .map(listed)
            .collect();
        let matches = match step {
            "search" => {
                let found =
                    app.store.find_colleagues(caller, people.who.clone(), MATCHES + 1 + people.attendees.len()).await?;
                let fresh =
                    found.iter().filter(|u| &u.id != me && !people.attendees.iter().any(|a| a == u.id.as_str()));
                Some(fresh.take(MATCHES).map(listed).collect())
            }
            _ => None,
        };
        let mut guests = people.guests.clone();
        guests.push(Guest::default());
        if step == "guest" {
            guests.push(Guest::default());
        }
        Ok(PeopleView { who: people.who.clone(), chosen, matches, guests })
    }
}

/// A colleague by name, with their position (or account) to tell two of a name apart.
fn listed(u: &User) -> Colleague {
    let detail = if u.position.is_empty() { &u.account } else { &u.position };
    Colleague { id: u.id.to_string(), name: u.name.clone(), detail: detail.clone() }
}

#[derive(Debug, serde::Deserialize)]
pub struct Query {
    #[serde(default)]
    q: String,
}

/// GET /app/people?q= — the colleagues a search finds (as the forms' Find button finds
/// them, the person left out), as JSON for `people.js`.
pub async fn found(
    State(app): State<AppState>,
    person: Person,
    axum::extract::Query(q): axum::extract::Query<Query>,
) -> Response {
    let me = &person.s.user.id;
    match app.store.find_colleagues(&person.s.caller, q.q, MATCHES + 1).await {
        Ok(users) => {
            Json(users.iter().filter(|u| &u.id != me).take(MATCHES).map(listed).collect::<Vec<_>>()).into_response()
        }
        Err(e) => person.failed(&e),
    }
}
