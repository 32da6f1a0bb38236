//! Events on both backends: recorded with the change that makes them, only for a
//! subscribed company, and delivered once each, in commit order, by any process.

use std::sync::Arc;

use roomd_core::DomainError;
use roomd_core::directory::DeptPatch;
use roomd_core::meeting::{AttendeeDraft, BookingDraft};
use roomd_core::room::RoomPatch;

use super::{backends, booker_and_room, booking, company, postgres_client, refused, room, user};

/// Renders an event as its type and the id of what changed.
pub(super) struct Plain;

impl roomd_core::event::EventRender for Plain {
    fn render(&self, _company: &str, change: &roomd_core::event::Change) -> String {
        format!("{} {change:?}", change.event_type()).chars().take(60).collect()
    }
}

/// Subscribes `c` to a receiver that is never called here (the tests claim events).
pub(super) async fn subscribe(store: &roomd_store::Store, c: &roomd_core::Caller) {
    let keys = store.refresh_event_keys(c).await.expect("keys");
    store.save_event_subscription(c, roomd_store::Subscription { url: "http://x".into(), ..keys }).await.expect("save");
}

/// Two new companies, each subscribed.
pub(super) async fn two_subscribed(store: &roomd_store::Store) -> (roomd_core::Caller, roomd_core::Caller) {
    let (a, b) = (company(store).await, company(store).await);
    for c in [&a, &b] {
        subscribe(store, c).await;
    }
    (a, b)
}

/// An attempt that succeeded.
pub(super) fn success() -> roomd_store::Attempt {
    roomd_store::Attempt { ok: true, outcome: "success".into(), duration_ms: 1, retry_at_ms: None }
}

/// Records a success for `head`, then for each next event its record claims: the seqs of
/// the company's line as `owner` delivered it.
async fn deliver_line(store: &roomd_store::Store, owner: &str, head: roomd_store::ClaimedEvent) -> Vec<i64> {
    let (mut delivered, mut next) = (Vec::new(), Some(head));
    while let Some(e) = next {
        delivered.push(e.seq);
        next = store.record_attempt(owner, e.seq, success(), 30_000).await.expect("record").next;
    }
    delivered
}

/// A booking records its `book_success` with itself (on PostgreSQL in the booking's one
/// statement): one per meeting booked, in booking order, none for a refused booking and
/// none for a company without a subscription.
#[tokio::test]
async fn bookings_record_their_events_only_when_booked_and_subscribed() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Plain));
        let subscribed = company(&b.store).await;
        subscribe(&b.store, &subscribed).await;
        let quiet = company(&b.store).await;
        for c in [&subscribed, &quiet] {
            let booker = user(&b.store, c, "booker").await;
            let r = room(&b.store, c, RoomPatch::default()).await;
            for h in [9, 11, 13] {
                b.store.book_meeting(c, booking(&r, &booker, h, h + 1)).await.expect("book");
            }
            let overlap = b.store.book_meeting(c, booking(&r, &booker, 9, 10)).await;
            assert_eq!(refused(overlap), DomainError::RoomOccupied, "{}", b.name);
            let alone = BookingDraft { attendees: vec![], ..booking(&r, &booker, 15, 16) };
            b.store.book_meeting(c, alone).await.expect("book without attendees");
            // More attendees than one statement takes (PostgreSQL books them in a transaction).
            let guest = |i| AttendeeDraft { name: Some(format!("guest {i}")), ..Default::default() };
            let crowd = BookingDraft { attendees: (0..501).map(guest).collect(), ..booking(&r, &booker, 17, 18) };
            b.store.book_meeting(c, crowd).await.expect("book 501 attendees");
            let hall = BookingDraft { attendees: (0..1001).map(guest).collect(), ..booking(&r, &booker, 19, 20) };
            let refused_hall = refused(b.store.book_meeting(c, hall).await);
            assert!(matches!(refused_hall, DomainError::Invalid { field: "attendances", .. }), "{}", b.name);
        }
        let mut events = b.store.event_deliveries(&subscribed, None, 100).await.expect("deliveries");
        events.reverse();
        let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(
            types,
            ["user_add", "room_add", "book_success", "book_success", "book_success", "book_success", "book_success"],
            "{}",
            b.name
        );
        assert!(events.windows(2).all(|w| w[0].seq < w[1].seq), "{}", b.name);
        assert!(b.store.event_deliveries(&quiet, None, 100).await.expect("deliveries").is_empty(), "{}", b.name);
        let first = b.store.claim_events("t", 30_000, 10).await.expect("claim");
        assert_eq!(first.len(), 1, "{}: the head of the company's line", b.name);
        assert!(first[0].payload.starts_with("user_add"), "{}: {}", b.name, first[0].payload);
    }
}

