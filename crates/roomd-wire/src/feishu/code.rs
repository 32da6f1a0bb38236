//! The codes roomd answers in the Feishu dialect, with their HTTP statuses. Each API
//! family has its own codes (the seeds' tables); the token and rate-limit codes are the
//! platform's (`docs/wire-compat.md`).

use crate::codes::code_table;

code_table! {
    /// Every code of the Feishu dialect roomd answers.
    pub enum FeishuCode {
        /// 99991661: no `Authorization: Bearer …`.
        TokenMissing = (99991661, 401, "Missing access token for authorization. Please make a request with token attached."),
        /// 99991663: a token roomd did not issue, or one that expired.
        TokenInvalid = (99991663, 401, "Invalid access token for authorization. Please make a request with token attached."),
        /// 99991400: over the rate limit.
        RateLimited = (99991400, 429, "request trigger frequency limit"),
        /// 10003: `tenant_access_token/internal` with a missing field or bad JSON.
        AuthBadRequest = (10003, 400, "invalid param"),
        /// 10014: unknown `app_id` or wrong `app_secret`.
        AuthBadSecret = (10014, 400, "app secret invalid"),
        /// 1161001: an onboarding QR code request with an invalid field.
        CorehrParamInvalid = (1161001, 400, "参数无效"),
        /// 1161002: the company has defined no onboarding QR code dimensions.
        CorehrNoDimensions = (1161002, 400, "租户未初始化二维码维度"),
        /// 99991500: roomd's own: an unexpected failure, where the family has no code of its
        /// own for it (details only in the server log).
        Internal = (99991500, 500, "internal error"),
        /// 99991672: roomd's answer for an `/open-apis/` path it does not serve.
        NotFound = (99991672, 404, "not found"),
        /// 121001: VC room configuration, internal error.
        VcInternal = (121001, 500, "internal error"),
        /// 121002: VC room configuration, not supported.
        VcNotSupport = (121002, 400, "not support"),
        /// 121003: VC room configuration, a parameter out of range or missing.
        VcParamError = (121003, 400, "param error"),
        /// 121004: VC room configuration, a node of the scope does not exist.
        VcNotExist = (121004, 404, "data not exist"),
    }
}
