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

#[tokio::test]
async fn in_the_app_a_person_books_as_themselves_and_changes_only_what_they_booked() {
    use roomd_core::meeting::{CheckedState, MeetingPatch, Scope};
    use roomd_core::recurrence::Recurrence;
    use roomd_core::{Actor, DomainError};

    use super::{booking, refused, room, user};
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let (mine, theirs) = (user(s, &c, "lisi").await, user(s, &c, "wangwu").await);
        let r = room(s, &c, Default::default()).await;
        let person = |id: &roomd_core::UserId, admin| roomd_core::Caller {
            actor: Actor::Person { user: id.to_string(), admin },
            ..c.clone()
        };
        let (me, admin) = (person(&mine, false), person(&theirs, true));
        // Booking for somebody else, or approving one's own booking, is refused first.
        assert_eq!(refused(s.book_meeting(&me, booking(&r, &theirs, 9, 10)).await), DomainError::NotYours);
        let approved =
            roomd_core::meeting::BookingDraft { checked: Some(CheckedState::Approved), ..booking(&r, &mine, 9, 10) };
        assert_eq!(refused(s.book_meeting(&me, approved).await), DomainError::NotYours, "{}", b.name);
        let weekly = Recurrence::parse("FREQ=WEEKLY;COUNT=3").expect("rule");
        let series = s.book_series(&me, booking(&r, &theirs, 9, 10), weekly.clone(), false).await;
        assert_eq!(refused(series), DomainError::NotYours, "{}", b.name);

        let own = s.book_meeting(&me, booking(&r, &mine, 9, 10)).await.expect("booked as myself");
        let other = s.book_meeting(&c, booking(&r, &theirs, 11, 12)).await.expect("booked by an integration");
        let retitle = || MeetingPatch { subject: Some("mine now".into()), ..Default::default() };
        assert_eq!(refused(s.update_meeting(&me, other.id.clone(), retitle()).await), DomainError::NotYours);
        let scoped = s.update_in_scope(&me, other.id.clone(), retitle(), Scope::All, None).await;
        assert_eq!(refused(scoped), DomainError::NotYours, "{}", b.name);
        let cancel = s.cancel_in_scope(&me, other.id.clone(), Scope::This, String::new()).await;
        assert_eq!(refused(cancel), DomainError::NotYours, "{}", b.name);
        assert_eq!(refused(s.cancel_meeting(&me, other.id.clone()).await), DomainError::NotYours);
        let approve = MeetingPatch { checked: Some(CheckedState::Approved), ..Default::default() };
        assert_eq!(refused(s.update_meeting(&me, own.id.clone(), approve).await), DomainError::NotYours);
        assert_eq!(s.meeting(&c, other.id.clone()).await.expect("read").subject, other.subject, "{}", b.name);

        s.update_meeting(&me, own.id.clone(), retitle()).await.expect("my own");
        s.update_meeting(&admin, other.id.clone(), retitle()).await.expect("an admin changes anything");
        s.cancel_in_scope(&me, own.id, Scope::This, String::new()).await.expect("mine cancelled");
    }
}

#[tokio::test]
async fn colleagues_are_found_by_part_of_a_name_or_account_and_only_by_a_whole_phone_or_email() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let add = |name: &str, account: &str, phone: &str| {
            let patch = UserPatch {
                name: Some(name.into()),
                account: Some(account.into()),
                phone: Some(phone.into()),
                email: Some(format!("{account}@Example.com")),
                ..Default::default()
            };
            s.add_user(&c, None, patch)
        };
        add("Zhou Ming", "zhouming", "13900000001").await.expect("user");
        add("周明远", "mingyuan", "13900000002").await.expect("user");
        let off = add("Ming Off", "ming_off", "13900000003").await.expect("user");
        add("100% 张", "percent", "13900000004").await.expect("user");
        s.update_user(&c, off.id, UserPatch { status: Some(0), ..Default::default() }).await.expect("off");
        let other = s.create_company(None, "other".into()).await.expect("company");
        let other = roomd_core::Caller { company: other, ..c.clone() };
        s.add_user(
            &other,
            None,
            UserPatch { name: Some("Ming Elsewhere".into()), account: Some("m".into()), ..Default::default() },
        )
        .await
        .expect("user");
        let names = |found: Vec<roomd_core::directory::User>| found.into_iter().map(|u| u.name).collect::<Vec<_>>();
        let find = |text: &str| s.find_colleagues(&c, text.into(), 20);
        assert_eq!(
            names(find("MING").await.expect("found")),
            ["Zhou Ming", "周明远"],
            "{}: any case, enabled, this company",
            b.name
        );
        assert_eq!(names(find("周明").await.expect("found")), ["周明远"], "{}", b.name);
        assert!(find("1390000000").await.expect("found").is_empty(), "{}: a part of a phone finds nobody", b.name);
        assert_eq!(names(find("13900000001").await.expect("found")), ["Zhou Ming"], "{}", b.name);
        assert_eq!(names(find("zhouming@example.com").await.expect("found")), ["Zhou Ming"], "{}", b.name);
        assert_eq!(names(find("100%").await.expect("found")), ["100% 张"], "{}: a typed % is a %", b.name);
        assert!(find("_").await.expect("found").is_empty(), "{}: and a typed _ is an _", b.name);
        assert!(find("  ").await.expect("found").is_empty(), "{}", b.name);
    }
}
