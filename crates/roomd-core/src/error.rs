use thiserror::Error;

pub type DomainResult<T> = Result<T, DomainError>;

/// What a rule or a lookup refuses. Each variant maps to one vendor code per dialect.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("missing {0}")]
    Missing(&'static str),
    #[error("user does not exist")]
    UserNotExist,
    #[error("department does not exist")]
    DeptNotExist,
    #[error("room does not exist")]
    RoomNotExist,
    #[error("meeting does not exist")]
    MeetingNotExist,
    #[error("attendance does not exist")]
    AttendanceNotExist,
    #[error("building does not exist")]
    BuildingNotExist,
    #[error("region does not exist")]
    RegionNotExist,
    #[error("unknown or expired access code")]
    AccessCodeInvalid,
    #[error("unknown or revoked device")]
    DeviceNotExist,
    #[error("the room is not in the device's scope")]
    RoomOutOfScope,
    /// A scope naming a country, district, building, floor or room that does not exist
    /// (or a district outside its country, a floor not in its building).
    #[error("{0} does not exist")]
    ScopeNodeNotExist(&'static str),
    #[error("the region or building still has districts, buildings or rooms")]
    PlaceNotEmpty,
    #[error("account is taken")]
    AccountTaken,
    #[error("phone is taken")]
    PhoneTaken,
    #[error("email is taken")]
    EmailTaken,
    #[error("the room is occupied")]
    RoomOccupied,
    #[error("the meeting's state does not allow this")]
    MeetingState,
    #[error("no permission to book this room")]
    NoPermission,
    /// An employee changing a meeting someone else booked, or booking for someone else.
    #[error("only the person who booked the meeting (or an admin) may change it")]
    NotYours,
    #[error("the room is disabled")]
    RoomDisabled,
    #[error("outside the room's bookable hours")]
    OutsideBookableHours,
    #[error("the department still has sub-departments, users or rooms")]
    DeptNotEmpty,
    #[error("the room still has upcoming meetings")]
    RoomHasMeetings,
    #[error("invalid appkey or appsecret")]
    InvalidCredentials,
    #[error("unknown access token")]
    IllegalToken,
    #[error("expired access token")]
    ExpiredToken,
    /// Several fields refused at once, each with its reason.
    #[error("invalid fields: {0:?}")]
    Violations(Vec<crate::onboarding::Violation>),
    #[error("the company has no onboarding dimensions")]
    NoDimensions,
    #[error("onboarding QR code does not exist")]
    QrCodeNotExist,
    #[error("registration does not exist")]
    RegistrationNotExist,
    #[error("registration is already decided")]
    RegistrationDecided,
    /// Occurrences of a series that cannot be booked or changed, in order: each one's
    /// first instant (epoch ms) and why. The first one's refusal is the answer's.
    #[error("{} occurrences refused, the first: {}", .0.len(), .0.first().map_or(String::new(), |(_, e)| e.to_string()))]
    Occurrences(Vec<(i64, DomainError)>),
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::Invalid { field, reason: reason.into() }
    }
}
