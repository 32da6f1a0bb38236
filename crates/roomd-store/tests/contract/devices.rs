//! Boards on both backends: activation with a live code, binding inside the scope only,
//! check-in, revocation.

use roomd_core::DomainError;
use roomd_core::meeting::{SignTarget, SignType};
use roomd_core::room::RoomPatch;
use roomd_core::scope::{CodeKind, Scope};

use super::{DAY, HOUR, backends, booking, company, refused, room, user};

#[tokio::test]
async fn boards_activate_bind_check_in_and_are_revoked() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let inside = room(s, &c, RoomPatch::default()).await;
        let code = s.create_access_code(&c, CodeKind::Checkboard, Scope::Room(inside.clone()), 1).await.expect("code");
        assert_eq!(refused(s.activate_device("NOTACODE".into(), "x".into()).await), DomainError::AccessCodeInvalid);
        let (device, token) = s.activate_device(code.code.clone(), "门口".into()).await.expect("activated");
        assert_eq!(device.room.as_ref(), Some(&inside), "{}", b.name);
        let (board, found) = s.authenticate_device(token.clone()).await.expect("token works");
        assert_eq!(found.id, device.id);
        let outside = room(s, &c, RoomPatch::default()).await;
        assert_eq!(refused(s.bind_device(&board, &device, outside).await), DomainError::RoomOutOfScope);

        let booker = user(s, &c, "u").await;
        let m = s.book_meeting(&c, booking(&inside, &booker, 10, 11)).await.expect("booked");
        b.clock.set(DAY + 10 * HOUR);
        let signed = s
            .sign_in_meeting(&board, m.id.clone(), SignTarget::User(booker.clone()), SignType::Face, String::new())
            .await
            .expect("checked in");
        assert!(signed.anyone_signed_in());
        let reread = s.meeting(&c, m.id.clone()).await.expect("meeting");
        assert_eq!(reread.attendances[0].sign_in.as_ref().map(|x| x.kind), Some(SignType::Face), "{}", b.name);

        s.revoke_device(&c, device.id.clone()).await.expect("revoked");
        assert_eq!(refused(s.authenticate_device(token).await), DomainError::DeviceNotExist);
        assert!(s.devices(&c).await.expect("devices").is_empty());
    }
}
