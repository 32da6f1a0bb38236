//! Black-box tests of the h5 API over real HTTP on 127.0.0.1:0, a fresh SQLite file
//! each, plus in-process router tests for rejections.

mod app;
mod app_book;
mod app_meeting;
mod app_profile;
mod app_scan;
mod apps;
mod boards;
mod calendar_feeds;
mod errors;
mod events;
mod events_isolation;
mod events_retention;
mod events_tls;
mod feishu;
mod free_rooms;
mod hardening;
mod hardening_net;
mod mail;
mod mail_links;
mod meetings;
mod new_endpoints;
mod no_show;
mod onboarding;
mod places;
mod resources;
mod room_configs;
mod router;
mod series;
mod series_changes;
mod smtp;
mod support;
mod wire;
mod zones;
