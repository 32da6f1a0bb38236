//! A change as the seed's event JSON: `{"event_type", "value"}`, plus `"EventType"` with
//! the same value for receivers written from DingTalk's samples (decisions.md §4).
//! Additions and updates carry a list of objects shaped as the API returns them; removals
//! and cancellations a list of ids.

use roomd_core::event::{Change, EventRender};
use serde_json::{Value, json};

use crate::views::{Views, dept_view, room_view};

pub struct Renderer {
    views: Views,
}

impl Renderer {
    pub fn new(views: Views) -> Self {
        Renderer { views }
    }

    fn value(&self, company: &str, change: &Change) -> Value {
        let one = |v: Result<Value, serde_json::Error>| Value::Array(vec![v.unwrap_or(Value::Null)]);
        match change {
            Change::MeetingBooked(m) | Change::MeetingUpdated(m) => {
                one(serde_json::to_value(self.views.meeting_view(company, m)))
            }
            Change::RoomAdded(r) | Change::RoomUpdated(r) => one(serde_json::to_value(room_view(r))),
            Change::UserAdded(u) | Change::UserUpdated(u) => {
                one(serde_json::to_value(self.views.user_view(company, u)))
            }
            Change::DeptAdded(d) | Change::DeptUpdated(d) => one(serde_json::to_value(dept_view(d))),
            Change::MeetingCancelled(id) => json!([id.as_str()]),
            Change::RoomRemoved(id) => json!([id.as_str()]),
            Change::UserRemoved(id) => json!([id.as_str()]),
            Change::DeptRemoved(id) => json!([id.as_str()]),
        }
    }
}

impl EventRender for Renderer {
    fn render(&self, company: &str, change: &Change) -> String {
        let kind = change.event_type();
        json!({"event_type": kind, "EventType": kind, "value": self.value(company, change)}).to_string()
    }
}
