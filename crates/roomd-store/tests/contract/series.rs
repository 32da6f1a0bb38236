//! Series on both backends: overlapping series and single bookings from many clients on
//! two stores at once leave no two meetings of the room overlapping; a lost race is a
//! refusal naming the occurrences, never an internal error; a series is one event.

use roomd_core::DomainError;
use roomd_core::meeting::{BookingDraft, MeetingQuery};
use roomd_core::recurrence::Recurrence;
use roomd_core::time::TimeSpan;
use roomd_store::StoreError;

use super::{DAY, HOUR, backends, booker_and_room, booking};

#[tokio::test]
async fn racing_series_and_single_bookings_never_overlap() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let stores = [b.store.clone(), b.another_store().await];
        for round in 0..6i64 {
            let base = DAY + round * 30 * 24 * HOUR + 9 * HOUR;
            let tasks: Vec<_> = (0..16i64)
                .map(|i| {
                    let (store, c) = (stores[(i % 2) as usize].clone(), c.clone());
                    // Daily series of ten sliding along one another, and single bookings
                    // landing on their third day.
                    let shift = i * HOUR / 8;
                    let at = if i % 4 == 3 { base + 2 * 24 * HOUR + shift } else { base + shift };
                    let span = TimeSpan::new(at, at + HOUR).expect("span");
                    let draft = BookingDraft { span, ..booking(&r, &booker, 9, 10) };
                    tokio::spawn(async move {
                        if i % 4 == 3 {
                            store.book_meeting(&c, draft).await.map(|m| vec![m])
                        } else {
                            let rule = Recurrence::parse("FREQ=DAILY;COUNT=10").expect("rule");
                            store.book_series(&c, draft, rule, i % 4 == 1).await.map(|s| s.booked)
                        }
                    })
                })
                .collect();
            for t in tasks {
                match t.await.expect("task") {
                    Ok(_) | Err(StoreError::Domain(DomainError::RoomOccupied | DomainError::Occurrences(_))) => {}
                    Err(e) => panic!("{}: round {round}: a lost race answered {e:?}", b.name),
                }
            }
        }
        let all = MeetingQuery { room: Some(r.clone()), end_after_ms: Some(DAY), ..Default::default() };
        let mut kept = b.store.list_meetings(&c, all).await.expect("list");
        assert!(kept.len() >= 6 * 10, "{}: a series a round at least: {}", b.name, kept.len());
        kept.sort_by_key(|m| m.span.begin_ms());
        for pair in kept.windows(2) {
            assert!(!pair[0].span.overlaps(pair[1].span), "{}: double booking {pair:?}", b.name);
        }
    }
}

#[tokio::test]
async fn a_refused_series_books_nothing_and_names_each_failing_occurrence() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let blocker = b.store.book_meeting(&c, booking(&r, &booker, 24 + 10, 24 + 11)).await.expect("book");
        let rule = Recurrence::parse("FREQ=DAILY;COUNT=3").expect("rule");
        let refused = b.store.book_series(&c, booking(&r, &booker, 10, 11), rule.clone(), false).await;
        match refused {
            Err(StoreError::Domain(DomainError::Occurrences(list))) => {
                assert_eq!(list, [(blocker.span.begin_ms(), DomainError::RoomOccupied)], "{}", b.name)
            }
            other => panic!("{}: {other:?}", b.name),
        }
        let all = MeetingQuery { room: Some(r.clone()), end_after_ms: Some(DAY), ..Default::default() };
        assert_eq!(b.store.list_meetings(&c, all.clone()).await.expect("list").len(), 1, "{}", b.name);
        let skipped = b.store.book_series(&c, booking(&r, &booker, 10, 11), rule, true).await.expect("series");
        assert_eq!((skipped.booked.len(), skipped.skipped.len()), (2, 1), "{}", b.name);
        assert!(skipped.booked.iter().all(|m| m.series_id == skipped.booked[0].series_id && !m.series_id.is_empty()));
    }
}

/// Renders an event as its type and how many meetings it lists.
struct Count;

impl roomd_core::event::EventRender for Count {
    fn render(&self, _company: &str, change: &roomd_core::event::Change) -> String {
        use roomd_core::event::Change;
        let n = match change {
            Change::SeriesBooked(list) | Change::SeriesUpdated(list) => list.len(),
            Change::SeriesCancelled(ids) => ids.len(),
            _ => 1,
        };
        format!("{} {n}", change.event_type())
    }
}