/// A stopped subscription records nothing (a booking prepared while the company looked
/// subscribed included) until it is saved again; what was recorded before is still sent.
#[tokio::test]
async fn stopped_events_are_not_recorded_until_the_subscription_is_saved_again() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Plain));
        let (c, booker, r) = booker_and_room(&b.store).await;
        subscribe(&b.store, &c).await;
        b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("book");
        b.store.stop_events(&c).await.expect("stop");
        let stopped = b.store.event_subscription(&c).await.expect("get").expect("kept");
        assert!(!stopped.enabled && stopped.url == "http://x", "{}: {stopped:?}", b.name);
        b.store.book_meeting(&c, booking(&r, &booker, 11, 12)).await.expect("book while stopped");
        let head = b.store.claim_events("t", 30_000, 10).await.expect("claim");
        assert_eq!(head.len(), 1, "{}: recorded before the stop, sent while stopped", b.name);
        b.store.save_event_subscription(&c, stopped).await.expect("saved again");
        b.store.book_meeting(&c, booking(&r, &booker, 13, 14)).await.expect("book");
        let events = b.store.event_deliveries(&c, None, 100).await.expect("deliveries");
        let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(types, ["book_success", "book_success"], "{}: the booking while stopped has none", b.name);
        assert_eq!(head[0].seq, events[1].seq, "{}: the event sent while stopped", b.name);
    }
}

#[tokio::test]
async fn two_stores_on_one_database_never_hold_the_same_event_and_keep_each_company_in_order() {
    for b in backends().await {
        b.store.render_events_with(std::sync::Arc::new(Plain));
        let mut companies = Vec::new();
        for _ in 0..6 {
            let c = company(&b.store).await;
            subscribe(&b.store, &c).await;
            for i in 0..4 {
                let patch = DeptPatch { name: Some(format!("d{i}")), ..Default::default() };
                b.store.add_dept(&c, None, patch).await.expect("dept");
            }
            companies.push(c);
        }
        let other = b.another_store().await;
        // A deliverer that crashes holding a lease: the event comes back when it expires.
        let lost = b.store.claim_events("crashed", 30_000, 1).await.expect("claim");
        assert_eq!(lost.len(), 1, "{}", b.name);
        let ticket = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let deliverers = [(b.store.clone(), "a"), (other.clone(), "b")].map(|(store, owner)| {
            let ticket = ticket.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                for _ in 0..200 {
                    for first in store.claim_events(owner, 30_000, 3).await.expect("claim") {
                        let mut next = Some(first);
                        while let Some(e) = next {
                            // The order of delivery across both deliverers.
                            let ticket = ticket.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            got.push((ticket, e.company.clone(), e.seq));
                            let recorded = store.record_attempt(owner, e.seq, success(), 30_000).await.expect("record");
                            assert!(recorded.held);
                            next = recorded.next;
                        }
                    }
                    tokio::task::yield_now().await;
                }
                got
            })
        });
        let mut all = Vec::new();
        for d in deliverers {
            all.extend(d.await.expect("deliverer"));
        }
        all.sort();
        let all: Vec<(String, i64)> = all.into_iter().map(|(_, company, seq)| (company, seq)).collect();
        assert_eq!(all.len(), 5 * 4, "{}: the crashed lease's company waits behind its head", b.name);
        b.clock.advance(31_000);
        let again = b.store.claim_events("c", 30_000, 10).await.expect("claim");
        assert_eq!(again.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![lost[0].seq], "{}", b.name);
        let mut seqs: Vec<i64> = all.iter().map(|(_, s)| *s).collect();
        seqs.sort();
        seqs.dedup();
        assert_eq!(seqs.len(), 20, "{}: no event delivered twice", b.name);
        for c in &companies {
            let mine: Vec<i64> = all.iter().filter(|(co, _)| co == c.company.as_str()).map(|(_, s)| *s).collect();
            assert!(mine.windows(2).all(|w| w[0] < w[1]), "{}: {mine:?} in commit order", b.name);
        }
        other.close().await;
    }
}

