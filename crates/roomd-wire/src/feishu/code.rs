/// The codes roomd answers in the Feishu dialect, with their HTTP statuses. Each API
/// family has its own codes (the seeds' tables); the token and rate-limit codes are the
/// platform's (decisions.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeishuCode {
    /// 99991661: no `Authorization: Bearer …`.
    TokenMissing,
    /// 99991663: a token roomd did not issue, or one that expired.
    TokenInvalid,
    /// 99991400: over the rate limit.
    RateLimited,
    /// 10003: `tenant_access_token/internal` with a missing field or bad JSON.
    AuthBadRequest,
    /// 10014: unknown `app_id` or wrong `app_secret`.
    AuthBadSecret,
    /// 1161001: an onboarding QR code request with an invalid field.
    CorehrParamInvalid,
    /// 1161002: the company has defined no onboarding QR code dimensions.
    CorehrNoDimensions,
    /// 99991500: roomd's own: an unexpected failure, where the family has no code of its
    /// own for it (details only in the server log).
    Internal,
    /// 99991672: roomd's answer for an `/open-apis/` path it does not serve.
    NotFound,
    /// 121001: VC room configuration, internal error.
    VcInternal,
    /// 121002: VC room configuration, not supported.
    VcNotSupport,
    /// 121003: VC room configuration, a parameter out of range or missing.
    VcParamError,
    /// 121004: VC room configuration, a node of the scope does not exist.
    VcNotExist,
}

impl FeishuCode {
    pub const ALL: [FeishuCode; 13] = [
        FeishuCode::TokenMissing,
        FeishuCode::TokenInvalid,
        FeishuCode::RateLimited,
        FeishuCode::AuthBadRequest,
        FeishuCode::AuthBadSecret,
        FeishuCode::CorehrParamInvalid,
        FeishuCode::CorehrNoDimensions,
        FeishuCode::Internal,
        FeishuCode::NotFound,
        FeishuCode::VcInternal,
        FeishuCode::VcNotSupport,
        FeishuCode::VcParamError,
        FeishuCode::VcNotExist,
    ];

    pub fn number(self) -> u32 {
        match self {
            FeishuCode::TokenMissing => 99991661,
            FeishuCode::TokenInvalid => 99991663,
            FeishuCode::RateLimited => 99991400,
            FeishuCode::AuthBadRequest => 10003,
            FeishuCode::AuthBadSecret => 10014,
            FeishuCode::CorehrParamInvalid => 1161001,
            FeishuCode::CorehrNoDimensions => 1161002,
            FeishuCode::Internal => 99991500,
            FeishuCode::NotFound => 99991672,
            FeishuCode::VcInternal => 121001,
            FeishuCode::VcNotSupport => 121002,
            FeishuCode::VcParamError => 121003,
            FeishuCode::VcNotExist => 121004,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            FeishuCode::TokenMissing => {
                "Missing access token for authorization. Please make a request with token attached."
            }
            FeishuCode::TokenInvalid => {
                "Invalid access token for authorization. Please make a request with token attached."
            }
            FeishuCode::RateLimited => "request trigger frequency limit",
            FeishuCode::AuthBadRequest => "invalid param",
            FeishuCode::AuthBadSecret => "app secret invalid",
            FeishuCode::CorehrParamInvalid => "参数无效",
            FeishuCode::CorehrNoDimensions => "租户未初始化二维码维度",
            FeishuCode::Internal => "internal error",
            FeishuCode::NotFound => "not found",
            FeishuCode::VcInternal => "internal error",
            FeishuCode::VcNotSupport => "not support",
            FeishuCode::VcParamError => "param error",
            FeishuCode::VcNotExist => "data not exist",
        }
    }

    pub fn http_status(self) -> u16 {
        match self {
            FeishuCode::TokenMissing | FeishuCode::TokenInvalid => 401,
            FeishuCode::RateLimited => 429,
            FeishuCode::AuthBadRequest | FeishuCode::AuthBadSecret => 400,
            FeishuCode::CorehrParamInvalid | FeishuCode::CorehrNoDimensions => 400,
            FeishuCode::Internal => 500,
            FeishuCode::NotFound | FeishuCode::VcNotExist => 404,
            FeishuCode::VcInternal => 500,
            FeishuCode::VcNotSupport | FeishuCode::VcParamError => 400,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::FeishuCode;

    #[test]
    fn numbers_are_unique_and_statuses_are_errors() {
        let numbers: HashSet<u32> = FeishuCode::ALL.iter().map(|c| c.number()).collect();
        assert_eq!(numbers.len(), FeishuCode::ALL.len());
        assert!(FeishuCode::ALL.iter().all(|c| c.http_status() >= 400));
        assert_eq!(FeishuCode::CorehrNoDimensions.http_status(), 400);
        assert_eq!(FeishuCode::RateLimited.http_status(), 429);
    }
}
