//! Onboarding QR codes (入职二维码): the dimensions a company lets its codes carry, the
//! values a code presets, and the registrations new employees make by scanning one.

use std::collections::{BTreeMap, HashSet};

use rand::RngExt;

use crate::{DeptId, DomainError, DomainResult, UserId};

/// A dimension value list holds 1 to this many values; so does a multi-select value.
pub const MAX_VALUES: usize = 1000;

/// The two dimensions whose options come from the directory rather than from `save`.
pub const BUILTIN_COMPANY: &str = "company";
pub const BUILTIN_DEPARTMENT: &str = "department";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DimensionKind {
    Single = 1,
    Multi = 2,
    Bool = 3,
}

impl DimensionKind {
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(DimensionKind::Single),
            2 => Some(DimensionKind::Multi),
            3 => Some(DimensionKind::Bool),
            _ => None,
        }
    }
}

/// A name in the two languages the Feishu API carries (`i18n_v2`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct I18n {
    pub zh_cn: String,
    pub en_us: String,
}

impl I18n {
    pub fn pick(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Zh => (&self.zh_cn, &self.en_us),
            Lang::En => (&self.en_us, &self.zh_cn),
        };
        if first.is_empty() { second } else { first }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh_cn`/`zh-CN`/`zh` → Chinese, `en_us`/`en` → English.
    pub fn parse(raw: &str) -> Option<Lang> {
        let lower = raw.trim().to_ascii_lowercase().replace('-', "_");
        match lower.split('_').next() {
            Some("zh") => Some(Lang::Zh),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimOption {
    /// What a code's `select_value` names.
    pub value: String,
    pub name: I18n,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    pub api_name: String,
    pub display_name: I18n,
    pub kind: DimensionKind,
    /// For selects; the built-in dimensions' options are filled from the directory.
    pub options: Vec<DimOption>,
}

impl Dimension {
    pub fn is_builtin(&self) -> bool {
        self.api_name == BUILTIN_COMPANY || self.api_name == BUILTIN_DEPARTMENT
    }

    /// The option `value` names, for display.
    pub fn option(&self, value: &str) -> Option<&DimOption> {
        self.options.iter().find(|o| o.value == value)
    }
}

/// The most dimensions a company defines, and options a dimension offers.
const MAX_DIMENSIONS: usize = 50;
const MAX_OPTIONS: usize = 500;

/// A company's whole set of dimensions, as `onboarding/dimension/save` replaces it.
pub fn check_dimensions(dims: &[Dimension]) -> Result<(), Vec<Violation>> {
    let mut bad = Vec::new();
    if dims.len() > MAX_DIMENSIONS {
        return Err(vec![Violation::new("dimensions", format!("at most {MAX_DIMENSIONS} dimensions"))]);
    }
    let mut names = HashSet::new();
    for (i, d) in dims.iter().enumerate() {
        let at = |field: &str| format!("dimensions[{i}].{field}");
        if !valid_api_name(&d.api_name) {
            bad.push(Violation::new(at("apiName"), "1 to 64 letters, digits or underscores"));
        } else if !names.insert(d.api_name.as_str()) {
            bad.push(Violation::new(at("apiName"), format!("{} appears twice", d.api_name)));
        }
        if d.display_name.zh_cn.trim().is_empty() && d.display_name.en_us.trim().is_empty() {
            bad.push(Violation::new(at("displayName"), "give zh_cn, en_us or both"));
        }
        if d.display_name.zh_cn.chars().count() > 64 || d.display_name.en_us.chars().count() > 64 {
            bad.push(Violation::new(at("displayName"), "at most 64 characters a language"));
        }
        if d.options.len() > MAX_OPTIONS {
            bad.push(Violation::new(at("options"), format!("at most {MAX_OPTIONS} options")));
            continue;
        }
        if d.is_builtin() {
            if d.kind != DimensionKind::Single {
                bad.push(Violation::new(at("type"), format!("{} is a single-select (1)", d.api_name)));
            }
            if !d.options.is_empty() {
                bad.push(Violation::new(at("options"), "the options of a built-in dimension come from the directory"));
            }
            continue;
        }
        match d.kind {
            DimensionKind::Bool if !d.options.is_empty() => {
                bad.push(Violation::new(at("options"), "a boolean dimension has no options"))
            }
            DimensionKind::Single | DimensionKind::Multi if d.options.is_empty() => {
                bad.push(Violation::new(at("options"), "a select needs at least one option"))
            }
            _ => {}
        }
        let mut values = HashSet::new();
        for (j, o) in d.options.iter().enumerate() {
            if o.value.trim().is_empty() || o.value.len() > 64 {
                bad.push(Violation::new(at(&format!("options[{j}].value")), "1 to 64 characters"));
            } else if !values.insert(o.value.as_str()) {
                bad.push(Violation::new(at(&format!("options[{j}].value")), format!("{} appears twice", o.value)));
            }
        }
    }
    if bad.is_empty() { Ok(()) } else { Err(bad) }
}

fn valid_api_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Select(String),
    Multi(Vec<String>),
    Bool(bool),
}

/// One preset value of a code: `{dimension: {api_name}, value: {…}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionValue {
    pub api_name: String,
    pub value: Value,
}

/// A value as a client sent it, before it is checked against the dimensions.
#[derive(Debug, Clone, Default)]
pub struct RawValue {
    pub api_name: Option<String>,
    pub select_value: Option<String>,
    pub multi_select_value: Option<Vec<String>>,
    pub bool_value: Option<bool>,
}

/// Why one field of a request is refused (Feishu's `field_violations`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub description: String,
}

impl Violation {
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        Violation { field: field.into(), description: description.into() }
    }
}

