//! A node of the place tree that board codes and room configurations are set on:
//! tenant → country → district (city) → building → floor → room.

use crate::onboarding::Violation;
use crate::{BuildingId, RegionId, RoomId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScopeLevel {
    Tenant = 1,
    Country = 2,
    District = 3,
    Building = 4,
    Floor = 5,
    Room = 6,
}

impl ScopeLevel {
    pub fn from_code(code: i64) -> Option<Self> {
        Some(match code {
            1 => ScopeLevel::Tenant,
            2 => ScopeLevel::Country,
            3 => ScopeLevel::District,
            4 => ScopeLevel::Building,
            5 => ScopeLevel::Floor,
            6 => ScopeLevel::Room,
            _ => return None,
        })
    }
}

/// A scope as a request gives it (Feishu's `scope`, `country_id`, …).
#[derive(Debug, Clone, Default)]
pub struct ScopeInput {
    pub scope: Option<i64>,
    pub country_id: Option<String>,
    pub district_id: Option<String>,
    pub building_id: Option<String>,
    pub floor_name: Option<String>,
    pub room_id: Option<String>,
}

/// A scope with the fields its level needs (whether they exist is the store's to say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Tenant,
    Country(RegionId),
    District(RegionId, RegionId),
    Building(BuildingId),
    Floor(BuildingId, String),
    Room(RoomId),
}

impl Scope {
    /// The seed's rules: `country_id` for scopes 2 and 3, `district_id` for 3,
    /// `building_id` for 4 and 5, `floor_name` for 5, `room_id` for 6.
    pub fn from_input(input: &ScopeInput) -> Result<Scope, Violation> {
        let code = input.scope.ok_or_else(|| Violation::new("scope", "required"))?;
        let level = ScopeLevel::from_code(code).ok_or_else(|| Violation::new("scope", "1 to 6"))?;
        let need = |value: &Option<String>, field: &str| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .ok_or_else(|| Violation::new(field, format!("required when scope is {code}")))
        };
        Ok(match level {
            ScopeLevel::Tenant => Scope::Tenant,
            ScopeLevel::Country => Scope::Country(RegionId::from_stored(need(&input.country_id, "country_id")?)),
            ScopeLevel::District => Scope::District(
                RegionId::from_stored(need(&input.country_id, "country_id")?),
                RegionId::from_stored(need(&input.district_id, "district_id")?),
            ),
            ScopeLevel::Building => Scope::Building(BuildingId::from_stored(need(&input.building_id, "building_id")?)),
            ScopeLevel::Floor => Scope::Floor(
                BuildingId::from_stored(need(&input.building_id, "building_id")?),
                need(&input.floor_name, "floor_name")?,
            ),
            ScopeLevel::Room => Scope::Room(RoomId::from_stored(need(&input.room_id, "room_id")?)),
        })
    }

    pub fn level(&self) -> ScopeLevel {
        match self {
            Scope::Tenant => ScopeLevel::Tenant,
            Scope::Country(_) => ScopeLevel::Country,
            Scope::District(..) => ScopeLevel::District,
            Scope::Building(_) => ScopeLevel::Building,
            Scope::Floor(..) => ScopeLevel::Floor,
            Scope::Room(_) => ScopeLevel::Room,
        }
    }

    /// A stable text naming the node, for storage: `tenant`, `country:ID`, …
    pub fn key(&self) -> String {
        match self {
            Scope::Tenant => "tenant".into(),
            Scope::Country(c) => format!("country:{c}"),
            Scope::District(_, d) => format!("district:{d}"),
            Scope::Building(b) => format!("building:{b}"),
            Scope::Floor(b, f) => format!("floor:{b}:{f}"),
            Scope::Room(r) => format!("room:{r}"),
        }
    }
}

/// Where a node sits: its building's country and district, and for a room its building
/// and floor — what it takes to list the node's ancestors.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    pub country: Option<RegionId>,
    pub district: Option<RegionId>,
    pub building: Option<BuildingId>,
    pub floor: Option<String>,
    pub room: Option<RoomId>,
}

impl Placement {
    /// The node and every node above it, nearest first, ending with the tenant.
    pub fn chain(&self) -> Vec<Scope> {
        let mut chain = Vec::new();
        if let Some(room) = &self.room {
            chain.push(Scope::Room(room.clone()));
        }
        if let Some(building) = &self.building {
            if let Some(floor) = self.floor.as_ref().filter(|f| !f.is_empty()) {
                chain.push(Scope::Floor(building.clone(), floor.clone()));
            }
            chain.push(Scope::Building(building.clone()));
        }
        if let (Some(country), Some(district)) = (&self.country, &self.district) {
            chain.push(Scope::District(country.clone(), district.clone()));
        }
        if let Some(country) = &self.country {
            chain.push(Scope::Country(country.clone()));
        }
        chain.push(Scope::Tenant);
        chain
    }
}

