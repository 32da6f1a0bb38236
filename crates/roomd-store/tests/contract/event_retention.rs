//! Event retention on both backends: a company's delivered and given-up events that
//! finished before the cutoff go, with their attempts; pending events stay whatever their
//! age, and each line runs on as before.

use std::sync::Arc;

use roomd_core::Caller;
use roomd_core::directory::DeptPatch;
use roomd_store::{Attempt, ClaimedEvent, Store};

use super::events::{Plain, success, two_subscribed};
use super::{DAY, backends};

/// An attempt that failed and is to be tried again at `at`.
fn failure(at: i64) -> Attempt {
    Attempt { ok: false, outcome: "HTTP 503".into(), duration_ms: 1, retry_at_ms: Some(at) }
}

/// Adds departments `names` to `c`: one `dept_add` event each.
async fn events(store: &Store, c: &Caller, names: &[&str]) {
    for name in names {
        store.add_dept(c, None, DeptPatch { name: Some(name.to_string()), ..Default::default() }).await.expect("dept");
    }
}

/// The company's head among the events claimed now.
async fn head(store: &Store, c: &Caller) -> ClaimedEvent {
    let claimed = store.claim_events("w", 30_000, 10).await.expect("claim");
    claimed.into_iter().find(|e| e.company == c.company.as_str()).expect("the company's head")
}

/// Records a success for `e`; the company's next event, now leased.
async fn delivered(store: &Store, e: &ClaimedEvent) -> ClaimedEvent {
    store.record_attempt("w", e.seq, success(), 30_000).await.expect("record").next.expect("a next event")
}

/// Prunes every line until nothing more goes; how many went.
async fn prune(store: &Store, before_ms: i64) -> u64 {
    let mut removed = 0;
    for line in store.event_lines().await.expect("lines") {
        loop {
            match store.prune_line(&line, before_ms).await.expect("prune") {
                0 => break,
                n => removed += n,
            }
        }
    }
    removed
}

async fn seqs(store: &Store, c: &Caller) -> Vec<i64> {
    let mut seqs: Vec<i64> = store.event_deliveries(c, None, 100).await.expect("log").iter().map(|d| d.seq).collect();
    seqs.reverse();
    seqs
}

#[tokio::test]
async fn finished_events_past_the_cutoff_go_with_their_attempts_and_lines_run_on() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Plain));
        let (a, other) = two_subscribed(&b.store).await;
        events(&b.store, &a, &["a1", "a2", "a3", "a4", "a5"]).await;
        events(&b.store, &other, &["o1", "o2"]).await;
        let (line, other_line) = (seqs(&b.store, &a).await, seqs(&b.store, &other).await);

        // Day 0: a's first three delivered (the first after a failed attempt), the fourth
        // left leased; the other company's two delivered.
        let heads = b.store.claim_events("w", 30_000, 10).await.expect("claim");
        let of = |c: &Caller| heads.iter().find(|e| e.company == c.company.as_str()).expect("a head").clone();
        b.store.record_attempt("w", of(&a).seq, failure(DAY), 30_000).await.expect("record");
        let second = delivered(&b.store, &head(&b.store, &a).await).await;
        let third = delivered(&b.store, &second).await;
        delivered(&b.store, &third).await;
        let o2 = delivered(&b.store, &of(&other)).await;
        b.store.record_attempt("w", o2.seq, success(), 30_000).await.expect("record");
        // Day 2: a's fourth delivered (its lease had run out), the fifth left pending; the
        // other company gets an event that fails.
        b.clock.advance(2 * 86_400_000);
        delivered(&b.store, &head(&b.store, &a).await).await;
        events(&b.store, &other, &["o3"]).await;
        let o3 = head(&b.store, &other).await;
        b.store.record_attempt("w", o3.seq, failure(DAY + 9 * 86_400_000), 30_000).await.expect("record");

        let attempts = |seq: i64| format!("SELECT COUNT(*) FROM event_attempts WHERE seq = {seq}");
        assert_eq!(b.number(&attempts(line[0])).await, 2, "{}", b.name);
        let removed = prune(&b.store, DAY + 86_400_000).await;
        assert_eq!(removed, 3 + 2, "{}: a's first three and the other's two", b.name);
        assert_eq!(seqs(&b.store, &a).await, &line[3..], "{}", b.name);
        assert_eq!(seqs(&b.store, &other).await, [o3.seq], "{}", b.name);
        for seq in line[..3].iter().chain(&other_line) {
            assert_eq!(b.number(&attempts(*seq)).await, 0, "{}: the attempts of {seq} went too", b.name);
        }
        assert_eq!(b.number(&attempts(line[3])).await, 1, "{}", b.name);
        assert_eq!(prune(&b.store, DAY + 86_400_000).await, 0, "{}", b.name);

        // A pending event stays however old; a's fifth, still leased, is recorded and the
        // line runs on to a new event.
        assert_eq!(prune(&b.store, i64::MAX).await, 1, "{}: a's fourth only", b.name);
        assert_eq!(seqs(&b.store, &a).await, &line[4..], "{}", b.name);
        assert_eq!(seqs(&b.store, &other).await, [o3.seq], "{}: pending, kept", b.name);
        let recorded = b.store.record_attempt("w", line[4], success(), 30_000).await.expect("record");
        assert!(recorded.held && recorded.next.is_none(), "{}", b.name);
        events(&b.store, &a, &["a6"]).await;
        let sixth = head(&b.store, &a).await;
        assert_eq!(seqs(&b.store, &a).await, [line[4], sixth.seq], "{}: the new event is next", b.name);
    }
}

