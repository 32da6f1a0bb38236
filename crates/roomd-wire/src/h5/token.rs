use serde::{Deserialize, Serialize};

/// `GET /meeting/api/oapi/gettoken` query.
#[derive(Debug, Deserialize)]
pub struct GetToken {
    pub appkey: Option<String>,
    pub appsecret: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Token {
    pub access_token: String,
    pub company_id: String,
    pub expires_in: i64,
}
