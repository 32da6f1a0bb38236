//! Places: regions (countries and the districts — cities — inside them) and buildings with
//! their floors. Rooms sit on a building's floor; check-in board codes are scoped to a
//! node of this tree (tenant, country, city, building, floor, room).

use std::collections::HashSet;

use crate::directory::text;
use crate::ids::{BuildingId, RegionId};
use crate::{DomainError, DomainResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    Country = 1,
    District = 2,
}

impl RegionKind {
    pub fn from_code(code: i64) -> DomainResult<Self> {
        match code {
            1 => Ok(RegionKind::Country),
            2 => Ok(RegionKind::District),
            _ => Err(DomainError::invalid("type", "1 country or 2 district")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: RegionId,
    pub name: String,
    pub kind: RegionKind,
    /// A district's country; a country has none.
    pub parent: Option<RegionId>,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Default)]
pub struct RegionPatch {
    pub name: Option<String>,
    pub kind: Option<RegionKind>,
    pub parent: Option<Option<RegionId>>,
}

impl Region {
    pub fn create(id: RegionId, patch: RegionPatch, now_ms: i64) -> DomainResult<Self> {
        let name = patch.name.clone().ok_or(DomainError::Missing("name"))?;
        let kind = patch.kind.ok_or(DomainError::Missing("type"))?;
        Region { id, name, kind, parent: None, created_ms: now_ms }.apply(patch)
    }

    /// Applies `patch`; a district must name its country, a country names none. Whether
    /// the parent is a country is the store's to check.
    pub fn apply(mut self, patch: RegionPatch) -> DomainResult<Self> {
        if let Some(name) = patch.name {
            self.name = text("name", &name, 64, true)?;
        }
        if let Some(kind) = patch.kind {
            self.kind = kind;
        }
        if let Some(parent) = patch.parent {
            self.parent = parent;
        }
        match (self.kind, &self.parent) {
            (RegionKind::District, None) => Err(DomainError::Missing("parentId")),
            (RegionKind::Country, Some(_)) => Err(DomainError::invalid("parentId", "a country has no parent")),
            _ => Ok(self),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    pub id: BuildingId,
    pub name: String,
    pub country: Option<RegionId>,
    pub district: Option<RegionId>,
    /// Floor names in display order (`F1`, `B1`, …), unique.
    pub floors: Vec<String>,
    pub address: String,
    pub memo: String,
    /// Its rooms' zone; `None`: the company's.
    pub time_zone: Option<chrono_tz::Tz>,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Default)]
pub struct BuildingPatch {
    pub name: Option<String>,
    pub country: Option<Option<RegionId>>,
    pub district: Option<Option<RegionId>>,
    pub floors: Option<Vec<String>>,
    pub address: Option<String>,
    pub memo: Option<String>,
    pub time_zone: Option<Option<chrono_tz::Tz>>,
}

impl Building {
    pub fn create(id: BuildingId, patch: BuildingPatch, now_ms: i64) -> DomainResult<Self> {
        let name = patch.name.clone().ok_or(DomainError::Missing("name"))?;
        let fresh = Building {
            id,
            name,
            country: None,
            district: None,
            floors: Vec::new(),
            address: String::new(),
            memo: String::new(),
            time_zone: None,
            created_ms: now_ms,
        };
        fresh.apply(patch)
    }

    pub fn apply(mut self, patch: BuildingPatch) -> DomainResult<Self> {
        if let Some(zone) = patch.time_zone {
            self.time_zone = zone;
        }
        if let Some(name) = patch.name {
            self.name = text("name", &name, 64, true)?;
        }
        if let Some(country) = patch.country {
            self.country = country;
        }
        if let Some(district) = patch.district {
            self.district = district;
        }
        if let Some(floors) = patch.floors {
            self.floors = check_floors(floors)?;
        }
        if let Some(address) = patch.address {
            self.address = text("address", &address, 256, false)?;
        }
        if let Some(memo) = patch.memo {
            self.memo = text("memo", &memo, 256, false)?;
        }
        if self.district.is_some() && self.country.is_none() {
            return Err(DomainError::Missing("countryId"));
        }
        Ok(self)
    }

    pub fn has_floor(&self, floor: &str) -> bool {
        self.floors.iter().any(|f| f == floor)
    }
}

/// 1 to 32 characters each, no two alike, at most 200 floors.
fn check_floors(floors: Vec<String>) -> DomainResult<Vec<String>> {
    if floors.len() > 200 {
        return Err(DomainError::invalid("floors", "at most 200 floors"));
    }
    let mut seen = HashSet::new();
    floors
        .into_iter()
        .map(|f| {
            let f = f.trim().to_string();
            if f.is_empty() || f.chars().count() > 32 {
                return Err(DomainError::invalid("floors", "each floor name has 1 to 32 characters"));
            }
            if !seen.insert(f.clone()) {
                return Err(DomainError::invalid("floors", format!("{f} is listed twice")));
            }
            Ok(f)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_district_needs_its_country_and_a_country_has_none() {
        let patch = |kind, parent: Option<&str>| RegionPatch {
            name: Some("x".into()),
            kind: Some(kind),
            parent: Some(parent.map(|p| RegionId::from_stored(p.into()))),
        };
        assert!(Region::create(RegionId::generate(), patch(RegionKind::Country, None), 0).is_ok());
        assert!(Region::create(RegionId::generate(), patch(RegionKind::District, Some("C")), 0).is_ok());
        assert_eq!(
            Region::create(RegionId::generate(), patch(RegionKind::District, None), 0),
            Err(DomainError::Missing("parentId"))
        );
        assert!(Region::create(RegionId::generate(), patch(RegionKind::Country, Some("C")), 0).is_err());
    }

    #[test]
    fn floors_are_trimmed_unique_and_bounded() {
        let with = |floors: Vec<&str>| BuildingPatch {
            name: Some("B".into()),
            floors: Some(floors.into_iter().map(String::from).collect()),
            ..Default::default()
        };
        let b = Building::create(BuildingId::generate(), with(vec![" F1 ", "F2"]), 0).expect("building");
        assert_eq!(b.floors, ["F1", "F2"]);
        assert!(b.has_floor("F2") && !b.has_floor("F3"));
        assert!(Building::create(BuildingId::generate(), with(vec!["F1", "F1"]), 0).is_err());
        assert!(Building::create(BuildingId::generate(), with(vec![""]), 0).is_err());
        let orphan =
            BuildingPatch { name: Some("B".into()), district: Some(Some(RegionId::generate())), ..Default::default() };
        assert_eq!(Building::create(BuildingId::generate(), orphan, 0), Err(DomainError::Missing("countryId")));
    }
}