/// Checks a create request's values against the company's dimensions: 1–1000 values,
/// each naming a known dimension once, with exactly the value kind of its type and, for
/// selects, existing options.
pub fn check_values(raw: &[RawValue], dims: &[Dimension]) -> Result<Vec<DimensionValue>, Vec<Violation>> {
    const LIST: &str = "dimension_value_list";
    if raw.is_empty() || raw.len() > MAX_VALUES {
        return Err(vec![Violation::new(LIST, format!("holds 1 to {MAX_VALUES} values, not {}", raw.len()))]);
    }
    let by_name: BTreeMap<&str, &Dimension> = dims.iter().map(|d| (d.api_name.as_str(), d)).collect();
    let mut seen = HashSet::new();
    let mut bad = Vec::new();
    let mut values = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let name_field = format!("{LIST}[{i}].dimension.api_name");
        let Some(name) = r.api_name.as_deref().filter(|n| !n.trim().is_empty()) else {
            bad.push(Violation::new(name_field, "required"));
            continue;
        };
        let Some(dim) = by_name.get(name) else {
            bad.push(Violation::new(name_field, format!("{name} is not one of the company's dimensions")));
            continue;
        };
        if !seen.insert(name) {
            bad.push(Violation::new(name_field, format!("{name} is given twice")));
            continue;
        }
        match check_value(r, dim, &format!("{LIST}[{i}].value")) {
            Ok(value) => values.push(DimensionValue { api_name: name.to_string(), value }),
            Err(v) => bad.push(v),
        }
    }
    if bad.is_empty() { Ok(values) } else { Err(bad) }
}

fn check_value(r: &RawValue, dim: &Dimension, at: &str) -> Result<Value, Violation> {
    let given = [r.select_value.is_some(), r.multi_select_value.is_some(), r.bool_value.is_some()];
    let (wanted, index) = match dim.kind {
        DimensionKind::Single => ("select_value", 0),
        DimensionKind::Multi => ("multi_select_value", 1),
        DimensionKind::Bool => ("bool_value", 2),
    };
    if !given[index] || given.iter().filter(|g| **g).count() != 1 {
        let kind = ["single-select", "multi-select", "boolean"][index];
        return Err(Violation::new(
            format!("{at}.{wanted}"),
            format!("{} is a {kind}: give {wanted} only", dim.api_name),
        ));
    }
    let known = |v: &str| dim.option(v).is_some();
    match dim.kind {
        DimensionKind::Single => {
            let v = r.select_value.clone().unwrap_or_default();
            if !known(&v) {
                return Err(Violation::new(
                    format!("{at}.select_value"),
                    format!("{v:?} is not an option of {}", dim.api_name),
                ));
            }
            Ok(Value::Select(v))
        }
        DimensionKind::Multi => {
            let list = r.multi_select_value.clone().unwrap_or_default();
            let field = format!("{at}.multi_select_value");
            if list.is_empty() || list.len() > MAX_VALUES {
                return Err(Violation::new(field, format!("holds 1 to {MAX_VALUES} options")));
            }
            if let Some(v) = list.iter().find(|v| !known(v)) {
                return Err(Violation::new(field, format!("{v:?} is not an option of {}", dim.api_name)));
            }
            if list.iter().collect::<HashSet<_>>().len() != list.len() {
                return Err(Violation::new(field, "an option is given twice"));
            }
            Ok(Value::Multi(list))
        }
        DimensionKind::Bool => Ok(Value::Bool(r.bool_value.unwrap_or_default())),
    }
}