#[tokio::test]
async fn a_series_is_one_event_listing_every_occurrence() {
    for b in backends().await {
        b.store.render_events_with(std::sync::Arc::new(Count));
        let (c, booker, r) = booker_and_room(&b.store).await;
        super::events::subscribe(&b.store, &c).await;
        let rule = Recurrence::parse("FREQ=WEEKLY;COUNT=52").expect("rule");
        let series = b.store.book_series(&c, booking(&r, &booker, 10, 11), rule, false).await.expect("series");
        assert_eq!(series.booked.len(), 52, "{}", b.name);
        let events = b.store.event_deliveries(&c, None, 100).await.expect("deliveries");
        assert_eq!(events.len(), 1, "{}: one event", b.name);
        let head = b.store.claim_events("t", 30_000, 10).await.expect("claim");
        assert_eq!(head[0].payload, "book_success 52", "{}", b.name);
    }
}

/// A series' event is not written for a company seen without a subscription; once
/// another process subscribes it, the next series' event is recorded all the same.
#[tokio::test]
async fn a_series_event_reaches_a_company_subscribed_by_another_process() {
    for b in backends().await {
        b.store.render_events_with(std::sync::Arc::new(Count));
        let (c, booker, r) = booker_and_room(&b.store).await;
        let rule = Recurrence::parse("FREQ=WEEKLY;COUNT=52").expect("rule");
        b.store.book_series(&c, booking(&r, &booker, 10, 11), rule.clone(), false).await.expect("series");
        assert!(b.store.event_deliveries(&c, None, 100).await.expect("deliveries").is_empty(), "{}", b.name);
        let other = b.another_store().await;
        super::events::subscribe(&other, &c).await;
        b.store.book_series(&c, booking(&r, &booker, 12, 13), rule, false).await.expect("series");
        let events = b.store.event_deliveries(&c, None, 100).await.expect("deliveries");
        assert_eq!(events.len(), 1, "{}: the second series' event", b.name);
    }
}

/// A daily series moved a day later, every occurrence at once: each lands where the next
/// one was, and the database (PostgreSQL's own overlap check included) takes it.
#[tokio::test]
async fn a_series_moved_onto_its_own_days_is_saved_without_overlapping_itself() {
    for b in backends().await {
        let (c, booker, r) = booker_and_room(&b.store).await;
        let rule = Recurrence::parse("FREQ=DAILY;COUNT=5").expect("rule");
        let series = b.store.book_series(&c, booking(&r, &booker, 10, 11), rule, false).await.expect("series");
        let first = &series.booked[0];
        let all = MeetingQuery { series: Some(first.series_id.clone()), ..Default::default() };
        // A day later, then back: each time every occurrence lands where a neighbour was.
        for to in [24 * HOUR, 0] {
            let patch = roomd_core::meeting::MeetingPatch {
                begin_ms: Some(first.span.begin_ms() + to),
                end_ms: Some(first.span.end_ms() + to),
                ..Default::default()
            };
            let scope = roomd_core::meeting::Scope::All;
            b.store.update_in_scope(&c, first.id.clone(), patch, scope, None).await.expect("moved");
            let begins: Vec<i64> =
                b.store.list_meetings(&c, all.clone()).await.expect("list").iter().map(|m| m.span.begin_ms()).collect();
            let expected: Vec<i64> = (0..5).map(|d| first.span.begin_ms() + to + d * 24 * HOUR).collect();
            assert_eq!(begins, expected, "{}", b.name);
        }
    }
}

/// A change in scope is one event listing what it changed; a new rule is a cancel of
/// those it replaces, then the new series.
#[tokio::test]
async fn a_change_in_scope_is_one_event_listing_every_occurrence_it_changed() {
    use roomd_core::meeting::{MeetingPatch, Scope};
    for b in backends().await {
        b.store.render_events_with(std::sync::Arc::new(Count));
        let (c, booker, r) = booker_and_room(&b.store).await;
        super::events::subscribe(&b.store, &c).await;
        let rule = Recurrence::parse("FREQ=DAILY;COUNT=5").expect("rule");
        let series = b.store.book_series(&c, booking(&r, &booker, 10, 11), rule, false).await.expect("series");
        let third = series.booked[2].id.clone();
        let retitle = MeetingPatch { subject: Some("retro".into()), ..Default::default() };
        b.store.update_in_scope(&c, third.clone(), retitle, Scope::Following, None).await.expect("update");
        let new_rule = Some((Recurrence::parse("FREQ=DAILY;COUNT=2").expect("rule"), false));
        b.store.update_in_scope(&c, third, MeetingPatch::default(), Scope::Following, new_rule).await.expect("rule");
        b.store.cancel_in_scope(&c, series.booked[0].id.clone(), Scope::All, "over".into()).await.expect("cancel");
        let mut payloads = Vec::new();
        let mut next = b.store.claim_events("t", 30_000, 1).await.expect("claim").pop();
        while let Some(e) = next {
            payloads.push(e.payload.clone());
            next = b.store.record_attempt("t", e.seq, super::events::success(), 30_000).await.expect("record").next;
        }
        assert_eq!(
            payloads,
            ["book_success 5", "book_update 3", "book_cancel 3", "book_success 2", "book_cancel 2"],
            "{}",
            b.name
        );
    }
}