/// A company subscribed by another process after this one's last booking for it: the
/// next booking records its event all the same (a booking prepared off SQLite's writer
/// renders its event only when the company looked subscribed; the writer checks again).
#[tokio::test]
async fn a_subscription_begun_elsewhere_between_two_bookings_gets_the_second_one() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Plain));
        let (c, booker, r) = booker_and_room(&b.store).await;
        b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("booked before");
        let other = b.another_store().await;
        subscribe(&other, &c).await;
        let m = b.store.book_meeting(&c, booking(&r, &booker, 11, 12)).await.expect("booked after");
        let events = b.store.event_deliveries(&c, None, 100).await.expect("deliveries");
        assert_eq!(events.len(), 1, "{}: {events:?}", b.name);
        assert_eq!(events[0].event_type, "book_success", "{}", b.name);
        let head = b.store.claim_events("t", 30_000, 10).await.expect("claim");
        let rendered = roomd_core::event::EventRender::render(&Plain, "", &roomd_core::event::Change::MeetingBooked(m));
        assert_eq!(head[0].payload, rendered, "{}: the second booking's event", b.name);
        other.close().await;
    }
}

/// Events committed after the delivery worker claimed its companies' heads are in the
/// delivery log and in line like the others: the log pages back through all of them,
/// newest first, and each company's line runs on from its head, in order, never into
/// another company's events.
#[tokio::test]
async fn events_after_a_claim_are_listed_and_delivered_in_order() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Plain));
        let (a, other) = two_subscribed(&b.store).await;
        let dept = |c: &roomd_core::Caller, name: String| {
            let (store, c) = (b.store.clone(), c.clone());
            async move { store.add_dept(&c, None, DeptPatch { name: Some(name), ..Default::default() }).await }
        };
        for i in 0..3 {
            dept(&a, format!("a{i}")).await.expect("dept");
            dept(&other, format!("o{i}")).await.expect("dept");
        }
        // The worker looks: each company's head is claimed.
        let heads = b.store.claim_events("w", 30_000, 10).await.expect("claim");
        assert_eq!(heads.len(), 2, "{}", b.name);
        for i in 3..5 {
            dept(&a, format!("a{i}")).await.expect("dept");
            dept(&other, format!("o{i}")).await.expect("dept");
        }

        let log = b.store.event_deliveries(&a, None, 100).await.expect("deliveries");
        let seqs: Vec<i64> = log.iter().map(|d| d.seq).collect();
        assert_eq!(seqs.len(), 5, "{}: {seqs:?}", b.name);
        assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{}: newest first, {seqs:?}", b.name);
        for (before, expected) in [(None, &seqs[0..2]), (Some(seqs[0]), &seqs[1..3]), (Some(seqs[2]), &seqs[3..5])] {
            let page = b.store.event_deliveries(&a, before, 2).await.expect("page");
            assert_eq!(page.iter().map(|d| d.seq).collect::<Vec<_>>(), expected, "{}: before {before:?}", b.name);
        }

        // Each company's line, from its head through the events committed after the claim.
        for head in heads {
            let mine =
                b.store.event_deliveries(if head.company == a.company.as_str() { &a } else { &other }, None, 100);
            let mut expected: Vec<i64> = mine.await.expect("deliveries").iter().map(|d| d.seq).collect();
            expected.reverse();
            let delivered = deliver_line(&b.store, "w", head).await;
            assert_eq!(delivered, expected, "{}: one company's line, in order", b.name);
        }
        assert!(b.store.claim_events("w", 30_000, 10).await.expect("claim").is_empty(), "{}", b.name);
        let log = b.store.event_deliveries(&a, None, 100).await.expect("deliveries");
        assert!(log.iter().all(|d| d.state == "delivered"), "{}: {log:?}", b.name);
    }
}

