//! Check-in boards: devices, room configurations, SMS codes.

pub(crate) mod devices;
pub(crate) mod room_configs;
pub(crate) mod sms_codes;
