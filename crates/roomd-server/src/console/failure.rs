//! What an admin reads when an action fails. A refusal (the admin's own mistake: a name
//! taken, a slot occupied, a date out of range) is said in the page's language, with its
//! HTTP 422. roomd's own failure (the database down, a bug) is a plain apology with 503
//! or 500, and its detail goes only to the log: a database outage must not read as the
//! admin's mistake, nor show them roomd's internals.

use axum::http::StatusCode;
use roomd_core::DomainError;
use roomd_core::onboarding::Lang;
use roomd_store::StoreError;

use crate::web::words;

/// The words for the admin and the status to answer with; roomd's own failures are
/// logged here, once.
pub fn said(lang: Lang, e: &StoreError) -> (String, StatusCode) {
    match e {
        StoreError::Domain(d) => (refusal(lang == Lang::Zh, d), StatusCode::UNPROCESSABLE_ENTITY),
        StoreError::Unavailable(detail) => {
            tracing::error!(%detail, "console: database unavailable");
            (words(lang).unavailable.into(), StatusCode::SERVICE_UNAVAILABLE)
        }
        StoreError::Internal(detail) => {
            tracing::error!(%detail, "console: store failure");
            (words(lang).internal.into(), StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// The words alone.
pub fn plain(lang: Lang, e: &StoreError) -> String {
    said(lang, e).0
}

/// A refusal, in the admin's language. Every refusal is named (no wildcard), so a new one
/// needs its words here.
fn refusal(zh: bool, d: &DomainError) -> String {
    let t = |zh_text: &str, en: &str| if zh { zh_text.to_string() } else { en.to_string() };
    match d {
        DomainError::Invalid { field, reason } => {
            if zh {
                format!("「{field}」无效：{reason}")
            } else {
                format!("{field} is not valid: {reason}")
            }
        }
        DomainError::Missing(field) => {
            if zh {
                format!("请填写「{field}」。")
            } else {
                format!("{field} is required.")
            }
        }
        DomainError::Violations(list) => {
            list.iter().map(|v| format!("{}: {}", v.field, v.description)).collect::<Vec<_>>().join("; ")
        }
        DomainError::ScopeNodeNotExist(what) => {
            if zh {
                format!("「{what}」不存在。")
            } else {
                format!("No such {what}.")
            }
        }
        DomainError::UserNotExist => t("用户不存在。", "No such user."),
        DomainError::DeptNotExist => t("部门不存在。", "No such department."),
        DomainError::RoomNotExist => t("会议室不存在。", "No such room."),
        DomainError::MeetingNotExist => t("会议不存在。", "No such meeting."),
        DomainError::AttendanceNotExist => t("参会人不存在。", "No such attendee."),
        DomainError::BuildingNotExist => t("楼宇不存在。", "No such building."),
        DomainError::RegionNotExist => t("区域不存在。", "No such region."),
        DomainError::AccessCodeInvalid => t("部署码无效或已过期。", "The access code is unknown or has expired."),
        DomainError::DeviceNotExist => t("设备不存在。", "No such device."),
        DomainError::RoomOutOfScope => t("该会议室不在此设备的范围内。", "The room is not in this device's scope."),
        DomainError::PlaceNotEmpty => {
            t("该区域或楼宇下仍有内容，无法删除。", "The region or building still holds places or rooms.")
        }
        DomainError::AccountTaken => t("该账号已被使用。", "That account is taken."),
        DomainError::PhoneTaken => t("该手机号已被使用。", "That phone number is taken."),
        DomainError::EmailTaken => t("该邮箱已被使用。", "That email is taken."),
        DomainError::RoomOccupied => t("该时段会议室已被占用。", "The room is taken at that time."),
        DomainError::MeetingState => t("会议当前的状态不允许此操作。", "The meeting's state does not allow this."),
        DomainError::NoPermission => t("没有预约该会议室的权限。", "No permission to book this room."),
        DomainError::NotYours => t(
            "只有预约人或管理员可以修改这个会议。",
            "Only the person who booked this meeting, or an admin, may change it.",
        ),
        DomainError::RoomDisabled => t("会议室已停用。", "The room is disabled."),
        DomainError::OutsideBookableHours => t("超出会议室的可预约时间。", "Outside the room's bookable hours."),
        DomainError::DeptNotEmpty => {
            t("部门下仍有子部门、用户或会议室。", "The department still has sub-departments, users or rooms.")
        }
        DomainError::RoomHasMeetings => t("会议室还有未结束的会议。", "The room still has meetings ahead."),
        DomainError::InvalidCredentials => t("凭证无效。", "The credential is not valid."),
        DomainError::IllegalToken | DomainError::ExpiredToken => t("凭证已失效。", "The credential has expired."),
        DomainError::NoDimensions => t("请先定义入职二维码的维度。", "Define the onboarding dimensions first."),
        DomainError::QrCodeNotExist => t("二维码不存在。", "No such QR code."),
        DomainError::RegistrationNotExist => t("登记不存在。", "No such registration."),
        DomainError::RegistrationDecided => t("该登记已处理。", "That registration is already decided."),
        DomainError::Occurrences(list) => {
            let first = list.first().map_or(String::new(), |(_, e)| refusal(zh, e));
            if zh {
                format!("系列中有 {} 次会议无法预约，第一个原因：{first}", list.len())
            } else {
                format!("{} occurrences of the series cannot be booked; the first because: {first}", list.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use roomd_core::DomainError;
    use roomd_core::onboarding::Lang;
    use roomd_store::StoreError;

    use super::said;

    #[test]
    fn refusals_are_said_in_the_admins_language_and_failures_hide_their_detail() {
        let taken = StoreError::Domain(DomainError::AccountTaken);
        assert_eq!(said(Lang::Zh, &taken), ("该账号已被使用。".to_string(), StatusCode::UNPROCESSABLE_ENTITY));
        assert_eq!(said(Lang::En, &taken).0, "That account is taken.");
        let down = StoreError::Unavailable("connection refused to 10.0.0.7:5432".into());
        let (text, status) = said(Lang::En, &down);
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(!text.contains("10.0.0.7"), "no internals shown: {text}");
        let bug = StoreError::Internal("UNIQUE constraint failed: secret_table".into());
        let (text, status) = said(Lang::Zh, &bug);
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!text.contains("secret_table"), "{text}");
    }
}
