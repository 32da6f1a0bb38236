//! The h5 dialect's codes: the seed's table (10000, 71001–71013), the codes roomd fixed
//! where the seed is silent (71000, 71014–71025) and roomd's own (71026–71033). Every h5
//! answer is HTTP 200 but an internal failure. The number, the message and the HTTP
//! status live in this table and nowhere else; `docs/error-codes.md` lists the same
//! table (a test compares them).

use crate::codes::code_table;

code_table! {
    /// Every code of the h5 dialect.
    pub enum ErrorCode {
        Success = (10000, 200, ""),
        Internal = (71000, 500, "Internal error"),
        InvalidArguments = (71001, 200, "Invalid arguments"),
        LackAccessToken = (71002, 200, "Lack access token"),
        IllegalAccessToken = (71003, 200, "Illegal access token"),
        ExpiredAccessToken = (71004, 200, "Expire access token"),
        LackArgument = (71005, 200, "Lack %s arguments"),
        AccountTaken = (71006, 200, "Account is already occupied"),
        PhoneTaken = (71007, 200, "Phone is already occupied"),
        TypeMismatch = (71008, 200, "Arguments type mismatch"),
        UserNotExist = (71009, 200, "User is not exist"),
        DeptNotExist = (71010, 200, "Dept is not exist"),
        RoomNotExist = (71011, 200, "Room is not exist"),
        MeetingNotExist = (71012, 200, "Meeting is not exist"),
        AttendanceNotExist = (71013, 200, "Attendance is not exist"),
        RoomOccupied = (71014, 200, "Room is occupied"),
        MeetingState = (71015, 200, "Meeting state does not allow this"),
        EmailTaken = (71016, 200, "Email is already occupied"),
        NoPermission = (71017, 200, "No permission to book this room"),
        RoomDisabled = (71018, 200, "Room is disabled"),
        OutsideBookableHours = (71019, 200, "Outside bookable hours"),
        EventUrlCheckFailed = (71020, 200, "Event URL check failed"),
        InvalidFaceImage = (71021, 200, "Invalid face image"),
        DeptNotEmpty = (71022, 200, "Department is not empty"),
        InvalidCredentials = (71023, 200, "Invalid appkey or appsecret"),
        TooManyRequests = (71024, 200, "Too many requests"),
        BuildingNotExist = (71025, 200, "Building is not exist"),
        RoomHasMeetings = (71026, 200, "Room has upcoming meetings"),
        QrCodeNotExist = (71027, 200, "QR code is not exist"),
        RegistrationNotExist = (71028, 200, "Registration is not exist"),
        RegistrationDecided = (71029, 200, "Registration is already decided"),
        NoDimensions = (71030, 200, "No onboarding dimensions"),
        RegionNotExist = (71031, 200, "Region is not exist"),
        PlaceNotEmpty = (71032, 200, "Region or building is not empty"),
        DeviceNotExist = (71033, 200, "Device is not exist"),
    }
}

impl ErrorCode {
    /// The message, with 71005's `%s` replaced by the field's name (or dropped).
    pub fn message(self, arg: Option<&str>) -> String {
        let template = self.text();
        match arg {
            Some(arg) if template.contains("%s") => template.replacen("%s", arg, 1),
            _ => template.replacen("%s ", "", 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!((row.1.as_str(), row.2), (code.text(), code.http_status()), "{}", code.number());
        }
        assert_eq!(rows.len(), ErrorCode::ALL.len(), "docs list codes that do not exist");
    }

    #[test]
    fn lack_argument_names_the_field() {
        assert_eq!(ErrorCode::LackArgument.message(Some("name")), "Lack name arguments");
        assert_eq!(ErrorCode::RoomOccupied.message(Some("ignored")), "Room is occupied");
    }
}
