//! Series (extension, docs/wire-compat.md "Series"): `meeting/book` with `recurrence`,
//! `meeting/preview`, and the views of a series' occurrences.

use axum::extract::State;
use roomd_core::Caller;
use roomd_core::meeting::MeetingQuery;
use roomd_core::recurrence::Recurrence;
use roomd_store::SeriesChange;
use roomd_wire::h5::{Booked, ErrorCode, MeetingBook, OccurrenceRef, Preview, Series, SeriesBooked, SeriesId, Skipped};

use super::meeting::draft;
use crate::error::{ApiError, ApiResult, H5, Required};
use crate::extract::{Auth, H5Json};
use crate::state::AppState;

/// `meeting/book` with `recurrence`: every occurrence, all or nothing (or with
/// `skipConflicts` the bookable ones); the answer is the first occurrence booked.
pub async fn book(
    app: &AppState,
    caller: &Caller,
    draft: roomd_core::meeting::BookingDraft,
    rule: &str,
    skip_conflicts: bool,
) -> ApiResult<SeriesBooked> {
    let rule = Recurrence::parse(rule)?;
    let done = app.store.book_series(caller, draft, rule, skip_conflicts).await?;
    booked_view(app, caller, done)
}

/// What `meeting/update` answers for a change in scope: the named occurrence, or with a
/// new rule the new series as `meeting/book` answers it.
pub fn changed(app: &AppState, caller: &Caller, change: SeriesChange) -> ApiResult<Booked> {
    match change {
        SeriesChange::Changed(list) => {
            let Some(named) = list.first() else { return Err(ApiError::new(ErrorCode::Internal)) };
            Ok(Booked::One(app.views.meeting_view(caller.company.as_str(), named)))
        }
        SeriesChange::Replaced(done) => Ok(Booked::Series(booked_view(app, caller, done)?)),
    }
}

/// POST /meeting/api/open/series/get `{seriesId}` — the rule, the zone and every
/// occurrence, cancelled ones included; another company's series is unknown (71012).
pub async fn get(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(req): H5Json<SeriesId>,
) -> ApiResult<H5<Series>> {
    let series = req.series_id.required("seriesId")?.trim().to_string();
    let filter = MeetingQuery { series: Some(series.clone()), include_cancelled: true, ..MeetingQuery::default() };
    let occurrences = if series.is_empty() { Vec::new() } else { app.store.list_meetings(&caller, filter).await? };
    let Some(first) = occurrences.first() else { return Err(ErrorCode::MeetingNotExist.into()) };
    let company = caller.company.as_str();
    Ok(H5::ok(Series {
        series_id: series,
        recurrence: first.recurrence.clone(),
        time_zone: first.time_zone.name().to_string(),
        occurrences: occurrences.iter().map(|m| app.views.meeting_view(company, m)).collect(),
    }))
}

fn booked_view(app: &AppState, caller: &Caller, done: roomd_store::SeriesBooked) -> ApiResult<SeriesBooked> {
    let company = caller.company.as_str();
    let mut views = done.booked.iter().map(|m| app.views.meeting_view(company, m));
    let Some(first) = views.next() else { return Err(ApiError::new(ErrorCode::Internal)) };
    Ok(SeriesBooked {
        first,
        occurrences: done
            .booked
            .iter()
            .map(|m| OccurrenceRef { id: m.id.to_string(), begin_time: m.span.begin_ms(), end_time: m.span.end_ms() })
            .collect(),
        skipped: done
            .skipped
            .into_iter()
            .map(|(span, why)| Skipped {
                begin_time: span.begin_ms(),
                end_time: span.end_ms(),
                code: ApiError::from(why).code.number(),
            })
            .collect(),
    })
}

/// POST /meeting/api/open/meeting/preview — the body of `meeting/book`; books nothing and
/// answers every occurrence: bookable, or the code it would get and what is in the way.
pub async fn preview(
    State(app): State<AppState>,
    Auth(caller): Auth,
    H5Json(mut req): H5Json<MeetingBook>,
) -> ApiResult<H5<Vec<Preview>>> {
    let rule = req.recurrence.take().map(|r| Recurrence::parse(&r)).transpose()?;
    let occurrences = app.store.preview_booking(&caller, draft(req)?, rule).await?;
    Ok(H5::ok(
        occurrences
            .into_iter()
            .map(|o| Preview {
                begin_time: o.span.begin_ms(),
                end_time: o.span.end_ms(),
                bookable: o.refusal.is_none(),
                code: o
                    .refusal
                    .map_or(roomd_wire::h5::ErrorCode::Success.number(), |e| ApiError::from(e).code.number()),
                conflict_id: o.conflict.map(|id| id.into_string()).unwrap_or_default(),
            })
            .collect(),
    ))
}
