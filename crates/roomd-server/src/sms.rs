//! Sending SMS (the one-time codes of check-in by SMS). roomd ships no gateway: a
//! deployment plugs its own in by implementing `SmsSender` (see `docs/board-api.md`).
//! Without one, codes are not sent, and never written to the log, where anybody who
//! reads it could check in as anybody.

use futures::future::BoxFuture;

pub trait SmsSender: Send + Sync {
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> BoxFuture<'a, Result<(), String>>;
}

/// The default: no gateway. Each try is logged with the phone masked and no text, and
/// fails, so the board says the code was not sent.
pub struct LogSender;

impl SmsSender for LogSender {
    fn send<'a>(&'a self, phone: &'a str, _text: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            tracing::warn!(phone = %masked(phone), "SMS not sent: no SMS gateway is configured");
            Err("no SMS gateway is configured".to_string())
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
    use super::{LogSender, SmsSender};

    /// Without a gateway nothing is sent, and the code goes nowhere: the try fails.
    #[tokio::test]
    async fn without_a_gateway_a_code_is_not_sent() {
        assert!(LogSender.send("13812345678", "roomd check-in code 123456").await.is_err());
    }

    #[test]
    fn phones_are_masked_in_the_middle() {
        assert_eq!(super::masked("13812345678"), "138****5678");
        assert_eq!(super::masked("12345"), "*****");
        assert_eq!(super::masked("1234567"), "*******", "too short to show any of it");
    }
}
