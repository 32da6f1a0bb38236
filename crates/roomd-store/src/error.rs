use roomd_core::DomainError;
use thiserror::Error;

pub type StoreResult<T> = Result<T, StoreError>;

/// A refusal (`Domain`) is the client's business; `Unavailable` and `Internal` are ours
/// and never reach the client beyond a generic code.
#[derive(Debug, Clone, Error)]
pub enum StoreError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The database cannot be reached or cannot write (connection, I/O, disk full).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal store error: {0}")]
    Internal(String),
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        use tokio_postgres::error::SqlState;
        let Some(db) = e.as_db_error() else {
            // Not the server's answer: the connection closed or failed, or a value that
            // did not convert.
            let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
            return if e.is_closed() || io {
                StoreError::Unavailable(pg_text(&e))
            } else {
                StoreError::Internal(pg_text(&e))
            };
        };
        let text = format!("{} {}", db.constraint().unwrap_or_default(), db.message());
        // 23P01: PostgreSQL's overlap check on meetings (migration 25) refused an overlap.
        if *db.code() == SqlState::EXCLUSION_VIOLATION || text.contains("meetings_no_overlap") {
            return StoreError::Domain(DomainError::RoomOccupied);
        }
        // Two writes that lock rooms in different orders (a bulk import, say) wait for
        // each other in the overlap check; PostgreSQL ends one of them. The other goes on
        // to hold the slot: the loser's room is occupied, as when it came second.
        if *db.code() == SqlState::T_R_DEADLOCK_DETECTED
            && db.where_().is_some_and(|w| w.contains("meetings_no_overlap"))
        {
            return StoreError::Domain(DomainError::RoomOccupied);
        }
        if *db.code() == SqlState::UNIQUE_VIOLATION {
            return StoreError::Domain(unique_violation(&text));
        }
        // Classes 08 (connection), 53 (disk full, too many connections) and 57 (the
        // server shutting down or cancelling): the database cannot serve us now.
        if ["08", "53", "57"].iter().any(|class| db.code().code().starts_with(class)) {
            return StoreError::Unavailable(pg_text(&e));
        }
        StoreError::Internal(pg_text(&e))
    }
}

/// What a PostgreSQL error says, for logs. From the server: its message, the constraint
/// and the code only, since its DETAIL can hold a whole row (`Failing row contains …`),
/// secrets and hashes included. Otherwise the error and its causes: tokio-postgres names
/// only the kind of failure ("error connecting to server"), and the reason ("connection
/// refused") is its source.
pub(crate) fn pg_text(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let constraint = db.constraint().map(|c| format!(" ({c})")).unwrap_or_default();
        return format!("{}: {}{constraint} [{}]", db.severity(), db.message(), db.code().code());
    }
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// The application checks uniqueness first; this maps the constraint that fires when two
/// writers race past that check (PostgreSQL names the index, SQLite the columns).
fn unique_violation(text: &str) -> DomainError {
    if text.contains("account") {
        DomainError::AccountTaken
    } else if text.contains("phone") {
        DomainError::PhoneTaken
    } else if text.contains("email") {
        DomainError::EmailTaken
    } else {
        DomainError::invalid("id", "already exists")
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(failure, message) => match failure.code {
                // SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY; the message names the columns.
                ErrorCode::ConstraintViolation if matches!(failure.extended_code, 2067 | 1555) => {
                    StoreError::Domain(unique_violation(message.as_deref().unwrap_or_default()))
                }
                ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::CannotOpen
                | ErrorCode::ReadOnly
                | ErrorCode::PermissionDenied
                | ErrorCode::DatabaseCorrupt
                | ErrorCode::NotADatabase => StoreError::Unavailable(e.to_string()),
                _ => StoreError::Internal(e.to_string()),
            },
            _ => StoreError::Internal(e.to_string()),
        }
    }
}
