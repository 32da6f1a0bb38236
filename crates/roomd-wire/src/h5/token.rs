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

/// An app credential (`app/list`, `app/create`); the appsecret only in `create`'s answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppCredential {
    pub appkey: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appsecret: Option<String>,
    pub created_time: i64,
}

#[derive(Debug, Default, Deserialize)]
pub struct AppKeyBody {
    pub appkey: Option<String>,
}
