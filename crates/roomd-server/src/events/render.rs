//! A change as the seed's event JSON: `{"event_type", "value"}`, plus `"EventType"` with
//! the same value for receivers written from DingTalk's samples (docs/wire-compat.md).
//! Additions and updates carry a list of objects shaped as the API returns them; removals
//! and cancellations a list of ids.

use roomd_core::event::{Change, EventRender};
use serde::Serialize;

use crate::views::{Views, dept_view, room_view};

pub struct Renderer {
    views: Views,
}

/// The event as sent: serialised straight from the typed views (no `Value` tree), since
/// it is rendered in the writer's transaction, on the path of every change.
#[derive(Serialize)]
struct Event<'a, T> {
    event_type: &'a str,
    #[serde(rename = "EventType")]
    event_type_again: &'a str,
    value: &'a [T],
}

fn text<T: Serialize>(kind: &str, value: T) -> String {
    list(kind, &[value])
}

fn list<T: Serialize>(kind: &str, value: &[T]) -> String {
    serde_json::to_string(&Event { event_type: kind, event_type_again: kind, value }).unwrap_or_else(|e| {
        // Only a map with non-text keys fails to serialise, and the views have none.
        tracing::error!(error = %e, event = kind, "cannot render an event");
        format!(r#"{{"event_type":"{kind}","EventType":"{kind}","value":[]}}"#)
    })
}

impl Renderer {
    pub fn new(views: Views) -> Self {
        Renderer { views }
    }
}

impl EventRender for Renderer {
    fn render(&self, company: &str, change: &Change) -> String {
        let kind = change.event_type();
        match change {
            Change::MeetingBooked(m) | Change::MeetingUpdated(m) => text(kind, self.views.meeting_view(company, m)),
            Change::RoomAdded(r) | Change::RoomUpdated(r) => text(kind, room_view(r)),
            Change::UserAdded(u) | Change::UserUpdated(u) => text(kind, self.views.user_view(company, u)),
            Change::DeptAdded(d) | Change::DeptUpdated(d) => text(kind, dept_view(d)),
            Change::MeetingCancelled(id) => text(kind, id.as_str()),
            Change::SeriesBooked(list_of) | Change::SeriesUpdated(list_of) => {
                let views: Vec<_> = list_of.iter().map(|m| self.views.meeting_view(company, m)).collect();
                list(kind, &views)
            }
            Change::SeriesCancelled(ids) => list(kind, &ids.iter().map(|id| id.as_str()).collect::<Vec<_>>()),
            Change::RoomRemoved(id) => text(kind, id.as_str()),
            Change::UserRemoved(id) => text(kind, id.as_str()),
            Change::DeptRemoved(id) => text(kind, id.as_str()),
        }
    }
}
