//! The scan page's words in its two languages, and HTML escaping.

use roomd_core::onboarding::Lang;

pub use crate::html::esc;

pub struct Words {
    pub title: &'static str,
    pub intro: &'static str,
    pub presets: &'static str,
    pub name: &'static str,
    pub account: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub password_hint: &'static str,
    pub face: &'static str,
    pub face_hint: &'static str,
    pub face_kept: &'static str,
    pub submit: &'static str,
    pub fix: &'static str,
    pub done: &'static str,
    pub done_detail: &'static str,
    pub pending: &'static str,
    pub pending_detail: &'static str,
    pub inactive: &'static str,
    pub inactive_detail: &'static str,
    pub missing: &'static str,
    pub missing_detail: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub other_lang: &'static str,
    pub other_code: &'static str,
}

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

static ZH: Words = Words {
    title: "扫码入职",
    intro: "欢迎加入！请填写以下信息完成入职登记。",
    presets: "入职信息",
    name: "姓名",
    account: "账号",
    phone: "手机号",
    email: "邮箱",
    password: "密码",
    password_hint: "至少 8 位",
    face: "人脸照片",
    face_hint: "JPG 或 PNG，200 KB–5 MB，不超过 1920×1080",
    face_kept: "已保留上次上传的照片；重新选择可替换。",
    submit: "提交登记",
    fix: "请修改标出的内容后重新提交。",
    done: "登记成功",
    done_detail: "你的账号已创建，可以用账号和密码登录。",
    pending: "已提交，等待审批",
    pending_detail: "管理员审批通过后，你的账号即可使用。",
    inactive: "二维码已停用",
    inactive_detail: "此入职二维码已被停用，请联系管理员获取新的二维码。",
    missing: "二维码无效",
    missing_detail: "找不到这个入职二维码，请确认链接完整。",
    yes: "是",
    no: "否",
    other_lang: "English",
    other_code: "en_us",
};

static EN: Words = Words {
    title: "Scan to onboard",
    intro: "Welcome! Fill in the form below to register.",
    presets: "Your onboarding details",
    name: "Name",
    account: "Account",
    phone: "Phone",
    email: "Email",
    password: "Password",
    password_hint: "at least 8 characters",
    face: "Face photo",
    face_hint: "JPG or PNG, 200 KB–5 MB, at most 1920×1080",
    face_kept: "The photo you uploaded is kept; choose another to replace it.",
    submit: "Register",
    fix: "Please correct the marked fields and submit again.",
    done: "You are registered",
    done_detail: "Your account has been created: sign in with your account and password.",
    pending: "Submitted, waiting for approval",
    pending_detail: "Your account can be used once an administrator approves it.",
    inactive: "This QR code is deactivated",
    inactive_detail: "This onboarding QR code has been turned off. Ask your administrator for a new one.",
    missing: "Unknown QR code",
    missing_detail: "This onboarding QR code does not exist. Check that the link is complete.",
    yes: "Yes",
    no: "No",
    other_lang: "中文",
    other_code: "zh_cn",
};
