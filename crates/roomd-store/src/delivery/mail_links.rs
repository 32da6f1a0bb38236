//! Setup links by mail (docs/wire-compat.md "Mail"): an admin has roomd mail a person the
//! one-time link that sets their password. The link and its message are made in one unit
//! of work, and the message goes out through the outbox like every other (`method`
//! `SETUP`, no meeting).

use roomd_core::ical::Person;
use roomd_core::mail::LinkNotice;
use roomd_core::secret::alphanumeric;
use roomd_core::{Caller, DomainError, UserId};

use crate::company::load_company;
use crate::console::{SETUP_LINK_MS, insert_setup_link};
use crate::db::work;
use crate::directory::load_user;
use crate::mail::{Outgoing, enqueue};
use crate::{Store, StoreResult};

impl Store {
    /// Mails `user` a new setup link, its address `url(token)`: the address it goes to.
    /// Refused (on `email`) when the user has none or it is no address, and when this
    /// server sends no mail.
    pub async fn mail_setup_link(
        &self,
        caller: &Caller,
        user: UserId,
        url: impl Fn(&str) -> String + Send + Sync + 'static,
    ) -> StoreResult<String> {
        let Some(render) = self.mail_render() else {
            return Err(DomainError::invalid("email", "roomd sends no mail: start it with --smtp-url").into());
        };
        let (company, now, token) = (caller.company.as_str().to_string(), self.now_ms(), alphanumeric(40));
        self.write(work!(|conn| {
            let person = load_user(conn, &company, &user).await?;
            if person.email.is_empty() {
                return Err(DomainError::invalid("email", "this user has no email address").into());
            }
            let company_row = load_company(conn, &company).await?;
            let link = url(&token);
            let notice = LinkNotice {
                company: &company_row,
                to: Person { name: &person.name, email: &person.email },
                url: &link,
                expires_ms: now + SETUP_LINK_MS,
                now_ms: now,
            };
            let rendered = render
                .render_link(&notice)
                .ok_or(DomainError::invalid("email", "no message can be written to this address"))?;
            insert_setup_link(conn, &company, &user, &token, now).await?;
            let out = Outgoing { to: &person.email, meeting: "", series: "", method: "SETUP" };
            enqueue(conn, &company, out, &rendered, now).await?;
            Ok(person.email)
        }))
        .await
    }
}