/// What a deployment code activates: a check-in board (签到板) or a room's own device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    Checkboard = 1,
    Room = 2,
}

/// A deployment code's validity in days: the seed allows 1, 7 or 30.
pub fn valid_days(days: Option<i64>) -> Result<i64, Violation> {
    match days {
        Some(d @ (1 | 7 | 30)) => Ok(d),
        Some(d) => Err(Violation::new("valid_day", format!("1, 7 or 30, not {d}"))),
        None => Err(Violation::new("valid_day", "required")),
    }
}

/// A node's room configuration (Feishu `room_config`). `None` is "not set here": the
/// nearest node above that sets the field wins. The objects are kept as JSON text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomConfig {
    pub room_background: Option<String>,
    pub display_background: Option<String>,
    pub room_box_digital_signage: Option<String>,
    pub digital_signage: Option<String>,
    pub room_status: Option<String>,
}

impl RoomConfig {
    /// Fields this node leaves unset, taken from `above`.
    pub fn inherit(self, above: &RoomConfig) -> RoomConfig {
        RoomConfig {
            room_background: self.room_background.or_else(|| above.room_background.clone()),
            display_background: self.display_background.or_else(|| above.display_background.clone()),
            room_box_digital_signage: self.room_box_digital_signage.or_else(|| above.room_box_digital_signage.clone()),
            digital_signage: self.digital_signage.or_else(|| above.digital_signage.clone()),
            room_status: self.room_status.or_else(|| above.room_status.clone()),
        }
    }

    /// `self` with the fields `patch` sets replaced.
    pub fn overwrite(self, patch: RoomConfig) -> RoomConfig {
        patch.inherit(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(scope: i64, fields: &[(&str, &str)]) -> ScopeInput {
        let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
        ScopeInput {
            scope: Some(scope),
            country_id: get("country_id"),
            district_id: get("district_id"),
            building_id: get("building_id"),
            floor_name: get("floor_name"),
            room_id: get("room_id"),
        }
    }

    #[test]
    fn the_nearest_node_that_sets_a_field_wins() {
        let tenant = RoomConfig {
            room_background: Some("t.png".into()),
            room_box_digital_signage: Some("{}".into()),
            ..Default::default()
        };
        let floor = RoomConfig { room_background: Some("f.png".into()), ..Default::default() };
        let room = RoomConfig { display_background: Some("r.png".into()), ..Default::default() };
        let effective = [floor, tenant].iter().fold(room, |acc, above| acc.inherit(above));
        assert_eq!(effective.room_background.as_deref(), Some("f.png"));
        assert_eq!(effective.display_background.as_deref(), Some("r.png"));
        assert_eq!(effective.room_box_digital_signage.as_deref(), Some("{}"));
        assert_eq!(effective.room_status, None);
        assert_eq!(valid_days(Some(7)), Ok(7));
        assert!(valid_days(Some(2)).is_err() && valid_days(None).is_err());
    }

    #[test]
    fn each_level_requires_its_fields() {
        assert_eq!(Scope::from_input(&input(1, &[])), Ok(Scope::Tenant));
        assert_eq!(Scope::from_input(&input(2, &[])).map_err(|v| v.field), Err("country_id".into()));
        assert_eq!(
            Scope::from_input(&input(3, &[("country_id", "1")])).map_err(|v| v.field),
            Err("district_id".into())
        );
        assert_eq!(
            Scope::from_input(&input(5, &[("building_id", "3")])).map_err(|v| v.field),
            Err("floor_name".into())
        );
        assert_eq!(Scope::from_input(&input(6, &[("room_id", " ")])).map_err(|v| v.field), Err("room_id".into()));
        assert_eq!(Scope::from_input(&input(7, &[])).map_err(|v| v.field), Err("scope".into()));
        let floor = Scope::from_input(&input(5, &[("building_id", "3"), ("floor_name", "4")])).expect("floor");
        assert_eq!(floor.key(), "floor:3:4");
        assert_eq!(floor.level(), ScopeLevel::Floor);
    }

    #[test]
    fn a_rooms_chain_climbs_to_the_tenant() {
        let placed = Placement {
            country: Some(RegionId::from_stored("C".into())),
            district: Some(RegionId::from_stored("D".into())),
            building: Some(BuildingId::from_stored("B".into())),
            floor: Some("F2".into()),
            room: Some(RoomId::from_stored("R".into())),
        };
        let keys: Vec<String> = placed.chain().iter().map(Scope::key).collect();
        assert_eq!(keys, ["room:R", "floor:B:F2", "building:B", "district:D", "country:C", "tenant"]);
        let bare = Placement { room: Some(RoomId::from_stored("R".into())), ..Default::default() };
        assert_eq!(bare.chain().iter().map(Scope::key).collect::<Vec<_>>(), ["room:R", "tenant"]);
    }
}
