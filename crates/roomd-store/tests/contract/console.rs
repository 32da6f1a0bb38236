//! Console accounts on both backends: a setup link works once, sign-in needs an enabled
//! admin, five failures lock the account, sessions end on sign-out.

use roomd_store::SignInRefused;

use super::{backends, company, user};

#[tokio::test]
async fn setup_links_sessions_and_lockout() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let admin = user(s, &c, "boss").await;
        let link = s.create_setup_link(c.company.clone(), admin.clone()).await.expect("link");
        assert!(s.use_setup_link(link.clone(), "short".into()).await.is_err(), "{}: 8 characters at least", b.name);
        s.use_setup_link(link.clone(), "long-enough-1".into()).await.expect("password set");
        assert!(s.use_setup_link(link.clone(), "long-enough-2".into()).await.is_err(), "works once");
        assert!(s.setup_link_user(link).await.expect("lookup").is_none());

        let company = c.company.to_string();
        let token = s.console_sign_in(company.clone(), "boss".into(), "long-enough-1".into()).await.expect("sign in");
        let token = token.expect("signed in");
        let session = s.console_session(token.clone()).await.expect("session").expect("live");
        assert_eq!(session.user.id, admin, "{}", b.name);
        s.console_sign_out(token.clone()).await.expect("out");
        assert!(s.console_session(token).await.expect("session").is_none());

        user(s, &c, "staff").await;
        for _ in 0..5 {
            let refused = s.console_sign_in(company.clone(), "boss".into(), "wrong".into()).await.expect("tried");
            assert_eq!(refused, Err(SignInRefused::Invalid));
        }
        let locked = s.console_sign_in(company.clone(), "boss".into(), "long-enough-1".into()).await.expect("tried");
        assert!(matches!(locked, Err(SignInRefused::Locked { .. })), "{}: locked after five failures", b.name);
        let not_admin = s.console_sign_in(company, "staff".into(), "hf@123456".into()).await.expect("tried");
        assert_eq!(not_admin, Err(SignInRefused::Invalid), "only admins sign in");
    }
}
