//! Places on both backends: the region tree, buildings with floors, rooms on a floor,
//! and removals refused while something still stands on the place.

use roomd_core::DomainError;
use roomd_core::place::{BuildingPatch, RegionKind, RegionPatch};
use roomd_core::room::RoomPatch;

use super::{backends, company, refused};

#[tokio::test]
async fn places_hold_rooms_and_are_not_removed_from_under_them() {
    for b in backends().await {
        let (s, c) = (&b.store, company(&b.store).await);
        let region =
            |name: &str, kind, parent| RegionPatch { name: Some(name.into()), kind: Some(kind), parent: Some(parent) };
        let cn = s.save_region(&c, None, true, region("中国", RegionKind::Country, None)).await.expect("country");
        let sz = s
            .save_region(&c, None, true, region("深圳", RegionKind::District, Some(cn.id.clone())))
            .await
            .expect("city");
        let bad = s.save_region(&c, None, true, region("南山", RegionKind::District, Some(sz.id.clone()))).await;
        assert!(matches!(refused(bad), DomainError::Invalid { .. }), "{}", b.name);
        let patch = BuildingPatch {
            name: Some("A".into()),
            country: Some(Some(cn.id.clone())),
            district: Some(Some(sz.id.clone())),
            floors: Some(vec!["F1".into(), "F2".into()]),
            ..Default::default()
        };
        let tower = s.save_building(&c, None, true, patch).await.expect("building");
        let on_floor = RoomPatch {
            name: Some("r".into()),
            building: Some(Some(tower.id.to_string())),
            floor: Some("F2".into()),
            ..Default::default()
        };
        let room = s.add_room(&c, None, on_floor.clone()).await.expect("room").id;
        let off = RoomPatch { floor: Some("F9".into()), ..on_floor };
        assert_eq!(refused(s.add_room(&c, None, off).await), DomainError::BuildingNotExist, "{}", b.name);
        assert_eq!(refused(s.remove_building(&c, tower.id.clone()).await), DomainError::PlaceNotEmpty);
        assert_eq!(refused(s.remove_region(&c, cn.id.clone()).await), DomainError::PlaceNotEmpty);
        let fewer = BuildingPatch { floors: Some(vec!["F1".into()]), ..Default::default() };
        assert!(matches!(
            refused(s.save_building(&c, Some(tower.id.clone()), false, fewer).await),
            DomainError::Invalid { .. }
        ));
        s.remove_room(&c, room).await.expect("room removed");
        s.remove_building(&c, tower.id.clone()).await.expect("building removed");
        s.remove_region(&c, sz.id.clone()).await.expect("city removed");
        s.remove_region(&c, cn.id.clone()).await.expect("country removed");
        assert_eq!(s.regions(&c).await.expect("regions").len(), 0);
    }
}
