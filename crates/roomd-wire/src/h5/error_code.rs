/// Every code of the h5 dialect: the seed's table (10000, 71001–71013) and the codes
/// `decisions.md` adds (71000, 71014–71025) plus roomd's own (71026–71033). The number, the
/// message and the HTTP status live here and nowhere else; `docs/error-codes.md` lists
/// the same table (a test compares them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    Success,
    Internal,
    InvalidArguments,
    LackAccessToken,
    IllegalAccessToken,
    ExpiredAccessToken,
    LackArgument,
    AccountTaken,
    PhoneTaken,
    TypeMismatch,
    UserNotExist,
    DeptNotExist,
    RoomNotExist,
    MeetingNotExist,
    AttendanceNotExist,
    RoomOccupied,
    MeetingState,
    EmailTaken,
    NoPermission,
    RoomDisabled,
    OutsideBookableHours,
    EventUrlCheckFailed,
    InvalidFaceImage,
    DeptNotEmpty,
    InvalidCredentials,
    TooManyRequests,
    BuildingNotExist,
    RoomHasMeetings,
    QrCodeNotExist,
    RegistrationNotExist,
    RegistrationDecided,
    NoDimensions,
    RegionNotExist,
    PlaceNotEmpty,
    DeviceNotExist,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 35] = [
        ErrorCode::Success,
        ErrorCode::Internal,
        ErrorCode::InvalidArguments,
        ErrorCode::LackAccessToken,
        ErrorCode::IllegalAccessToken,
        ErrorCode::ExpiredAccessToken,
        ErrorCode::LackArgument,
        ErrorCode::AccountTaken,
        ErrorCode::PhoneTaken,
        ErrorCode::TypeMismatch,
        ErrorCode::UserNotExist,
        ErrorCode::DeptNotExist,
        ErrorCode::RoomNotExist,
        ErrorCode::MeetingNotExist,
        ErrorCode::AttendanceNotExist,
        ErrorCode::RoomOccupied,
        ErrorCode::MeetingState,
        ErrorCode::EmailTaken,
        ErrorCode::NoPermission,
        ErrorCode::RoomDisabled,
        ErrorCode::OutsideBookableHours,
        ErrorCode::EventUrlCheckFailed,
        ErrorCode::InvalidFaceImage,
        ErrorCode::DeptNotEmpty,
        ErrorCode::InvalidCredentials,
        ErrorCode::TooManyRequests,
        ErrorCode::BuildingNotExist,
        ErrorCode::RoomHasMeetings,
        ErrorCode::QrCodeNotExist,
        ErrorCode::RegistrationNotExist,
        ErrorCode::RegistrationDecided,
        ErrorCode::NoDimensions,
        ErrorCode::RegionNotExist,
        ErrorCode::PlaceNotEmpty,
        ErrorCode::DeviceNotExist,
    ];

    pub fn number(self) -> u32 {
        match self {
            ErrorCode::Success => 10000,
            ErrorCode::Internal => 71000,
            ErrorCode::InvalidArguments => 71001,
            ErrorCode::LackAccessToken => 71002,
            ErrorCode::IllegalAccessToken => 71003,
            ErrorCode::ExpiredAccessToken => 71004,
            ErrorCode::LackArgument => 71005,
            ErrorCode::AccountTaken => 71006,
            ErrorCode::PhoneTaken => 71007,
            ErrorCode::TypeMismatch => 71008,
            ErrorCode::UserNotExist => 71009,
            ErrorCode::DeptNotExist => 71010,
            ErrorCode::RoomNotExist => 71011,
            ErrorCode::MeetingNotExist => 71012,
            ErrorCode::AttendanceNotExist => 71013,
            ErrorCode::RoomOccupied => 71014,
            ErrorCode::MeetingState => 71015,
            ErrorCode::EmailTaken => 71016,
            ErrorCode::NoPermission => 71017,
            ErrorCode::RoomDisabled => 71018,
            ErrorCode::OutsideBookableHours => 71019,
            ErrorCode::EventUrlCheckFailed => 71020,
            ErrorCode::InvalidFaceImage => 71021,
            ErrorCode::DeptNotEmpty => 71022,
            ErrorCode::InvalidCredentials => 71023,
            ErrorCode::TooManyRequests => 71024,
            ErrorCode::BuildingNotExist => 71025,
            ErrorCode::RoomHasMeetings => 71026,
            ErrorCode::QrCodeNotExist => 71027,
            ErrorCode::RegistrationNotExist => 71028,
            ErrorCode::RegistrationDecided => 71029,
            ErrorCode::NoDimensions => 71030,
            ErrorCode::RegionNotExist => 71031,
            ErrorCode::PlaceNotEmpty => 71032,
            ErrorCode::DeviceNotExist => 71033,
        }
    }

    /// The English message, `%s` still in place.
    pub fn template(self) -> &'static str {
        match self {
            ErrorCode::Success => "",
            ErrorCode::Internal => "Internal error",
            ErrorCode::InvalidArguments => "Invalid arguments",
            ErrorCode::LackAccessToken => "Lack access token",
            ErrorCode::IllegalAccessToken => "Illegal access token",
            ErrorCode::ExpiredAccessToken => "Expire access token",
            ErrorCode::LackArgument => "Lack %s arguments",
            ErrorCode::AccountTaken => "Account is already occupied",
            ErrorCode::PhoneTaken => "Phone is already occupied",
            ErrorCode::TypeMismatch => "Arguments type mismatch",
            ErrorCode::UserNotExist => "User is not exist",
            ErrorCode::DeptNotExist => "Dept is not exist",
            ErrorCode::RoomNotExist => "Room is not exist",
            ErrorCode::MeetingNotExist => "Meeting is not exist",
            ErrorCode::AttendanceNotExist => "Attendance is not exist",
            ErrorCode::RoomOccupied => "Room is occupied",
            ErrorCode::MeetingState => "Meeting state does not allow this",
            ErrorCode::EmailTaken => "Email is already occupied",
            ErrorCode::NoPermission => "No permission to book this room",
            ErrorCode::RoomDisabled => "Room is disabled",
            ErrorCode::OutsideBookableHours => "Outside bookable hours",
            ErrorCode::EventUrlCheckFailed => "Event URL check failed",
            ErrorCode::InvalidFaceImage => "Invalid face image",
            ErrorCode::DeptNotEmpty => "Department is not empty",
            ErrorCode::InvalidCredentials => "Invalid appkey or appsecret",
            ErrorCode::TooManyRequests => "Too many requests",
            ErrorCode::BuildingNotExist => "Building is not exist",
            ErrorCode::RoomHasMeetings => "Room has upcoming meetings",
            ErrorCode::QrCodeNotExist => "QR code is not exist",
            ErrorCode::RegistrationNotExist => "Registration is not exist",
            ErrorCode::RegistrationDecided => "Registration is already decided",
            ErrorCode::NoDimensions => "No onboarding dimensions",
            ErrorCode::RegionNotExist => "Region is not exist",
            ErrorCode::PlaceNotEmpty => "Region or building is not empty",
            ErrorCode::DeviceNotExist => "Device is not exist",
        }
    }

    pub fn message(self, arg: Option<&str>) -> String {
        let template = self.template();
        match arg {
            Some(arg) if template.contains("%s") => template.replacen("%s", arg, 1),
            _ => template.replacen("%s ", "", 1),
        }
    }

    /// Every h5 answer is HTTP 200 but an internal failure (decisions.md §2).
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Internal => 500,
            _ => 200,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn numbers_are_unique() {
        let numbers: HashSet<u32> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        assert_eq!(numbers.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn docs_error_codes_lists_every_code_with_its_message() {
        let doc = include_str!("../../../../docs/error-codes.md");
        let rows: Vec<(u32, String, u16)> = doc
            .lines()
            .filter_map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                let number = cells.get(1)?.parse().ok()?;
                Some((number, cells.get(2)?.to_string(), cells.get(3)?.parse().ok()?))
            })
            .collect();
        for code in ErrorCode::ALL.iter().filter(|c| **c != ErrorCode::Success) {
            let row = rows.iter().find(|r| r.0 == code.number());
            let row = row.unwrap_or_else(|| panic!("{} is missing from docs/error-codes.md", code.number()));
            assert_eq!((row.1.as_str(), row.2), (code.template(), code.http_status()), "{}", code.number());
        }
        assert_eq!(rows.len(), ErrorCode::ALL.len(), "docs list codes that do not exist");
    }

    #[test]
    fn lack_argument_names_the_field() {
        assert_eq!(ErrorCode::LackArgument.message(Some("name")), "Lack name arguments");
        assert_eq!(ErrorCode::RoomOccupied.message(Some("ignored")), "Room is occupied");
    }
}
