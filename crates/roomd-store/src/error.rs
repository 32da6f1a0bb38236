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

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                let text = format!("{} {}", db.constraint().unwrap_or_default(), db.message());
                // 23P01: PostgreSQL's exclusion constraint on meetings refused an overlap.
                if code == "23P01" || text.contains("meetings_no_overlap") {
                    return StoreError::Domain(DomainError::RoomOccupied);
                }
                if db.is_unique_violation() {
                    return StoreError::Domain(unique_violation(&text));
                }
                StoreError::Internal(e.to_string())
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(e.to_string()),
            _ => StoreError::Internal(e.to_string()),
        }
    }
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
