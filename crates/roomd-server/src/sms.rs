//! Sending SMS (the one-time codes of check-in by SMS). roomd ships a sender that writes
//! each message to the log; a deployment plugs in its gateway by implementing
//! `SmsSender` (see `docs/board-api.md`).

use futures::future::BoxFuture;

pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> BoxFuture<'a, Result<(), String>>;
}

/// The default: the message goes to the server log (at INFO), nowhere else.
pub struct LogSender;

impl SmsSender for LogSender {
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            tracing::info!(%phone, %text, "SMS (logging sender: configure a gateway to really send)");
            Ok(())
        })
    }
}

/// `138****5678`: enough for the attendee to recognise, not enough to read off a board.
pub fn masked(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let (head, tail) = (&chars[..3], &chars[chars.len() - 4..]);
    format!("{}{}{}", head.iter().collect::<String>(), "*".repeat(chars.len() - 7), tail.iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    #[test]
    fn phones_are_masked_in_the_middle() {
        assert_eq!(super::masked("13812345678"), "138****5678");
        assert_eq!(super::masked("12345"), "*****");
        assert_eq!(super::masked("1234567"), "*******", "too short to show any of it");
    }
}