/// On PostgreSQL an event can commit after a later-numbered one. While its transaction
/// is open, the later events wait (they are not claimed); once it commits it is claimed
/// first and the others follow: nothing is skipped and the line keeps its order.
#[tokio::test]
async fn an_event_still_to_commit_holds_back_later_ones_and_is_not_skipped() {
    for b in backends().await.into_iter().filter(|b| b.name == "postgres") {
        b.store.render_events_with(Arc::new(Plain));
        let c = company(&b.store).await;
        subscribe(&b.store, &c).await;
        // Another writer records an event and has not committed yet.
        let slow = postgres_client(&b.url).await;
        slow.batch_execute("BEGIN").await.expect("begin");
        let company_id = c.company.as_str();
        slow.execute(
            "INSERT INTO events (company_id, event_type, payload, created_ms, next_attempt_ms) \
             SELECT $1, 'dept_add', 'slow one', 0, 0 WHERE pg_current_xact_id() IS NOT NULL",
            &[&company_id],
        )
        .await
        .expect("an event in an open transaction");
        b.store.add_dept(&c, None, DeptPatch { name: Some("later".into()), ..Default::default() }).await.expect("dept");
        assert!(b.store.claim_events("w", 30_000, 10).await.expect("claim").is_empty(), "the later event waits");
        assert!(b.store.events_unsettled());
        slow.batch_execute("COMMIT").await.expect("commit");
        let first = b.store.claim_events("w", 30_000, 10).await.expect("claim");
        assert_eq!(first.iter().map(|e| e.payload.as_str()).collect::<Vec<_>>(), ["slow one"]);
        let recorded = b.store.record_attempt("w", first[0].seq, success(), 30_000).await.expect("record");
        let next = recorded.next.expect("the later event follows");
        assert!(next.seq > first[0].seq && next.payload.starts_with("dept_add"), "{}", next.payload);
        assert!(!b.store.events_unsettled());
    }
}

/// A line upgraded from before the delivery cursor (migration 11), where a replay had
/// made an old event pending again in place, has delivered events past its cursor: they
/// are stepped over, a run of them at once, and the pending events around them are still
/// delivered, in order, while another company's line goes on alike.
#[tokio::test]
async fn done_events_past_the_cursor_are_stepped_over() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Plain));
        let (c, other) = two_subscribed(&b.store).await;
        for i in 0..6 {
            let dept = DeptPatch { name: Some(format!("d{i}")), ..Default::default() };
            b.store.add_dept(&c, None, dept).await.expect("dept");
        }
        let dept = DeptPatch { name: Some("o".into()), ..Default::default() };
        b.store.add_dept(&other, None, dept).await.expect("dept");
        let mut seqs: Vec<i64> =
            b.store.event_deliveries(&c, None, 10).await.expect("deliveries").iter().map(|d| d.seq).collect();
        seqs.reverse();
        let done = [seqs[1], seqs[2], seqs[4]].map(|s| s.to_string()).join(", ");
        b.execute(&format!("UPDATE events SET state = 1 WHERE seq IN ({done})")).await;

        let mut delivered = Vec::new();
        for _ in 0..20 {
            let claimed = b.store.claim_events("w", 30_000, 10).await.expect("claim");
            if claimed.is_empty() {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            for head in claimed {
                delivered.extend(deliver_line(&b.store, "w", head).await);
            }
        }
        let theirs = b.store.event_deliveries(&other, None, 10).await.expect("deliveries")[0].seq;
        let mine: Vec<i64> = delivered.iter().copied().filter(|s| *s != theirs).collect();
        assert_eq!(mine, [seqs[0], seqs[3], seqs[5]], "{}", b.name);
        assert!(delivered.contains(&theirs), "{}: the other company's event", b.name);
    }
}