/// The safety rules one by one: an event behind the cursor that is not finished stops
/// the run there, a finished one past the cursor stays (an old line's), and the newest
/// event of the table stays so that SQLite never numbers an event again; pages of a long
/// line all go, and the next event recorded is the company's next to send.
#[tokio::test]
async fn only_finished_events_behind_the_cursor_go_and_numbers_are_never_drawn_again() {
    for b in backends().await {
        b.store.render_events_with(Arc::new(Plain));
        let (a, long) = two_subscribed(&b.store).await;
        events(&b.store, &a, &["a1", "a2", "a3", "a4", "a5"]).await;
        let line = seqs(&b.store, &a).await;
        // a: the first three delivered, the cursor after them; then by hand, as an old
        // line may hold them: the second made pending again, the fourth finished.
        let mut e = head(&b.store, &a).await;
        for _ in 0..2 {
            e = delivered(&b.store, &e).await;
        }
        b.store.record_attempt("w", e.seq, success(), 30_000).await.expect("record");
        b.execute(&format!("UPDATE events SET state = 0 WHERE seq = {}", line[1])).await;
        b.execute(&format!("UPDATE events SET state = 1, done_ms = 0 WHERE seq = {}", line[3])).await;
        assert_eq!(prune(&b.store, i64::MAX).await, 1, "{}: the first only", b.name);
        assert_eq!(seqs(&b.store, &a).await, &line[1..], "{}", b.name);
        b.execute(&format!("UPDATE events SET state = 1 WHERE seq = {}", line[1])).await;
        assert_eq!(prune(&b.store, i64::MAX).await, 2, "{}: up to the cursor", b.name);
        assert_eq!(seqs(&b.store, &a).await, &line[3..], "{}: the fourth is past the cursor", b.name);

        // 2,500 finished events of another company, numbered after a's, its cursor at
        // the last: every page goes but the table's newest event.
        b.execute(&format!(
            "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) \
             INSERT INTO events (company_id, event_type, payload, created_ms, next_attempt_ms, state, done_ms) \
             SELECT '{0}', 'dept_add', 'x', 0, 0, 1, 0 FROM n; \
             UPDATE event_subscriptions SET done_seq = (SELECT max(seq) FROM events) WHERE company_id = '{0}'",
            long.company
        ))
        .await;
        let newest = b.number("SELECT max(seq) FROM events").await;
        assert_eq!(prune(&b.store, i64::MAX).await, 2_499, "{}", b.name);
        assert_eq!(seqs(&b.store, &long).await, [newest], "{}", b.name);
        for c in [&a, &long] {
            events(&b.store, c, &["next"]).await;
            let next = *seqs(&b.store, c).await.last().expect("an event");
            assert!(next > newest, "{}: {next} is a new number", b.name);
        }
        let claimed = b.store.claim_events("w", 30_000, 10).await.expect("claim");
        let long_next = claimed.iter().find(|e| e.company == long.company.as_str()).expect("long's next");
        assert!(long_next.seq > newest, "{}: the new event is long's next to send", b.name);
    }
}
