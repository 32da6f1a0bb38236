//! Console accounts on both backends: a setup link works once, sign-in needs an enabled
//! admin with a password, tries are counted before they are checked (so a lock holds
//! under concurrency), sessions end on sign-out and on a new password.

use roomd_core::UserId;
use roomd_core::directory::UserPatch;
use roomd_store::{SignInRefused, Store};

use super::{Backend, backends, company, user};

async fn admin(s: &Store, c: &roomd_core::Caller, account: &str, password: Option<&str>) -> UserId {
    let patch = UserPatch {
        name: Some(account.into()),
        account: Some(account.into()),
        is_admin: Some(true),
        password: password.map(str::to_string),
        ..Default::default()
    };
    s.add_user(c, None, patch).await.expect("admin").id
}

async fn failures_stored(b: &Backend) -> i64 {
    b.number("SELECT COUNT(*) FROM console_failures").await
}

#[tokio::test]
async fn setup_links_sessions_and_lockout() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let boss = admin(s, &c, "boss", None).await;
        let link = s.create_setup_link(c.company.clone(), boss.clone()).await.expect("link");
        assert!(s.use_setup_link(link.clone(), "short".into()).await.is_err(), "{}: 8 characters at least", b.name);
        s.use_setup_link(link.clone(), "long-enough-1".into()).await.expect("password set");
        assert!(s.use_setup_link(link.clone(), "long-enough-2".into()).await.is_err(), "works once");
        assert!(s.setup_link_user(link).await.expect("lookup").is_none());

        let company = c.company.to_string();
        let token = s.console_sign_in(company.clone(), "boss".into(), "long-enough-1".into()).await.expect("sign in");
        let token = token.expect("signed in");
        let session = s.console_session(token.clone()).await.expect("session").expect("live");
        assert_eq!(session.user.id, boss, "{}", b.name);
        s.console_sign_out(token.clone()).await.expect("out");
        assert!(s.console_session(token).await.expect("session").is_none());

        user(s, &c, "staff").await;
        for _ in 0..5 {
            let refused = s.console_sign_in(company.clone(), "boss".into(), "wrong".into()).await.expect("tried");
            assert_eq!(refused, Err(SignInRefused::Invalid));
        }
        let locked = s.console_sign_in(company.clone(), "boss".into(), "long-enough-1".into()).await.expect("tried");
        assert!(matches!(locked, Err(SignInRefused::Locked { .. })), "{}: locked after five failures", b.name);
        // A setup link lifts the lock; otherwise the lock passes with its window, and the
        // next try is the first of a new one.
        let link = s.create_setup_link(c.company.clone(), boss.clone()).await.expect("link");
        s.use_setup_link(link, "long-enough-1".into()).await.expect("password set again");
        let unlocked = s.console_sign_in(company.clone(), "boss".into(), "long-enough-1".into()).await.expect("tried");
        assert!(unlocked.is_ok(), "{}: the link lifted the lock", b.name);
        for _ in 0..6 {
            let _ = s.console_sign_in(company.clone(), "boss".into(), "wrong".into()).await.expect("tried");
        }
        b.clock.advance(15 * 60_000);
        let again = s.console_sign_in(company.clone(), "boss".into(), "long-enough-1".into()).await.expect("tried");
        assert!(again.is_ok(), "{}: signs in once the lock has passed", b.name);
        let not_admin = s.console_sign_in(company, "staff".into(), "hf@123456".into()).await.expect("tried");
        assert_eq!(not_admin, Err(SignInRefused::Invalid), "only admins sign in");
    }
}

/// Nobody signs in without a password having been set, nor with the vendor's published
/// default, even where an older version stored it as a user's hash.
#[tokio::test]
async fn no_default_password_opens_anything() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let company = c.company.to_string();
        admin(s, &c, "nopass", None).await;
        for tried in ["hf@123456", "", " "] {
            let answer = s.console_sign_in(company.clone(), "nopass".into(), tried.into()).await.expect("tried");
            assert_eq!(answer, Err(SignInRefused::Invalid), "{}: {tried:?}", b.name);
        }
        let chosen = UserPatch {
            name: Some("x".into()),
            account: Some("x".into()),
            password: Some("hf@123456".into()),
            ..Default::default()
        };
        let refused = s.add_user(&c, None, chosen).await;
        assert!(
            matches!(refused, Err(roomd_store::StoreError::Domain(_))),
            "{}: the default is no password to choose",
            b.name
        );
        // An account an older roomd created with the default still refuses it.
        let old = admin(s, &c, "old", Some("temporary-1")).await;
        let default_hash = roomd_core::secret::hash_password("hf@123456");
        b.execute(&format!("UPDATE users SET password_hash = '{default_hash}' WHERE id = '{old}'")).await;
        let answer = s.console_sign_in(company.clone(), "old".into(), "hf@123456".into()).await.expect("tried");
        assert_eq!(answer, Err(SignInRefused::Invalid), "{}", b.name);
    }
}

