//! The company's directory: departments (a tree through `parent`) and users.

use crate::{DeptId, DomainError, DomainResult, UserId};

#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub id: DeptId,
    pub name: String,
    pub parent: Option<DeptId>,
    pub created_ms: i64,
}

/// What `dept/add` and `dept/update` may set; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct DeptPatch {
    pub name: Option<String>,
    /// `Some(None)`: make it a top-level department.
    pub parent: Option<Option<DeptId>>,
}

impl Department {
    pub fn create(id: DeptId, patch: DeptPatch, now_ms: i64) -> DomainResult<Self> {
        let name = patch.name.clone().ok_or(DomainError::Missing("name"))?;
        let fresh = Department { id, name, parent: None, created_ms: now_ms };
        fresh.apply(patch)
    }

    pub fn apply(mut self, patch: DeptPatch) -> DomainResult<Self> {
        if let Some(name) = patch.name {
            self.name = text("name", &name, 64, true)?;
        }
        if let Some(parent) = patch.parent {
            if parent.as_ref() == Some(&self.id) {
                return Err(DomainError::invalid("parentId", "a department cannot be its own parent"));
            }
            self.parent = parent;
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub account: String,
    pub phone: String,
    pub position: String,
    pub email: String,
    pub memo: String,
    pub department: Option<DeptId>,
    pub is_admin: bool,
    pub enabled: bool,
    /// The stored face photo's file name (`<sha256>.jpg`), if any.
    pub face_file: Option<String>,
    pub created_ms: i64,
    /// The onboarding QR code's preset values, for a user who registered by scanning one.
    pub dimensions: Vec<crate::onboarding::DimensionValue>,
}

/// What `user/add` and `user/update` may set; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub name: Option<String>,
    pub account: Option<String>,
    pub password: Option<String>,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub email: Option<String>,
    pub memo: Option<String>,
    pub department: Option<Option<DeptId>>,
    pub is_admin: Option<bool>,
    pub status: Option<i64>,
}

impl User {
    /// A new user from `user/add`; the password (hashed by the caller) is separate.
    pub fn create(id: UserId, patch: UserPatch, now_ms: i64) -> DomainResult<Self> {
        let name = patch.name.clone().ok_or(DomainError::Missing("name"))?;
        let account = patch.account.clone().ok_or(DomainError::Missing("account"))?;
        let fresh = User {
            id,
            name,
            account,
            phone: String::new(),
            position: String::new(),
            email: String::new(),
            memo: String::new(),
            department: None,
            is_admin: false,
            enabled: true,
            face_file: None,
            created_ms: now_ms,
            dimensions: Vec::new(),
        };
        fresh.apply(patch)
    }

    pub fn apply(mut self, patch: UserPatch) -> DomainResult<Self> {
        if let Some(v) = patch.name {
            self.name = text("name", &v, 64, true)?;
        }
        if let Some(v) = patch.account {
            let v = text("account", &v, 64, true)?;
            if v.chars().any(char::is_whitespace) {
                return Err(DomainError::invalid("account", "must not contain spaces"));
            }
            self.account = v;
        }
        if let Some(v) = &patch.password {
            crate::secret::check_new_password(v)?;
        }
        if let Some(v) = patch.phone {
            self.phone = text("phone", &v, 32, false)?;
        }
        if let Some(v) = patch.position {
            self.position = text("position", &v, 64, false)?;
        }
        if let Some(v) = patch.email {
            let v = text("email", &v, 128, false)?;
            if !v.is_empty() && !looks_like_email(&v) {
                return Err(DomainError::invalid("email", "not an email address"));
            }
            self.email = v;
        }
        if let Some(v) = patch.memo {
            self.memo = text("memo", &v, 1024, false)?;
        }
        if let Some(v) = patch.department {
            self.department = v;
        }
        if let Some(v) = patch.is_admin {
            self.is_admin = v;
        }
        if let Some(v) = patch.status {
            self.enabled = flag("status", v)?;
        }
        Ok(self)
    }
}

fn looks_like_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => !local.is_empty() && domain.contains('.') && !domain.starts_with('.'),
        None => false,
    }
}

/// A trimmed text field of at most `max` characters; `required` refuses blank.
pub fn text(field: &'static str, value: &str, max: usize, required: bool) -> DomainResult<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(DomainError::Missing(field));
    }
    if value.chars().count() > max {
        return Err(DomainError::invalid(field, format!("longer than {max} characters")));
    }
    Ok(value.to_string())
}

/// A 0/1 field of the seed (`status`, `needAudit`, `permission`).
pub fn flag(field: &'static str, value: i64) -> DomainResult<bool> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(DomainError::invalid(field, "must be 0 or 1")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(name: &str, account: &str) -> UserPatch {
        UserPatch { name: Some(name.into()), account: Some(account.into()), ..Default::default() }
    }

    #[test]
    fn a_user_needs_name_and_account() {
        let id = UserId::generate();
        assert_eq!(
            User::create(id.clone(), UserPatch { name: Some("x".into()), ..Default::default() }, 0),
            Err(DomainError::Missing("account"))
        );
        assert_eq!(User::create(id.clone(), patch("  ", "zs"), 0), Err(DomainError::Missing("name")));
        let user = User::create(id, patch(" 张三 ", "zhangsan"), 5).expect("valid");
        assert_eq!((user.name.as_str(), user.enabled, user.created_ms), ("张三", true, 5));
    }

    #[test]
    fn bad_values_are_refused() {
        let user = User::create(UserId::generate(), patch("a", "a"), 0).expect("valid");
        let bad = |p: UserPatch| user.clone().apply(p).is_err();
        assert!(bad(UserPatch { email: Some("nope".into()), ..Default::default() }));
        assert!(bad(UserPatch { status: Some(2), ..Default::default() }));
        assert!(bad(UserPatch { account: Some("a b".into()), ..Default::default() }));
        assert!(bad(UserPatch { password: Some(" ".into()), ..Default::default() }));
        assert!(!bad(UserPatch { email: Some("".into()), ..Default::default() }));
    }

    #[test]
    fn a_department_cannot_parent_itself() {
        let id = DeptId::generate();
        let dept =
            Department::create(id.clone(), DeptPatch { name: Some("研发部".into()), parent: None }, 0).expect("valid");
        assert!(dept.apply(DeptPatch { name: None, parent: Some(Some(id)) }).is_err());
    }
}
