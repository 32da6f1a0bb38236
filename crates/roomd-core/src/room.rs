//! Meeting rooms and who may book them.

use chrono_tz::Tz;

use crate::directory::{flag, text};
use crate::time::{DayMinute, TimeSpan, local_date};
use crate::{DeptId, DomainError, DomainResult, RoomId, UserId};

/// The most users a room's booking permission lists.
pub const MAX_ROOM_USERS: usize = 5000;

#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    pub id: RoomId,
    pub name: String,
    pub department: Option<DeptId>,
    pub address: String,
    pub memo: String,
    /// Daily bookable hours, wall-clock times in `time_zone`.
    pub opens: DayMinute,
    pub closes: DayMinute,
    pub capacity: i64,
    pub size: i64,
    pub longitude: f64,
    pub latitude: f64,
    /// Check-in radius, metres.
    pub radius: i64,
    pub enabled: bool,
    pub need_audit: bool,
    /// Only `users` (and admins) may book.
    pub restricted: bool,
    pub users: Vec<UserId>,
    pub scene_image: String,
    pub building: Option<String>,
    pub floor: String,
    /// The zone its hours are in: its building's, else its company's. The store keeps it
    /// (a new room gets it when saved).
    pub time_zone: Tz,
    pub created_ms: i64,
}

/// What `room/add` and `room/update` may set; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RoomPatch {
    pub name: Option<String>,
    pub department: Option<Option<DeptId>>,
    pub address: Option<String>,
    pub memo: Option<String>,
    pub opens: Option<DayMinute>,
    pub closes: Option<DayMinute>,
    pub capacity: Option<i64>,
    pub size: Option<i64>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub radius: Option<i64>,
    pub status: Option<i64>,
    pub need_audit: Option<i64>,
    pub permission: Option<i64>,
    pub users: Option<Vec<UserId>>,
    pub scene_image: Option<String>,
    pub building: Option<Option<String>>,
    pub floor: Option<String>,
}

/// The seed's defaults: open 07:00–23:00, enabled, no approval, anyone may book.
pub const DEFAULT_OPENS: DayMinute = DayMinute::from_hour(7);
pub const DEFAULT_CLOSES: DayMinute = DayMinute::from_hour(23);

impl Room {
    pub fn create(id: RoomId, patch: RoomPatch, now_ms: i64) -> DomainResult<Self> {
        let name = patch.name.clone().ok_or(DomainError::Missing("name"))?;
        let fresh = Room {
            id,
            name,
            department: None,
            address: String::new(),
            memo: String::new(),
            opens: DEFAULT_OPENS,
            closes: DEFAULT_CLOSES,
            capacity: 0,
            size: 0,
            longitude: 0.0,
            latitude: 0.0,
            radius: 0,
            enabled: true,
            need_audit: false,
            restricted: false,
            users: Vec::new(),
            scene_image: String::new(),
            building: None,
            floor: String::new(),
            time_zone: Tz::UTC,
            created_ms: now_ms,
        };
        fresh.apply(patch)
    }

    pub fn apply(mut self, p: RoomPatch) -> DomainResult<Self> {
        if let Some(v) = p.name {
            self.name = text("name", &v, 64, true)?;
        }
        if let Some(v) = p.department {
            self.department = v;
        }
        if let Some(v) = p.address {
            self.address = text("address", &v, 256, false)?;
        }
        if let Some(v) = p.memo {
            self.memo = text("memo", &v, 1024, false)?;
        }
        self.opens = p.opens.unwrap_or(self.opens);
        self.closes = p.closes.unwrap_or(self.closes);
        if self.opens >= self.closes {
            return Err(DomainError::invalid("endTime", "bookable hours must end after they begin"));
        }
        if let Some(v) = p.capacity {
            self.capacity = non_negative("capacity", v)?;
        }
        if let Some(v) = p.size {
            self.size = non_negative("size", v)?;
        }
        if let Some(v) = p.longitude {
            self.longitude = within("longitude", v, 180.0)?;
        }
        if let Some(v) = p.latitude {
            self.latitude = within("latitude", v, 90.0)?;
        }
        if let Some(v) = p.radius {
            self.radius = non_negative("radius", v)?;
        }
        if let Some(v) = p.status {
            self.enabled = flag("status", v)?;
        }
        if let Some(v) = p.need_audit {
            self.need_audit = flag("needAudit", v)?;
        }
        if let Some(v) = p.permission {
            self.restricted = flag("permission", v)?;
        }
        if let Some(mut users) = p.users {
            if users.len() > MAX_ROOM_USERS {
                return Err(DomainError::invalid("userIds", format!("at most {MAX_ROOM_USERS} users")));
            }
            let mut seen = std::collections::HashSet::new();
            users.retain(|u| seen.insert(u.clone()));
            self.users = users;
        }
        // The seed: on update an empty sceneImage means "unchanged" (如未修改请置空).
        if let Some(v) = p.scene_image.filter(|v| !v.trim().is_empty()) {
            self.scene_image = text("sceneImage", &v, 1024, false)?;
        }
        if let Some(v) = p.building {
            self.building = v;
        }
        if let Some(v) = p.floor {
            self.floor = text("floorName", &v, 32, false)?;
        }
        Ok(self)
    }

