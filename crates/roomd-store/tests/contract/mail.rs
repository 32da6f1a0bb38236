//! Mail in the store (docs/wire-compat.md "Mail"): a message is recorded with its change
//! or not at all, claimed by one process at a time, kept sent across a restart, tried
//! again for 24 hours after temporary failures and given up on a refusal.

use std::sync::Arc;

use roomd_core::directory::UserPatch;
use roomd_core::mail::{LinkNotice, MailRender, Notice, Rendered};
use roomd_core::room::RoomPatch;
use roomd_store::{MailOutcome, RETRY_FOR_MS};

use super::{backends, booking, company, refused, room};
use roomd_core::DomainError;

/// Writes each message as one line naming its method and recipient: what the store
/// keeps is all these tests look at (the server's writer is tested over SMTP).
struct Lines;

impl MailRender for Lines {
    fn render(&self, n: &Notice<'_>) -> Option<Rendered> {
        let text = format!("{} to {} about {}", n.method.as_str(), n.to.email, n.meetings[0].subject);
        Some(Rendered { message_id: format!("<{}@test>", n.to.email), text: text.into_bytes() })
    }

    fn render_link(&self, l: &LinkNotice<'_>) -> Option<Rendered> {
        let text = format!("SETUP to {} with {}", l.to.email, l.url);
        Some(Rendered { message_id: format!("<{}@test>", l.to.email), text: text.into_bytes() })
    }
}

/// A store that records mail, and a company with a booker who has an email, and a room.
async fn mailing(store: &roomd_store::Store) -> (roomd_core::Caller, roomd_core::UserId, roomd_core::RoomId) {
    store.send_mail_with(Arc::new(Lines));
    let c = company(store).await;
    let patch = UserPatch {
        name: Some("Bo".into()),
        account: Some("bo".into()),
        email: Some("bo@example.com".into()),
        ..Default::default()
    };
    let booker = store.add_user(&c, None, patch).await.expect("user").id;
    let r = room(store, &c, RoomPatch::default()).await;
    (c, booker, r)
}

#[tokio::test]
async fn mail_is_recorded_with_its_change_and_claimed_by_one_process_at_a_time() {
    for b in backends().await {
        let (c, booker, r) = mailing(&b.store).await;
        b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("booked");
        assert_eq!(refused(b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await), DomainError::RoomOccupied);
        let log = b.store.mail_deliveries(&c, 10).await.expect("log");
        assert_eq!(log.len(), 1, "{}: one message, none for the refused booking: {log:?}", b.name);
        assert_eq!(
            (log[0].to.as_str(), log[0].method.as_str(), log[0].state.as_str()),
            ("bo@example.com", "REQUEST", "pending")
        );

        // Two processes: the first claims it, the second finds nothing while it is claimed.
        let other = b.another_store().await;
        let claimed = b.store.claim_mail(10).await.expect("claim");
        assert_eq!(claimed.len(), 1, "{}", b.name);
        assert_eq!(claimed[0].message, "REQUEST to bo@example.com about t");
        assert!(other.claim_mail(10).await.expect("claim").is_empty(), "{}: claimed by the first", b.name);

        // The first crashes before it could say how it went: after the claim runs out,
        // another process takes the message over.
        b.clock.advance(roomd_store::MAIL_CLAIM_MS + 1);
        let taken = other.claim_mail(10).await.expect("claim");
        assert_eq!(taken.len(), 1, "{}: taken over after the claim", b.name);
        other.mail_tried(&taken[0], MailOutcome::Sent, 1_000).await.expect("sent");

        // Restarted, no process sends it again.
        let restarted = b.another_store().await;
        b.clock.advance(3_600_000);
        assert!(restarted.claim_mail(10).await.expect("claim").is_empty(), "{}: sent stays sent", b.name);
        let log = restarted.mail_deliveries(&c, 10).await.expect("log");
        assert_eq!((log[0].state.as_str(), log[0].attempts, log[0].done_ms > 0), ("sent", 1, true), "{}", b.name);
    }
}

#[tokio::test]
async fn temporary_failures_are_tried_again_for_a_day_and_refusals_never() {
    for b in backends().await {
        let (c, booker, r) = mailing(&b.store).await;
        b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("booked");
        b.store.book_meeting(&c, booking(&r, &booker, 11, 12)).await.expect("booked");
        let claimed = b.store.claim_mail(10).await.expect("claim");
        assert_eq!(claimed.len(), 2);
        let (flaky, refused_one) = (&claimed[0], &claimed[1]);
        b.store.mail_tried(refused_one, MailOutcome::Refused("550 no such user".into()), 1_000).await.expect("tried");
        b.store.mail_tried(flaky, MailOutcome::Later("451 try later".into()), 60_000).await.expect("tried");
        assert!(b.store.claim_mail(10).await.expect("claim").is_empty(), "{}: not due yet", b.name);
        b.clock.advance(60_000);
        let again = b.store.claim_mail(10).await.expect("claim");
        assert_eq!(again.iter().map(|m| &m.id).collect::<Vec<_>>(), [&flaky.id], "{}: the flaky one only", b.name);
        // Past a day, a temporary failure gives up too.
        b.clock.advance(RETRY_FOR_MS);
        b.store.mail_tried(&again[0], MailOutcome::Later("451 still".into()), 60_000).await.expect("tried");
        let log = b.store.mail_deliveries(&c, 10).await.expect("log");
        let mut states: Vec<(&str, i64, &str)> =
            log.iter().map(|m| (m.state.as_str(), m.attempts, &m.last_error[..])).collect();
        states.sort();
        let want = [("failed", 1, "550 no such user"), ("failed", 2, "given up after 24 hours: 451 still")];
        assert_eq!(states, want, "{}: {log:?}", b.name);
    }
}

#[tokio::test]
async fn a_meeting_moved_after_its_reminder_is_reminded_of_again_and_one_only_renamed_is_not() {
    use roomd_core::company::CompanyPatch;
    use roomd_core::meeting::MeetingPatch;

    use super::{DAY, HOUR};
    for b in backends().await {
        let (c, booker, r) = mailing(&b.store).await;
        let patch = CompanyPatch { reminder_minutes: Some(15), ..Default::default() };
        b.store.update_company(&c, patch).await.expect("reminders on");
        let m = b.store.book_meeting(&c, booking(&r, &booker, 9, 10)).await.expect("booked");
        b.clock.set(DAY + 9 * HOUR - 10 * 60_000);
        assert_eq!(b.store.record_reminders().await.expect("swept"), 1, "{}: due", b.name);
        assert_eq!(b.store.record_reminders().await.expect("swept"), 0, "{}: once", b.name);
        let renamed = MeetingPatch { subject: Some("renamed".into()), ..Default::default() };
        b.store.update_meeting(&c, m.id.clone(), renamed).await.expect("renamed");
        assert_eq!(b.store.record_reminders().await.expect("swept"), 0, "{}: the same start", b.name);
        let moved =
            MeetingPatch { begin_ms: Some(DAY + 11 * HOUR), end_ms: Some(DAY + 12 * HOUR), ..Default::default() };
        b.store.update_meeting(&c, m.id, moved).await.expect("moved");
        assert_eq!(b.store.record_reminders().await.expect("swept"), 0, "{}: not due yet", b.name);
        b.clock.set(DAY + 11 * HOUR - 10 * 60_000);
        assert_eq!(b.store.record_reminders().await.expect("swept"), 1, "{}: the new start's", b.name);
    }
}