/// The department a code presets, if it carries the built-in `department` dimension.
pub fn preset_department(values: &[DimensionValue]) -> Option<DeptId> {
    values.iter().find(|v| v.api_name == BUILTIN_DEPARTMENT).and_then(|v| match &v.value {
        Value::Select(id) => Some(DeptId::from_stored(id.clone())),
        _ => None,
    })
}

/// A decimal id like Feishu's (`6892698621939026184`): milliseconds, then 22 random bits.
pub fn numeric_id(now_ms: i64) -> String {
    let random: i64 = rand::rng().random_range(0..(1 << 22));
    ((now_ms.max(0) << 22) | random).to_string()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    pub id: String,
    /// The secret in the code's links (`signKey`, `scan_code`).
    pub sign_key: String,
    pub active: bool,
    pub created_by: String,
    pub updated_by: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub values: Vec<DimensionValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationState {
    Pending = 0,
    Approved = 1,
    Rejected = 2,
}

impl RegistrationState {
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(RegistrationState::Pending),
            1 => Some(RegistrationState::Approved),
            2 => Some(RegistrationState::Rejected),
            _ => None,
        }
    }
}

/// What a new employee types on the scan page.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    pub name: String,
    pub account: String,
    pub phone: String,
    pub email: String,
    pub password: String,
}

impl RegistrationForm {
    /// Every field is required; the checks `user/add` would make, said per field.
    pub fn check(&self) -> Result<(), Vec<Violation>> {
        let mut bad = Vec::new();
        for (field, value, max) in [
            ("name", &self.name, 64),
            ("account", &self.account, 64),
            ("phone", &self.phone, 32),
            ("email", &self.email, 128),
        ] {
            if value.trim().is_empty() {
                bad.push(Violation::new(field, "required"));
            } else if value.chars().count() > max {
                bad.push(Violation::new(field, format!("at most {max} characters")));
            }
        }
        if !self.phone.trim().is_empty()
            && !self.phone.trim().chars().all(|c| c.is_ascii_digit() || c == '+' || c == '-')
        {
            bad.push(Violation::new("phone", "digits only"));
        }
        let email = self.email.trim();
        let shaped = email.contains('@') && !email.starts_with('@') && !email.ends_with('@');
        if !email.is_empty() && !shaped {
            bad.push(Violation::new("email", "not an email address"));
        }
        if self.password.chars().count() < 8 {
            bad.push(Violation::new("password", "at least 8 characters"));
        }
        if bad.is_empty() { Ok(()) } else { Err(bad) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: String,
    pub qr_code: String,
    pub name: String,
    pub account: String,
    pub phone: String,
    pub email: String,
    pub department: Option<DeptId>,
    pub values: Vec<DimensionValue>,
    pub state: RegistrationState,
    /// The user made from it, once approved (at once when no approval is needed).
    pub user: Option<UserId>,
    pub reason: String,
    pub created_ms: i64,
    pub decided_ms: Option<i64>,
}

impl From<Vec<Violation>> for DomainError {
    fn from(v: Vec<Violation>) -> Self {
        DomainError::Violations(v)
    }
}

/// `DomainResult` for a value that passed every check.
pub fn checked<T>(r: Result<T, Vec<Violation>>) -> DomainResult<T> {
    r.map_err(DomainError::Violations)
}
