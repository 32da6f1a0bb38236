//! Directory: departments as a tree, users (search, add, edit, disable or enable, a
//! password link, a face photo with a preview and `user/updateFace`'s checks). The same
//! store methods as `dept/*` and `user/*`.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use roomd_core::directory::{Department, DeptPatch, User, UserPatch};
use roomd_core::{DeptId, DomainError, UserId};
use roomd_store::StoreError;
use serde::Deserialize;

use super::page::{Admin, Done, OrPage, Posted, Section, done};
use crate::state::AppState;
use crate::web::form::{Upload, UploadRefused};
use crate::web::{Notice, Page, render};

const HERE: Section = Section::Directory;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    q: Option<String>,
    /// A user to edit in the form.
    edit: Option<String>,
    done: Option<Done>,
}

#[derive(Debug, Deserialize)]
pub struct DeptForm {
    id: Option<String>,
    #[serde(default)]
    name: String,
    parent: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct IdForm {
    id: String,
}

/// The user form, as typed (or as the user being edited has it).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UserFields {
    id: Option<String>,
    name: String,
    account: String,
    phone: String,
    email: String,
    password: String,
    department: String,
    #[serde(deserialize_with = "checkbox")]
    admin: bool,
}

/// A checkbox: present (whatever its value) when ticked.
fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Option::<String>::deserialize(d).map(|v| v.is_some())
}

pub struct DeptLine {
    depth: usize,
    /// `· ` a level, for the drop-downs.
    prefix: String,
    dept: Department,
}

pub struct UserLine {
    user: User,
    face: Option<String>,
}

#[derive(Template)]
#[template(path = "console/directory.html")]
struct DirectoryPage<'a> {
    page: Page<'a>,
    depts: Vec<DeptLine>,
    users: Vec<UserLine>,
    search: String,
    editing: Option<String>,
    form_title: &'static str,
    form: UserFields,
    setup_link: Option<String>,
    /// Whether this server sends mail (a setup link can go by mail).
    mail_on: bool,
}

/// GET /meeting/manage/directory?q=…&edit=…
pub async fn page(State(app): State<AppState>, a: Admin, Query(q): Query<PageQuery>) -> Result<Response, Response> {
    let editing = match q.edit.as_deref().map(|id| UserId::parse("edit", id)) {
        Some(Ok(id)) => match app.store.user(&a.s.caller, id).await {
            Ok(user) => Some(user),
            // A user gone since the link was made: the page without the form filled.
            Err(StoreError::Domain(_)) => None,
            Err(e) => return Err(a.failed(HERE, &e)),
        },
        Some(Err(_)) | None => None,
    };
    let form = editing.as_ref().map(fields_of).unwrap_or_default();
    let view = View { search: q.q.unwrap_or_default(), form, setup_link: None };
    show(&app, &a, view, q.done.and_then(|d| d.notice(a.t())), StatusCode::OK).await
}

/// POST …/directory/departments `name`, `parent`
pub async fn add_dept(State(app): State<AppState>, p: Posted<DeptForm>) -> Result<Response, Response> {
    let parent = given(p.form.parent.as_deref()).map(|id| DeptId::parse("parent", id)).transpose();
    let added = match parent {
        Ok(parent) => {
            let patch = DeptPatch { name: given(Some(&p.form.name)).map(str::to_string), parent: Some(parent) };
            app.store.add_dept(&p.admin.s.caller, None, patch).await.map(|_| ())
        }
        Err(e) => Err(e.into()),
    };
    answer(&app, &p.admin, added, Done::DeptAdded).await
}

/// POST …/directory/departments/rename `id`, `name`
pub async fn rename_dept(State(app): State<AppState>, p: Posted<DeptForm>) -> Result<Response, Response> {
    let renamed = match DeptId::parse("id", p.form.id.as_deref().unwrap_or_default()) {
        Ok(id) => {
            let patch = DeptPatch { name: given(Some(&p.form.name)).map(str::to_string), parent: None };
            app.store.update_dept(&p.admin.s.caller, id, patch).await.map(|_| ())
        }
        Err(e) => Err(e.into()),
    };
    answer(&app, &p.admin, renamed, Done::Saved).await
}

/// POST …/directory/departments/remove `id`
pub async fn remove_dept(State(app): State<AppState>, p: Posted<DeptForm>) -> Result<Response, Response> {
    let removed = match DeptId::parse("id", p.form.id.as_deref().unwrap_or_default()) {
        Ok(id) => app.store.remove_dept(&p.admin.s.caller, id).await,
        Err(e) => Err(e.into()),
    };
    answer(&app, &p.admin, removed, Done::Removed).await
}

