//! What every HTML page shares: the templates' frame (`templates/base.html`), the phrases
//! in two languages (`words`), the stylesheet, the page's language, and rendering.
//!
//! Pages are askama templates: compiled with the binary (a missing field or a typo is a
//! build error) and escaped by default, so no handler writes markup or escapes text.

pub mod assets;
pub mod feed;
pub mod form;
mod words;

use std::borrow::Cow;

use askama::Template;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use roomd_core::onboarding::Lang;

use self::assets::Asset;

pub(crate) use words::phrase_table;
pub use words::{Words, words};

/// The one stylesheet of every page, and the icon in the browser's tab; their addresses
/// carry their versions (`?v=`).
static STYLESHEET: Asset =
    Asset::new("text/css; charset=utf-8", include_str!("../../assets/roomd.css"), assets::FOR_A_YEAR);
static ICON: Asset = Asset::new("image/svg+xml", include_str!("../../assets/icon.svg"), assets::FOR_A_YEAR);
const LANG_COOKIE: &str = "roomd_lang";

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/roomd.css", assets::route(&STYLESHEET)).route("/assets/icon.svg", assets::route(&ICON))
}

/// What the frame of a page shows around its content.
pub struct Page<'a> {
    pub t: &'static Words,
    pub lang: Lang,
    pub title: Cow<'a, str>,
    /// A line at the top: what an action did, or why it did not.
    pub notice: Option<Notice>,
    /// The link to the same page in the other language.
    pub switch: String,
    /// The console's header (navigation, who is signed in); `None` on the public pages.
    pub console: Option<Console<'a>>,
}

/// The console's part of the frame.
pub struct Console<'a> {
    pub nav: Vec<NavLink>,
    /// The signed-in admin's name and company, and the token their forms carry.
    pub who: Option<(&'a str, &'a str, &'a str)>,
}

pub struct NavLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

pub struct Notice {
    pub ok: bool,
    pub text: String,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Option<Notice> {
        Some(Notice { ok: true, text: text.into() })
    }

    pub fn error(text: impl Into<String>) -> Option<Notice> {
        Some(Notice { ok: false, text: text.into() })
    }
}

impl<'a> Page<'a> {
    /// A public page (no console header) in `lang`.
    pub fn public(lang: Lang, title: impl Into<Cow<'a, str>>, switch: String) -> Self {
        Page { t: words(lang), lang, title: title.into(), notice: None, switch, console: None }
    }

    pub fn with_notice(mut self, notice: Option<Notice>) -> Self {
        self.notice = notice;
        self
    }

    pub fn html_lang(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The other language's code for `?lang=`, and its `lang` attribute.
    pub fn other_lang(&self) -> (&'static str, &'static str) {
        let attribute = if self.lang == Lang::Zh { "en" } else { "zh-CN" };
        (other_lang(self.lang), attribute)
    }

    pub fn style_version(&self) -> &'static str {
        STYLESHEET.version()
    }

    pub fn icon_version(&self) -> &'static str {
        ICON.version()
    }

    /// The signed-in admin's form token ("" on public pages).
    pub fn csrf(&self) -> &str {
        self.console.as_ref().and_then(|c| c.who).map_or("", |(_, _, csrf)| csrf)
    }
}

/// `template` as the answer, with `status`; a template that fails (it cannot, short of a
/// bug in a `Display`) is logged and answered 500.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering a page");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A page with only its notice: a title and a line under it.
#[derive(Template)]
#[template(path = "public/notice.html")]
pub struct NoticePage<'a> {
    pub page: Page<'a>,
}

/// What a page surface answers for what axum refused on its own (an unknown path under
/// it, a wrong method, a body too large): a page that says so, with the status kept.
pub fn stray_page(lang: Lang, status: StatusCode) -> Response {
    let t = words(lang);
    let (title, text) = match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => (t.not_found_title, t.not_found),
        s if s.is_server_error() => (t.failed_title, t.internal),
        _ => (t.failed_title, t.bad_form),
    };
    let page = Page::public(lang, title, format!("?lang={}", other_lang(lang))).with_notice(Notice::error(text));
    render(status, &NoticePage { page })
}

/// The other language's code for `?lang=` (the language switch on every page).
pub fn other_lang(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "en",
        Lang::En => "zh",
    }
}

/// The page's language: `?lang=`, else the one chosen before (a cookie), else the
/// browser's first choice, else Chinese.
pub fn page_lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
    query.and_then(Lang::parse).or_else(|| cookie_lang(headers)).unwrap_or_else(|| {
        let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        accept.split(',').next().and_then(Lang::parse).unwrap_or(Lang::Zh)
    })
}

/// `?lang=` of the request, if any.
pub fn query_lang(parts: &axum::http::request::Parts) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct LangOnly {
        lang: Option<String>,
    }
    parts.uri.query().and_then(|q| serde_urlencoded::from_str::<LangOnly>(q).ok()).and_then(|l| l.lang)
}

fn cookie_lang(headers: &HeaderMap) -> Option<Lang> {
    cookie(headers, LANG_COOKIE).as_deref().and_then(Lang::parse)
}

/// The value of cookie `name` the request carries, if any and not empty.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_string))
        .filter(|v| !v.is_empty())
}

/// Middleware for the pages: a `?lang=` choice is remembered (a cookie for the whole
/// site), so the pages after it, and the answers to its forms, stay in that language.
pub async fn remember_lang(req: Request, next: Next) -> Response {
    let chosen = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == "lang"))
        .and_then(|(_, v)| Lang::parse(&v));
    let mut response = next.run(req).await;
    if let Some(lang) = chosen {
        let code = if lang == Lang::Zh { "zh" } else { "en" };
        let cookie = format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue, header};
    use roomd_core::onboarding::Lang;

    use super::page_lang;

    #[test]
    fn the_language_is_the_query_then_the_cookie_then_the_browser() {
        let mut headers = HeaderMap::new();
        assert_eq!(page_lang(None, &headers), Lang::Zh);
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-US,en;q=0.9"));
        assert_eq!(page_lang(None, &headers), Lang::En);
        headers.insert(header::COOKIE, HeaderValue::from_static("roomd_session=x; roomd_lang=zh"));
        assert_eq!(page_lang(None, &headers), Lang::Zh);
        assert_eq!(page_lang(Some("en_us"), &headers), Lang::En);
    }
}
