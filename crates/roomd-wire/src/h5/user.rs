use serde::{Deserialize, Serialize};

/// A user as the seed returns it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub name: String,
    pub account: String,
    pub phone: String,
    pub face_url: String,
    pub position: String,
    pub email: String,
    pub status: i64,
    pub memo: String,
    pub created_time: i64,
    pub department_id: String,
    // The seed's tables say "isAdmin" while its examples say "admin": we send both.
    pub is_admin: bool,
    pub admin: bool,
    /// Extension: the onboarding QR code's preset values, for a user who registered by
    /// scanning one; left out otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dimension_values: Vec<super::onboarding::PresetValue>,
}

/// `user/add` body. Required fields are `Option` so that a missing one answers 71005
/// naming it, rather than a serde error.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAdd {
    pub id: Option<String>,
    pub name: Option<String>,
    pub account: Option<String>,
    pub password: Option<String>,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub email: Option<String>,
    pub memo: Option<String>,
    pub department_id: Option<String>,
    /// Extension: the seed has no way to make an admin; `isAdmin` or `admin` does.
    pub is_admin: Option<bool>,
    pub admin: Option<bool>,
    /// Extension: 0 disabled, 1 enabled.
    pub status: Option<i64>,
}

/// `user/update` body: `id` plus any field to change.
pub type UserUpdate = UserAdd;

/// `{"userId": …}` of user/get, remove, clearFace.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserId {
    pub user_id: Option<String>,
}

/// Extension `user/setupLink`: a one-time link (valid a day) where the person sets their
/// password; a user created without a password has none until then.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupLink {
    pub user_id: String,
    pub url: String,
    pub expires_time: i64,
}