    /// Whether `user` may book this room (admins always may).
    pub fn may_book(&self, user: &UserId, is_admin: bool) -> bool {
        is_admin || !self.restricted || self.users.contains(user)
    }

    /// Whether `span` lies inside the bookable hours of the day it begins on, wall-clock
    /// times in the room's zone: a span past that day's closing (one across midnight)
    /// does not.
    pub fn within_hours(&self, span: TimeSpan) -> bool {
        let tz = self.time_zone;
        let day = local_date(span.begin_ms(), tz);
        span.begin_ms() >= self.opens.on(day, tz) && span.end_ms() <= self.closes.on(day, tz)
    }
}

fn non_negative(field: &'static str, v: i64) -> DomainResult<i64> {
    if v < 0 {
        return Err(DomainError::invalid(field, "must not be negative"));
    }
    Ok(v)
}

fn within(field: &'static str, v: f64, limit: f64) -> DomainResult<f64> {
    if !v.is_finite() || v.abs() > limit {
        return Err(DomainError::invalid(field, format!("must be between -{limit} and {limit}")));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> RoomPatch {
        RoomPatch { name: Some(name.into()), ..Default::default() }
    }

    #[test]
    fn a_new_room_takes_the_seed_defaults() {
        let room = Room::create(RoomId::generate(), named("1000会议室"), 7).expect("valid");
        assert_eq!((room.opens.to_string(), room.closes.to_string()), ("07:00".into(), "23:00".into()));
        assert!(room.enabled && !room.need_audit && !room.restricted);
    }

    #[test]
    fn bad_room_values_are_refused() {
        let room = Room::create(RoomId::generate(), named("r"), 0).expect("valid");
        let bad = |p: RoomPatch| room.clone().apply(p).is_err();
        assert!(bad(RoomPatch { latitude: Some(91.0), ..Default::default() }));
        assert!(bad(RoomPatch { capacity: Some(-1), ..Default::default() }));
        assert!(bad(RoomPatch { need_audit: Some(2), ..Default::default() }));
        assert!(bad(RoomPatch { opens: Some(DayMinute::from_hour(23)), ..Default::default() }));
    }

    #[test]
    fn an_empty_scene_image_keeps_the_old_one() {
        let mut p = named("r");
        p.scene_image = Some("http://x/a.jpg".into());
        let room = Room::create(RoomId::generate(), p, 0).expect("valid");
        let same = room.apply(RoomPatch { scene_image: Some(String::new()), ..Default::default() });
        assert_eq!(same.map(|r| r.scene_image), Ok("http://x/a.jpg".to_string()));
    }

    #[test]
    fn restricted_rooms_admit_listed_users_and_admins() {
        let listed = UserId::generate();
        let mut p = named("r");
        p.permission = Some(1);
        p.users = Some(vec![listed.clone(), listed.clone()]);
        let room = Room::create(RoomId::generate(), p, 0).expect("valid");
        assert_eq!(room.users.len(), 1, "duplicates are dropped");
        assert!(room.may_book(&listed, false));
        assert!(!room.may_book(&UserId::generate(), false));
        assert!(room.may_book(&UserId::generate(), true));
    }
}

/// Metres between two points on the Earth (haversine, mean radius 6,371 km).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * a.sqrt().asin()
}

impl Room {
    /// Whether a phone at (`latitude`, `longitude`) is within the room's `radius`
    /// metres of its position (71001 when the room has no position or radius).
    pub fn within_reach(&self, latitude: f64, longitude: f64) -> crate::DomainResult<bool> {
        if self.radius <= 0 || (self.latitude == 0.0 && self.longitude == 0.0) {
            return Err(crate::DomainError::invalid(
                "roomId",
                "the room has no position and radius for check-in by location",
            ));
        }
        Ok(distance_m(self.latitude, self.longitude, latitude, longitude) <= self.radius as f64)
    }
}

#[cfg(test)]
mod reach_tests {
    use super::distance_m;

    #[test]
    fn haversine_matches_known_distances() {
        // Two points 0.001° of latitude apart: about 111 m.
        let d = distance_m(22.5431, 114.0579, 22.5441, 114.0579);
        assert!((d - 111.2).abs() < 1.0, "{d}");
        assert!(distance_m(22.5, 114.0, 22.5, 114.0) < 1e-6);
        // Shenzhen to Beijing: about 1,940 km.
        let far = distance_m(22.5431, 114.0579, 39.9042, 116.4074);
        assert!((far - 1_943_000.0).abs() < 15_000.0, "{far}");
    }
}
