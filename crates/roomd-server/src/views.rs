//! Domain values → h5 wire types. The one place that knows both.

use roomd_core::availability::{Refusal, RoomDay, RoomRange};
use roomd_core::directory::{Department, User};
use roomd_core::meeting::{Attendance, Meeting};
use roomd_core::room::Room;
use std::sync::Arc;

use roomd_core::Clock;
use roomd_wire::h5;

pub struct OnboardingLinks {
    pub png: String,
    pub url: String,
}

/// What the mapping needs besides the values: the public URL (file links) and the clock
/// (a meeting's `status`). Shared by the handlers and the event renderer.
#[derive(Clone)]
pub struct Views {
    public_url: Arc<str>,
    clock: Arc<dyn Clock>,
}

impl Views {
    pub fn new(public_url: &str, clock: Arc<dyn Clock>) -> Self {
        Views { public_url: public_url.trim_end_matches('/').into(), clock }
    }

    /// How clients reach us (`--public-url`), without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The page where a setup link's token sets a password.
    pub fn setup_url(&self, token: &str) -> String {
        format!("{}/meeting/manage/setup?token={token}", self.public_url)
    }

    /// The image and the page of the onboarding QR code with `sign_key`.
    pub fn onboarding_links(&self, sign_key: &str) -> OnboardingLinks {
        let base = &self.public_url;
        OnboardingLinks {
            png: format!("{base}{}?scan_code={sign_key}", crate::onboarding::PNG_PATH),
            url: format!("{base}{}?signKey={sign_key}", crate::onboarding::SCAN_PATH),
        }
    }

    /// The address of the calendar feed with `secret`, over HTTP(S) and as `webcal://`.
    pub fn feed_view(&self, secret: &str) -> h5::Feed {
        let url = format!("{}{}/{secret}.ics", self.public_url, crate::feeds::PATH);
        let rest = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        h5::Feed { webcal_url: format!("webcal://{rest}"), url }
    }

    /// Where a stored file of `company` is served.
    pub fn resource_url(&self, company: &str, file: &str) -> String {
        format!("{}/meeting/api/opt/resources/{company}/{file}", self.public_url)
    }

    pub fn user_view(&self, company: &str, u: &User) -> h5::User {
        h5::User {
            id: u.id.to_string(),
            name: u.name.clone(),
            account: u.account.clone(),
            phone: u.phone.clone(),
            face_url: u.face_file.as_deref().map(|f| self.resource_url(company, f)).unwrap_or_default(),
            position: u.position.clone(),
            email: u.email.clone(),
            status: i64::from(u.enabled),
            memo: u.memo.clone(),
            created_time: u.created_ms,
            department_id: u.department.as_ref().map(ToString::to_string).unwrap_or_default(),
            is_admin: u.is_admin,
            admin: u.is_admin,
            dimension_values: u.dimensions.iter().map(crate::onboarding::preset_view).collect(),
        }
    }

    pub fn meeting_view(&self, company: &str, m: &Meeting) -> h5::Meeting {
        h5::Meeting {
            id: m.id.to_string(),
            room_id: m.room.to_string(),
            speaker: m.speaker.clone(),
            subject: m.subject.clone(),
            begin_time: m.span.begin_ms(),
            end_time: m.span.end_ms(),
            address: m.address.clone(),
            created_time: m.created_ms,
            last_update_time: m.updated_ms,
            checked_state: m.checked.code(),
            checked_time: m.checked_ms.unwrap_or(0),
            memo: m.memo.clone(),
            attendances: m.attendances.iter().map(|a| self.attendance_view(company, a)).collect(),
            status: m.status(self.clock.now_ms()) as i64,
            release_reason: m.release_reason.clone(),
            time_zone: m.time_zone.name().to_string(),
            series_id: m.series_id.clone(),
            recurrence: m.recurrence.clone(),
            reason: m.reason.clone(),
            created_id: m.booker.to_string(),
        }
    }

    /// A room's day as `room/schedule` answers it.
    pub fn timeline_view(&self, r: &Room, day: &RoomDay) -> h5::Timeline {
        let now = self.clock.now_ms();
        h5::Timeline {
            room_id: r.id.to_string(),
            name: r.name.clone(),
            time_zone: r.time_zone.name().to_string(),
            begin_time: day.opens.to_string(),
            end_time: day.closes.to_string(),
            meetings: day
                .meetings
                .iter()
                .map(|m| h5::TimelineMeeting {
                    id: m.id.to_string(),
                    subject: m.subject.clone(),
                    speaker: m.speaker.clone(),
                    begin_time: m.span.begin_ms(),
                    end_time: m.span.end_ms(),
                    checked_state: m.checked.code(),
                    status: m.status(now) as i64,
                    series_id: m.series_id.clone(),
                })
                .collect(),
        }
    }

    fn attendance_view(&self, company: &str, a: &Attendance) -> h5::Attendance {
        h5::Attendance {
            id: a.id.to_string(),
            user_id: a.user.as_ref().map(ToString::to_string).unwrap_or_default(),
            name: a.name.clone(),
            phone: a.phone.clone(),
            email: a.email.clone(),
            face_url: match &a.face_file {
                Some(file) => self.resource_url(company, file),
                None => a.face_url.clone(),
            },
            is_signed: i64::from(a.sign_in.is_some()),
            sign_type: a.sign_in.as_ref().map(|s| s.kind as i64).unwrap_or(0),
            sign_img_url: a.sign_in.as_ref().map(|s| s.image_url.clone()).unwrap_or_default(),
            sign_time: a.sign_in.as_ref().map(|s| s.at_ms).unwrap_or(0),
        }
    }
}

pub fn dept_view(d: &Department) -> h5::Department {
    h5::Department {
        id: d.id.to_string(),
        name: d.name.clone(),
        parent_id: d.parent.as_ref().map(ToString::to_string).unwrap_or_default(),
        created_time: d.created_ms,
    }
}

pub fn room_view(r: &Room) -> h5::Room {
    h5::Room {
        id: r.id.to_string(),
        department_id: r.department.as_ref().map(ToString::to_string).unwrap_or_default(),
        name: r.name.clone(),
        address: r.address.clone(),
        memo: r.memo.clone(),
        begin_time: r.opens.to_string(),
        end_time: r.closes.to_string(),
        capacity: r.capacity,
        size: r.size,
        longitude: r.longitude,
        latitude: r.latitude,
        radius: r.radius,
        status: i64::from(r.enabled),
        need_audit: i64::from(r.need_audit),
        permission: i64::from(r.restricted),
        scene_image: r.scene_image.clone(),
        created_time: r.created_ms,
        user_ids: r.users.iter().map(ToString::to_string).collect(),
        building_id: r.building.clone().unwrap_or_default(),
        floor_name: r.floor.clone(),
        time_zone: r.time_zone.name().to_string(),
    }
}

/// A room of `room/free`'s answer: the room object with `available`, `reason`, `busy`.
pub fn free_room_view(r: &RoomRange) -> h5::FreeRoom {
    h5::FreeRoom {
        room: room_view(&r.room),
        available: r.available(),
        reason: match r.refusal {
            None => "",
            Some(Refusal::Disabled) => "disabled",
            Some(Refusal::Permission) => "permission",
            Some(Refusal::Hours) => "hours",
            Some(Refusal::Occupied) => "occupied",
        },
        busy: r
            .busy
            .iter()
            .map(|h| h5::Busy {
                meeting_id: h.meeting.to_string(),
                begin_time: h.span.begin_ms(),
                end_time: h.span.end_ms(),
            })
            .collect(),
    }
}
