//! Onboarding QR codes and registrations.

pub(crate) mod onboarding;
pub(crate) mod registrations;