/// However many tries arrive at once, an account gets five password checks in a lock
/// window: of 31 wrong passwords sent together, five are checked and the rest are told
/// the account is locked, and so is the right password after them.
#[tokio::test]
async fn the_lockout_holds_under_concurrency() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        admin(s, &c, "boss", Some("the right one")).await;
        let company = c.company.to_string();
        let tries: Vec<_> = (0..31)
            .map(|_| {
                let (s, company) = (s.clone(), company.clone());
                tokio::spawn(async move { s.console_sign_in(company, "boss".into(), "wrong".into()).await })
            })
            .collect();
        let mut checked = 0;
        for t in tries {
            match t.await.expect("task").expect("tried") {
                Err(SignInRefused::Locked { .. }) => {}
                Err(SignInRefused::Invalid) => checked += 1,
                Ok(_) => panic!("{}: a wrong password signed in", b.name),
            }
        }
        assert_eq!(checked, 5, "{}: passwords checked of 31 sent at once", b.name);
        // The right one, right after, finds the account locked.
        let right = s.console_sign_in(company.clone(), "boss".into(), "the right one".into()).await.expect("tried");
        assert!(matches!(right, Err(SignInRefused::Locked { .. })), "{}", b.name);
    }
}

/// Over-long company ids and accounts are refused before anything is hashed or stored;
/// a new password ends the user's sessions.
#[tokio::test]
async fn long_fields_store_nothing_and_a_new_password_ends_sessions() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let boss = admin(s, &c, "boss", Some("the right one")).await;
        let company = c.company.to_string();
        let before = failures_stored(&b).await;
        let huge = "a".repeat(1_500_000);
        for (company, account) in [(company.clone(), huge.clone()), (huge.clone(), "boss".to_string())] {
            let answer = s.console_sign_in(company, account, "x".into()).await.expect("tried");
            assert_eq!(answer, Err(SignInRefused::Invalid));
        }
        assert_eq!(failures_stored(&b).await, before, "{}: nothing stored for over-long fields", b.name);

        let token = s.console_sign_in(company, "boss".into(), "the right one".into()).await.expect("tried");
        let token = token.expect("signed in");
        let link = s.create_setup_link(c.company.clone(), boss.clone()).await.expect("link");
        let patch = UserPatch { password: Some("a new one".into()), ..Default::default() };
        s.update_user(&c, boss, patch).await.expect("new password");
        assert!(s.console_session(token).await.expect("looked up").is_none(), "{}: session ended", b.name);
        assert!(s.setup_link_user(link).await.expect("looked up").is_none(), "{}: the older link is spent", b.name);
    }
}

/// Finished lock windows, expired sessions and long-spent setup links are removed; a
/// lock in force, a live session and a fresh link stay.
#[tokio::test]
async fn expired_sign_in_records_are_removed() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let boss = admin(s, &c, "boss", Some("the right one")).await;
        let company = c.company.to_string();
        for i in 0..3 {
            let _ = s.console_sign_in(company.clone(), format!("guess{i}"), "x".into()).await.expect("tried");
        }
        for _ in 0..5 {
            let _ = s.console_sign_in(company.clone(), "boss".into(), "x".into()).await.expect("tried");
        }
        let link = s.create_setup_link(c.company.clone(), boss.clone()).await.expect("link");
        let before = failures_stored(&b).await;
        b.clock.advance(10 * 60_000);
        s.remove_expired_sign_ins().await.expect("housekeeping");
        assert_eq!(failures_stored(&b).await, before, "{}: windows still open stay", b.name);
        b.clock.advance(6 * 60_000);
        s.remove_expired_sign_ins().await.expect("housekeeping");
        assert_eq!(failures_stored(&b).await, 0, "{}: finished windows and passed locks go", b.name);
        let token = s.console_sign_in(company, "boss".into(), "the right one".into()).await.expect("tried");
        let token = token.expect("signed in");
        b.clock.advance(13 * 3_600_000);
        s.remove_expired_sign_ins().await.expect("housekeeping");
        assert_eq!(b.number("SELECT COUNT(*) FROM console_sessions").await, 0, "{}", b.name);
        assert!(s.console_session(token).await.expect("looked up").is_none());
        assert_eq!(
            b.number("SELECT COUNT(*) FROM setup_links").await,
            1,
            "{}: a link expired an hour ago stays",
            b.name
        );
        b.clock.advance(8 * 86_400_000);
        s.remove_expired_sign_ins().await.expect("housekeeping");
        assert_eq!(b.number("SELECT COUNT(*) FROM setup_links").await, 0, "{}", b.name);
        assert!(s.setup_link_user(link).await.expect("looked up").is_none());
    }
}
