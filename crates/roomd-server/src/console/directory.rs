//! Directory: departments as a tree, users (search, add, disable or enable, face photo
//! with a preview and `user/updateFace`'s checks). The same store methods as
//! `dept/*` and `user/*`.

use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use roomd_core::directory::{Department, DeptPatch, UserPatch};
use roomd_core::onboarding::Lang;
use roomd_core::{DeptId, UserId};
use roomd_store::{ConsoleSession, StoreError};
use serde::Deserialize;

use super::page::{csrf_field, frame, html, note};
use super::{Admin, BASE, csrf_ok};
use crate::html::esc;
use crate::onboarding::page_lang;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct DirectoryQuery {
    q: Option<String>,
    lang: Option<String>,
    /// A user to edit in the form.
    edit: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DirectoryForm {
    csrf: Option<String>,
    action: Option<String>,
    id: Option<String>,
    name: Option<String>,
    parent: Option<String>,
    account: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    department: Option<String>,
    password: Option<String>,
    admin: Option<String>,
}

/// GET /meeting/manage/directory?q=…
pub async fn page(
    State(app): State<AppState>,
    Admin(s): Admin,
    Query(q): Query<DirectoryQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = page_lang(q.lang.as_deref(), &headers);
    let editing = match &q.edit {
        Some(id) => match app.store.user(&s.caller, UserId::from_stored(id.clone())).await {
            Ok(user) => Some(user),
            // A user gone since the link was made: the page without the form filled.
            Err(StoreError::Domain(_)) => None,
            Err(e) => {
                tracing::error!(error = %e, "console: reading the user to edit");
                return super::page::error_page();
            }
        },
        None => None,
    };
    render_with(&app, &s, lang, q.q.as_deref().unwrap_or_default(), String::new(), StatusCode::OK, editing.as_ref())
        .await
}

/// POST /meeting/manage/directory — `action`: `dept`, `rename-dept`, `remove-dept`, `user`,
/// `update-user`, `disable`, `enable`, `setup-link`.
pub async fn act(
    State(app): State<AppState>,
    Admin(s): Admin,
    headers: HeaderMap,
    Form(f): Form<DirectoryForm>,
) -> Response {
    let lang = page_lang(None, &headers);
    if !csrf_ok(&s, f.csrf.as_deref().unwrap_or_default()) {
        return render(&app, &s, lang, "", super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let user = || UserId::from_stored(f.id.clone().unwrap_or_default());
    let status = |on: bool| UserPatch { status: Some(i64::from(on)), ..UserPatch::default() };
    if f.action.as_deref() == Some("setup-link") {
        let message = match app.store.create_setup_link(s.caller.company.clone(), user()).await {
            Ok(token) => {
                let zh = lang == Lang::Zh;
                let intro = if zh {
                    "设置密码的链接（24 小时内有效，只能使用一次），请发给本人："
                } else {
                    "The link to set the password (valid 24 hours, works once); send it to the person:"
                };
                note(true, &format!("{intro} {}", app.views.setup_url(&token)))
            }
            Err(e) => super::failure::note_of(lang, &e),
        };
        return render(&app, &s, lang, "", message, StatusCode::OK).await;
    }
    let done: Result<(), StoreError> = match f.action.as_deref().unwrap_or_default() {
        "dept" => {
            let patch = DeptPatch { name: given(&f.name), parent: Some(given(&f.parent).map(DeptId::from_stored)) };
            app.store.add_dept(&s.caller, None, patch).await.map(|_| ())
        }
        "rename-dept" => {
            let patch = DeptPatch { name: given(&f.name), parent: None };
            app.store
                .update_dept(&s.caller, DeptId::from_stored(f.id.clone().unwrap_or_default()), patch)
                .await
                .map(|_| ())
        }
        "update-user" => {
            let patch = UserPatch {
                name: given(&f.name),
                account: given(&f.account),
                phone: Some(given(&f.phone).unwrap_or_default()),
                email: Some(given(&f.email).unwrap_or_default()),
                password: given(&f.password),
                department: Some(given(&f.department).map(DeptId::from_stored)),
                is_admin: Some(f.admin.is_some()),
                ..UserPatch::default()
            };
            app.store.update_user(&s.caller, user(), patch).await.map(|_| ())
        }
        "remove-dept" => app.store.remove_dept(&s.caller, DeptId::from_stored(f.id.clone().unwrap_or_default())).await,
        "user" => {
            let patch = UserPatch {
                name: given(&f.name),
                account: given(&f.account),
                phone: given(&f.phone),
                email: given(&f.email),
                password: given(&f.password),
                department: Some(given(&f.department).map(DeptId::from_stored)),
                is_admin: Some(f.admin.is_some()),
                ..UserPatch::default()
            };
            app.store.add_user(&s.caller, None, patch).await.map(|_| ())
        }
        "disable" => app.store.update_user(&s.caller, user(), status(false)).await.map(|_| ()),
        "enable" => app.store.update_user(&s.caller, user(), status(true)).await.map(|_| ()),
        // A form of ours always names a known action: anything else is refused, not ignored.
        _ => Err(roomd_core::DomainError::invalid("action", "unknown action").into()),
    };
    let (message, code) = match done {
        Ok(()) => (String::new(), StatusCode::OK),
        Err(e) => super::failure::shown(lang, &e),
    };
    render(&app, &s, lang, "", message, code).await
}

/// POST /meeting/manage/directory/face (multipart: `csrf`, `user`, `file`) — checked like
/// `user/updateFace` (JPEG/PNG, 200 KB–5 MB, ≤ 1920×1080), each refusal said plainly.
pub async fn face(State(app): State<AppState>, Admin(s): Admin, headers: HeaderMap, mut form: Multipart) -> Response {
    let lang = page_lang(None, &headers);
    let (mut csrf, mut user, mut file) = (String::new(), String::new(), None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "user" => user = field.text().await.unwrap_or_default(),
            "file" => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    if !csrf_ok(&s, &csrf) {
        return render(&app, &s, lang, "", super::page::expired(lang), StatusCode::FORBIDDEN).await;
    }
    let outcome = match crate::face::validate(file.map(|b| b.to_vec()).unwrap_or_default()).await {
        Err(e) => Err(e.fields.into_values().next().unwrap_or_else(|| "invalid image".into())),
        Ok(image) => match app.store.put_blob(&s.caller, image.bytes, image.ext, image.content_type).await {
            Ok(stored) => app
                .store
                .set_user_face(&s.caller, UserId::from_stored(user), Some(stored))
                .await
                .map(|_| ())
                .map_err(|e| super::failure::plain(lang, &e)),
            Err(e) => Err(super::failure::plain(lang, &e)),
        },
    };
    let (message, code) = match outcome {
        Ok(()) => {
            (note(true, if lang == Lang::Zh { "人脸照片已更新。" } else { "Face photo updated." }), StatusCode::OK)
        }
        Err(why) => (note(false, &why), StatusCode::UNPROCESSABLE_ENTITY),
    };
    render(&app, &s, lang, "", message, code).await
}

/// Departments under `parent`, depth first, indented.
fn tree(depts: &[Department], parent: Option<&DeptId>, depth: usize, out: &mut Vec<(usize, Department)>) {
    for d in depts.iter().filter(|d| d.parent.as_ref() == parent) {
        out.push((depth, d.clone()));
        if depth < 32 {
            tree(depts, Some(&d.id), depth + 1, out);
        }
    }
}

async fn render(
    app: &AppState,
    s: &ConsoleSession,
    lang: Lang,
    search: &str,
    message: String,
    status: StatusCode,
) -> Response {
    render_with(app, s, lang, search, message, status, None).await
}

async fn render_with(
    app: &AppState,
    s: &ConsoleSession,
    lang: Lang,
    search: &str,
    message: String,
    status: StatusCode,
    editing: Option<&roomd_core::directory::User>,
) -> Response {
    let zh = lang == Lang::Zh;
    let t = |zh_text: &'static str, en: &'static str| if zh { zh_text } else { en };
    let (Ok(depts), Ok(users)) = (app.store.list_depts(&s.caller).await, app.store.list_users(&s.caller).await) else {
        return super::page::error_page();
    };
    let csrf = csrf_field(s);
    let mut ordered = Vec::new();
    tree(&depts, None, 0, &mut ordered);
    let dept_rows: String = ordered
        .iter()
        .map(|(depth, d)| {
            format!(
                "<li style=\"margin-left:{}rem\"><form class=\"inline\" method=\"post\" action=\"{BASE}/directory\">{csrf}\
                 <input type=\"hidden\" name=\"id\" value=\"{id}\"><input aria-label=\"{name_label}\" name=\"name\" type=\"text\" value=\"{name}\">\
                 <button type=\"submit\" name=\"action\" value=\"rename-dept\">{rename}</button>\
                 <button type=\"submit\" name=\"action\" value=\"remove-dept\">{remove}</button></form></li>",
                depth * 2,
                id = esc(d.id.as_str()),
                name = esc(&d.name),
                name_label = t("部门名称", "Department name"),
                rename = t("改名", "rename"),
                remove = t("删除", "remove")
            )
        })
        .collect();
    let dept_options: String = ordered
        .iter()
        .map(|(depth, d)| {
            format!("<option value=\"{}\">{}{}</option>", esc(d.id.as_str()), "· ".repeat(*depth), esc(&d.name))
        })
        .collect();
    let needle = search.trim().to_lowercase();
    let user_rows: String = users
        .iter()
        .filter(|u| needle.is_empty() || [&u.name, &u.account, &u.phone, &u.email].iter().any(|f| f.to_lowercase().contains(&needle)))
        .map(|u| {
            let face = u.face_file.as_deref().map_or(String::new(), |f| {
                format!("<img src=\"{}\" alt=\"{}\" width=\"40\">", esc(&app.views.resource_url(s.caller.company.as_str(), f)), esc(&u.name))
            });
            let (action, label) = if u.enabled { ("disable", t("停用", "disable")) } else { ("enable", t("启用", "enable")) };
            format!(
                "<tr><td>{face}</td><td>{name}</td><td><code>{account}</code></td><td>{phone}</td><td>{admin}</td><td>\
                 <a href=\"{BASE}/directory?edit={id}\">{edit}</a> \
                 <form class=\"inline\" method=\"post\" action=\"{BASE}/directory\">{csrf}<input type=\"hidden\" name=\"id\" value=\"{id}\">\
                 <button type=\"submit\" name=\"action\" value=\"{action}\">{label}</button>\
                 <button type=\"submit\" name=\"action\" value=\"setup-link\">{link}</button></form>\
                 <form class=\"inline face\" method=\"post\" action=\"{BASE}/directory/face\" enctype=\"multipart/form-data\">{csrf}\
                 <input type=\"hidden\" name=\"user\" value=\"{id}\"><label for=\"face-{id}\">{face_label}</label>\
                 <input id=\"face-{id}\" name=\"file\" type=\"file\" accept=\"image/jpeg,image/png\"><img class=\"preview\" alt=\"\" width=\"40\" hidden>\
                 <button type=\"submit\">{upload}</button></form></td></tr>",
                name = esc(&u.name),
                account = esc(&u.account),
                phone = esc(&u.phone),
                admin = if u.is_admin { t("管理员", "admin") } else { "" },
                id = esc(u.id.as_str()),
                face_label = t("人脸照片", "Face photo"),
                edit = t("编辑", "edit"),
                link = t("设置密码链接", "password link"),
                upload = t("上传", "Upload"),
            )
        })
        .collect();
    let value = |get: &dyn Fn(&roomd_core::directory::User) -> String| {
        editing.map_or(String::new(), |u| format!(" value=\"{}\"", esc(&get(u))))
    };
    let input = |id: &str, label: &str, kind: &str, value: String| {
        format!("<label for=\"user-{id}\">{label}</label><input id=\"user-{id}\" name=\"{id}\" type=\"{kind}\"{value}>")
    };
    let (user_title, user_action, edit_id) = match editing {
        Some(u) => (
            t("编辑用户", "Edit the user"),
            "update-user",
            format!("<input type=\"hidden\" name=\"id\" value=\"{}\">", esc(u.id.as_str())),
        ),
        None => (t("添加用户", "Add a user"), "user", String::new()),
    };
    let user_dept_options: String = ordered
        .iter()
        .map(|(depth, d)| {
            let selected = if editing.and_then(|u| u.department.as_ref()) == Some(&d.id) { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{selected}>{}{}</option>",
                esc(d.id.as_str()),
                "· ".repeat(*depth),
                esc(&d.name)
            )
        })
        .collect();
    let admin_checked = if editing.is_some_and(|u| u.is_admin) { " checked" } else { "" };
    let body = format!(
        "{message}<section><h2>{depts_title}</h2><ul>{dept_rows}</ul><form method=\"post\" action=\"{BASE}/directory\">{csrf}\
         <label for=\"dept-name\">{name}</label><input id=\"dept-name\" name=\"name\" type=\"text\" required>\
         <label for=\"dept-parent\">{parent}</label><select id=\"dept-parent\" name=\"parent\"><option value=\"\">—</option>{dept_options}</select>\
         <p><button type=\"submit\" name=\"action\" value=\"dept\">{add_dept}</button></p></form></section>\
         <section><h2>{users_title}</h2><form method=\"get\" action=\"{BASE}/directory\"><label for=\"q\">{search_label}</label>\
         <input id=\"q\" name=\"q\" type=\"text\" value=\"{search}\"> <button type=\"submit\">{search_button}</button></form>\
         <table><tbody>{user_rows}</tbody></table></section>\
         <section><h2>{user_title}</h2><form method=\"post\" action=\"{BASE}/directory\">{csrf}{edit_id}{u_name}{u_account}{u_phone}{u_email}{u_password}\
         <label for=\"user-department\">{dept}</label><select id=\"user-department\" name=\"department\"><option value=\"\">—</option>{user_dept_options}</select>\
         <label><input type=\"checkbox\" id=\"user-admin\" name=\"admin\"{admin_checked}> {admin}</label>\
         <p><button type=\"submit\" name=\"action\" value=\"{user_action}\">{user_title}</button></p></form></section>\
         <script>for (const input of document.querySelectorAll('form.face input[type=file]')) input.addEventListener('change', () => {{\
         const img = input.parentElement.querySelector('img.preview'); const file = input.files[0]; if (!file) return;\
         img.src = URL.createObjectURL(file); img.hidden = false; }});</script>",
        depts_title = t("部门", "Departments"),
        name = t("名称", "Name"),
        parent = t("上级部门", "Parent"),
        add_dept = t("添加部门", "Add a department"),
        users_title = t("用户", "Users"),
        search_label = t("搜索", "Search"),
        search = esc(search),
        search_button = t("搜索", "Search"),
        u_name = input("name", t("姓名", "Name"), "text", value(&|u| u.name.clone())),
        u_account = input("account", t("账号", "Account"), "text", value(&|u| u.account.clone())),
        u_phone = input("phone", t("手机号", "Phone"), "tel", value(&|u| u.phone.clone())),
        u_email = input("email", t("邮箱", "Email"), "email", value(&|u| u.email.clone())),
        u_password = input(
            "password",
            t(
                "密码（可空：没有密码的用户在通过链接设置密码前无法登录）",
                "Password (optional: without one, nobody can sign in as this user until a password link is used)"
            ),
            "password",
            String::new(),
        ),
        dept = t("部门", "Department"),
        admin = t("管理员", "Admin"),
    );
    html(status, frame(lang, t("通讯录", "Directory"), Some(s), &body))
}
