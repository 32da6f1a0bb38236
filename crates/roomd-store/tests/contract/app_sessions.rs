//! The employees' app's sessions on both backends: any enabled user signs in by account,
//! phone or email; tries by any login count against one account, on either surface; a
//! disabled or removed user's sessions end at once and do not come back.

use roomd_core::directory::UserPatch;
use roomd_store::{SignInRefused, Store, Surface};

use super::{Backend, backends, company};

async fn employee(s: &Store, c: &roomd_core::Caller, account: &str, phone: &str) -> roomd_core::UserId {
    let patch = UserPatch {
        name: Some(account.into()),
        account: Some(account.into()),
        phone: Some(phone.into()),
        email: Some(format!("{account}@example.com")),
        password: Some("staff-pass-1".into()),
        ..Default::default()
    };
    s.add_user(c, None, patch).await.expect("employee").id
}

async fn sessions(b: &Backend) -> i64 {
    b.number("SELECT COUNT(*) FROM app_sessions").await
}

#[tokio::test]
async fn employees_sign_in_by_any_login_and_lose_their_sessions_when_disabled() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let company = c.company.to_string();
        let id = employee(s, &c, "lisi", "13900000001").await;
        // Somebody whose account is another's phone: the account wins.
        employee(s, &c, "13900000002", "13900000003").await;
        let sign_in =
            |login: &str, password: &str| s.sign_in(Surface::App, company.clone(), login.into(), password.into());
        for login in ["lisi", "13900000001", "lisi@example.com"] {
            let token = sign_in(login, "staff-pass-1").await.expect("tried").expect("signed in");
            let session = s.session(Surface::App, token.clone()).await.expect("looked up").expect("live");
            assert_eq!((session.user.id.clone(), session.caller.actor.name()), (id.clone(), format!("app:{id}")));
            assert!(
                s.session(Surface::Console, token).await.expect("looked up").is_none(),
                "{}: not a console one",
                b.name
            );
        }
        assert!(sign_in("", "staff-pass-1").await.expect("tried").is_err(), "an empty login names nobody");
        assert!(sign_in("13900000002", "staff-pass-1").await.expect("tried").is_ok(), "{}: by account", b.name);
        // Not an admin: no console session.
        let console = s.console_sign_in(company.clone(), "lisi".into(), "staff-pass-1".into()).await.expect("tried");
        assert_eq!(console, Err(SignInRefused::Invalid));

        let live = s.sign_in(Surface::App, company.clone(), "lisi".into(), "staff-pass-1".into()).await;
        let live = live.expect("tried").expect("signed in");
        s.update_user(&c, id.clone(), UserPatch { status: Some(0), ..Default::default() }).await.expect("off");
        assert!(s.session(Surface::App, live.clone()).await.expect("looked up").is_none(), "{}: ended", b.name);
        assert_eq!(sign_in("lisi", "staff-pass-1").await.expect("tried"), Err(SignInRefused::Invalid));
        s.update_user(&c, id.clone(), UserPatch { status: Some(1), ..Default::default() }).await.expect("on");
        assert!(s.session(Surface::App, live).await.expect("looked up").is_none(), "{}: not revived", b.name);
        let again = sign_in("lisi", "staff-pass-1").await.expect("tried").expect("signed in");
        s.remove_user(&c, id).await.expect("removed");
        assert!(s.session(Surface::App, again).await.expect("looked up").is_none(), "{}: removed", b.name);
        assert_eq!(sessions(&b).await, 1, "{}: only the other person's session is left", b.name);
    }
}

#[tokio::test]
async fn tries_by_phone_email_and_on_the_console_share_one_lock_window() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let company = c.company.to_string();
        employee(s, &c, "wangwu", "13900000009").await;
        for login in ["13900000009", "wangwu@example.com", "wangwu"] {
            let refused = s.sign_in(Surface::App, company.clone(), login.into(), "wrong".into()).await.expect("tried");
            assert_eq!(refused, Err(SignInRefused::Invalid), "{}", b.name);
        }
        for _ in 0..2 {
            let _ = s.console_sign_in(company.clone(), "wangwu".into(), "wrong".into()).await.expect("tried");
        }
        let locked = s.sign_in(Surface::App, company.clone(), "wangwu@example.com".into(), "staff-pass-1".into()).await;
        assert!(matches!(locked.expect("tried"), Err(SignInRefused::Locked { .. })), "{}: five tries lock", b.name);
        b.clock.advance(15 * 60_000);
        let open = s.sign_in(Surface::App, company.clone(), "13900000009".into(), "staff-pass-1".into()).await;
        assert!(open.expect("tried").is_ok(), "{}: the lock passes", b.name);
        // Sessions expire after two weeks and housekeeping removes them.
        b.clock.advance(Surface::App.lifetime_ms());
        s.remove_expired_sign_ins().await.expect("housekeeping");
        assert_eq!(sessions(&b).await, 0, "{}", b.name);
    }
}
