//! The mail worker: records the reminders that fall due, and sends the messages the
//! store recorded as they fall due, one SMTP conversation each. A message is marked sent as soon as the server took it, so a
//! restart resends at most the one in flight (with the same `Message-ID`, which mail
//! programs use to drop a copy).

use std::sync::Arc;
use std::time::Duration;

use lettre::address::Envelope;
use lettre::{Address, AsyncTransport};
use roomd_store::{DueMail, MailOutcome, Store};
use tokio::sync::watch;

use super::Mailer;

/// Messages claimed at a time: one, so that a worker that dies holds back one message
/// for the claim's 45 seconds, not a batch.
const BATCH: i64 = 1;
/// How often the worker looks for due messages when none is waiting.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// How long to wait before trying again after `attempts` failures: `first`, doubling, at
/// most 15 minutes.
pub fn retry_after(first: Duration, attempts: i64) -> Duration {
    let doubled = first.saturating_mul(1u32 << attempts.clamp(0, 20) as u32);
    doubled.min(Duration::from_secs(15 * 60))
}

pub async fn run(store: Store, mailer: Arc<Mailer>, first_retry: Duration, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if let Err(e) = store.record_reminders().await {
            tracing::warn!(error = %e, "recording reminders");
        }
        let claimed = match store.claim_mail(BATCH).await {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::warn!(error = %e, "claiming mail");
                Vec::new()
            }
        };
        for mail in &claimed {
            let outcome = send(&mailer, mail).await;
            if let MailOutcome::Later(why) | MailOutcome::Refused(why) = &outcome {
                tracing::warn!(mail = %mail.id, to = mail.to, attempts = mail.attempts + 1, why, "mail not sent");
            }
            let wait = retry_after(first_retry, mail.attempts).as_millis() as i64;
            if let Err(e) = store.mail_tried(mail, outcome, wait).await {
                tracing::warn!(error = %e, mail = %mail.id, "recording a mail attempt");
            }
        }
        if claimed.len() as i64 == BATCH {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(LOOK_EVERY) => {}
            _ = stop.changed() => {}
        }
    }
}

async fn send(mailer: &Mailer, mail: &DueMail) -> MailOutcome {
    let Ok(to) = mail.to.parse::<Address>() else {
        return MailOutcome::Refused(format!("{:?} is no mail address", mail.to));
    };
    let envelope = match Envelope::new(Some(mailer.from.email.clone()), vec![to]) {
        Ok(envelope) => envelope,
        Err(e) => return MailOutcome::Refused(e.to_string()),
    };
    match mailer.transport.send_raw(&envelope, mail.message.as_bytes()).await {
        Ok(_) => MailOutcome::Sent,
        Err(e) if e.is_permanent() => MailOutcome::Refused(e.to_string()),
        Err(e) => MailOutcome::Later(e.to_string()),
    }
}
