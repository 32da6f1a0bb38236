//! Event payloads at rest: stored compressed on both backends, read back byte for byte
//! by delivery and by a replay, and payloads stored before compression read as they were.

use std::sync::Arc;

use roomd_core::directory::DeptPatch;
use roomd_core::event::{Change, EventRender};

use super::events::{subscribe, success};
use super::{backends, booker_and_room, booking};

/// Renders an event as its type and everything in the change (a long, repetitive text).
struct Full;

impl EventRender for Full {
    fn render(&self, _company: &str, change: &Change) -> String {
        format!("{} {change:?} {change:?}", change.event_type())
    }
}

#[tokio::test]
async fn payloads_are_stored_compressed_and_delivered_as_rendered() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Full));
        let (c, booker, r) = booker_and_room(&b.store).await;
        subscribe(&b.store, &c).await;
        let meeting = b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("book");
        let booked = Full.render("", &Change::MeetingBooked(meeting));
        b.store.add_dept(&c, None, DeptPatch { name: Some("研发部".into()), ..Default::default() }).await.expect("dept");
        // An event stored by a version before compression, as its migration left it.
        b.execute(&format!(
            "INSERT INTO events (company_id, event_type, payload, created_ms, next_attempt_ms) \
             VALUES ('{}', 'dept_add', {}, 0, 0)",
            c.company.as_str(),
            b.stored_payload("stored as it was")
        ))
        .await;

        let head = b.store.claim_events("w", 30_000, 10).await.expect("claim").remove(0);
        assert_eq!(head.payload, booked, "{}: the booking's event as rendered", b.name);
        let stored = b.number(&format!("SELECT CAST(length(payload) AS BIGINT) FROM events WHERE seq = {}", head.seq)).await;
        assert!((stored as usize) * 2 < booked.len(), "{}: {stored} bytes stored for {}", b.name, booked.len());

        let dept = b.store.record_attempt("w", head.seq, success(), 30_000).await.expect("record").next.expect("next");
        assert!(dept.payload.starts_with("dept_add DeptAdded(") && dept.payload.contains("研发部"), "{}", dept.payload);
        let legacy = b.store.record_attempt("w", dept.seq, success(), 30_000).await.expect("record").next.expect("next");
        assert_eq!(legacy.payload, "stored as it was", "{}", b.name);
        let last = b.store.record_attempt("w", legacy.seq, success(), 30_000).await.expect("record");
        assert!(last.next.is_none(), "{}", b.name);

        // A replay copies the stored bytes: the receiver gets the same payload again.
        b.store.replay_event(&c, head.seq).await.expect("replay");
        let again = b.store.claim_events("w", 30_000, 10).await.expect("claim").remove(0);
        assert_eq!((again.seq > legacy.seq, again.payload.as_str()), (true, booked.as_str()), "{}", b.name);
    }
}