/// POST …/directory/users — a new user; a refusal keeps what was typed in the form.
pub async fn add_user(State(app): State<AppState>, p: Posted<UserFields>) -> Result<Response, Response> {
    let (a, f) = (p.admin, p.form);
    let added = match user_patch(&f, false) {
        Ok(patch) => app.store.add_user(&a.s.caller, None, patch).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match added {
        Ok(()) => Ok(done(HERE, &[], Done::UserAdded)),
        Err(e) => refused(&app, &a, &e, f).await,
    }
}

/// POST …/directory/users/update `id` and the form's fields.
pub async fn update_user(State(app): State<AppState>, p: Posted<UserFields>) -> Result<Response, Response> {
    let (a, f) = (p.admin, p.form);
    let updated = match (UserId::parse("id", f.id.as_deref().unwrap_or_default()), user_patch(&f, true)) {
        (Ok(id), Ok(patch)) => app.store.update_user(&a.s.caller, id, patch).await.map(|_| ()),
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
    };
    match updated {
        Ok(()) => Ok(done(HERE, &[], Done::Saved)),
        Err(e) => refused(&app, &a, &e, f).await,
    }
}

/// POST …/directory/users/disable `id`
pub async fn disable_user(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    set_enabled(&app, p, false).await
}

/// POST …/directory/users/enable `id`
pub async fn enable_user(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    set_enabled(&app, p, true).await
}

async fn set_enabled(app: &AppState, p: Posted<IdForm>, on: bool) -> Result<Response, Response> {
    let patch = UserPatch { status: Some(i64::from(on)), ..UserPatch::default() };
    let set = match UserId::parse("id", &p.form.id) {
        Ok(id) => app.store.update_user(&p.admin.s.caller, id, patch).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    answer(app, &p.admin, set, Done::Saved).await
}

/// POST …/directory/users/setup-link `id` — a one-time link to set the password, shown
/// once for the admin to pass on.
pub async fn setup_link(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    let a = p.admin;
    let made = match UserId::parse("id", &p.form.id) {
        Ok(id) => app.store.create_setup_link(a.s.caller.company.clone(), id).await,
        Err(e) => Err(e.into()),
    };
    match made {
        Ok(token) => {
            let view = View { setup_link: Some(app.views.setup_url(&token)), ..View::default() };
            show(&app, &a, view, None, StatusCode::OK).await
        }
        Err(e) => refused(&app, &a, &e, UserFields::default()).await,
    }
}

/// POST …/directory/users/setup-mail `id` — the same link, mailed to the user (with
/// `--smtp-url`, to a user with an email) through the outbox.
pub async fn mail_setup_link(State(app): State<AppState>, p: Posted<IdForm>) -> Result<Response, Response> {
    let views = app.views.clone();
    let mailed = match UserId::parse("id", &p.form.id) {
        Ok(id) => app.store.mail_setup_link(&p.admin.s.caller, id, move |token| views.setup_url(token)).await,
        Err(e) => Err(e.into()),
    };
    answer(&app, &p.admin, mailed.map(drop), Done::LinkMailed).await
}

/// POST …/directory/face (multipart: `csrf`, `user`, `file`) — checked like
/// `user/updateFace` (JPEG/PNG, 200 KB–5 MB, ≤ 1920×1080), each refusal said plainly.
pub async fn face(State(app): State<AppState>, a: Admin, form: Multipart) -> Result<Response, Response> {
    let upload = read_upload(&a, form).await?;
    let user = upload.fields.get("user").cloned().unwrap_or_default();
    let why = match crate::face::check(upload.file).await {
        Err(refused) => refused.reason(),
        Ok(image) => {
            let stored = app.store.put_blob(&a.s.caller, image.bytes, image.ext, image.content_type).await;
            let set = match (stored, UserId::parse("user", &user)) {
                (Ok(file), Ok(user)) => app.store.set_user_face(&a.s.caller, user, Some(file)).await.map(|_| ()),
                (Err(e), _) => Err(e),
                (_, Err(e)) => Err(e.into()),
            };
            match set {
                Ok(()) => return Ok(done(HERE, &[], Done::FaceUpdated)),
                Err(e @ StoreError::Domain(_)) => super::failure::plain(a.lang, &e),
                Err(e) => return Err(a.failed(HERE, &e)),
            }
        }
    };
    show(&app, &a, View::default(), Notice::error(why), StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The face form's fields (`user`, `file`), its token checked like `Posted`'s.
async fn read_upload(a: &Admin, form: Multipart) -> Result<Upload, Response> {
    let t = a.t();
    match crate::web::form::read_upload(form, &a.s).await {
        Ok(upload) => Ok(upload),
        Err(UploadRefused::Expired) => Err(a.message(HERE, StatusCode::FORBIDDEN, t.expired_title, t.expired_form)),
        Err(UploadRefused::TooLarge) => Err(a.message(HERE, StatusCode::PAYLOAD_TOO_LARGE, t.failed_title, t.bad_form)),
        Err(UploadRefused::Unreadable(status)) => Err(a.message(HERE, status, t.failed_title, t.bad_form)),
    }
}

/// A text field's value, trimmed; `None` when blank.
fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// The form as a patch; on an update, a blank phone or email clears it.
fn user_patch(f: &UserFields, update: bool) -> Result<UserPatch, DomainError> {
    let text = |v: &str| given(Some(v)).map(str::to_string);
    let cleared = |v: &str| if update { Some(text(v).unwrap_or_default()) } else { text(v) };
    let department = given(Some(&f.department)).map(|d| DeptId::parse("department", d)).transpose()?;
    Ok(UserPatch {
        name: text(&f.name),
        account: text(&f.account),
        phone: cleared(&f.phone),
        email: cleared(&f.email),
        password: text(&f.password),
        department: Some(department),
        is_admin: Some(f.admin),
        ..UserPatch::default()
    })
}

fn fields_of(u: &User) -> UserFields {
    UserFields {
        id: Some(u.id.to_string()),
        name: u.name.clone(),
        account: u.account.clone(),
        phone: u.phone.clone(),
        email: u.email.clone(),
        password: String::new(),
        department: u.department.as_ref().map(ToString::to_string).unwrap_or_default(),
        admin: u.is_admin,
    }
}

/// Back to the page saying `what`, or the page saying why not.
async fn answer(app: &AppState, a: &Admin, outcome: Result<(), StoreError>, what: Done) -> Result<Response, Response> {
    match outcome {
        Ok(()) => Ok(done(HERE, &[], what)),
        Err(e) => refused(app, a, &e, UserFields::default()).await,
    }
}

/// The page with the refusal on top (422) and the user form as it was typed; roomd's own
/// failure is the failure page.
async fn refused(app: &AppState, a: &Admin, e: &StoreError, form: UserFields) -> Result<Response, Response> {
    if !matches!(e, StoreError::Domain(_)) {
        return Err(a.failed(HERE, e));
    }
    let (why, status) = super::failure::said(a.lang, e);
    show(app, a, View { form, ..View::default() }, Notice::error(why), status).await
}

/// What one showing of the page holds besides the directory itself.
#[derive(Default)]
struct View {
    search: String,
    form: UserFields,
    setup_link: Option<String>,
}

async fn show(
    app: &AppState,
    a: &Admin,
    view: View,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, Response> {
    let t = a.t();
    let depts = app.store.list_depts(&a.s.caller).await.or_page(a, HERE)?;
    let users = app.store.list_users(&a.s.caller).await.or_page(a, HERE)?;
    let mut lines = Vec::new();
    tree(&depts, None, 0, &mut lines);
    let needle = view.search.trim().to_lowercase();
    let company = a.s.caller.company.as_str();
    let users = users
        .into_iter()
        .filter(|u| {
            needle.is_empty()
                || [&u.name, &u.account, &u.phone, &u.email].iter().any(|f| f.to_lowercase().contains(&needle))
        })
        .map(|user| UserLine { face: user.face_file.as_deref().map(|f| app.views.resource_url(company, f)), user })
        .collect();
    let editing = view.form.id.clone().filter(|id| !id.is_empty());
    let page = DirectoryPage {
        page: a.page(HERE, t.directory).with_notice(notice),
        depts: lines,
        users,
        search: view.search,
        form_title: if editing.is_some() { t.edit_user } else { t.add_user },
        editing,
        form: view.form,
        setup_link: view.setup_link,
        mail_on: app.mail.is_some(),
    };
    Ok(render(status, &page))
}

/// Departments under `parent`, depth first.
fn tree(depts: &[Department], parent: Option<&DeptId>, depth: usize, out: &mut Vec<DeptLine>) {
    for d in depts.iter().filter(|d| d.parent.as_ref() == parent) {
        out.push(DeptLine { depth, prefix: "· ".repeat(depth), dept: d.clone() });
        if depth < 32 {
            tree(depts, Some(&d.id), depth + 1, out);
        }
    }
}
