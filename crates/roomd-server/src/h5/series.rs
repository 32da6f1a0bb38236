//! Series (extension, docs/wire-compat.md "Series"): `meeting/book` with `recurrence`,
//! `meeting/preview`, and the views of a series' occurrences.

use axum::extract::State;
use roomd_core::Caller;
use roomd_core::recurrence::Recurrence;
use roomd_wire::h5::{MeetingBook, OccurrenceRef, Preview, SeriesBooked, Skipped};

use super::meeting::draft;
use crate::error::{ApiError, ApiResult, H5};
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
    let company = caller.company.as_str();
    let mut views = done.booked.iter().map(|m| app.views.meeting_view(company, m));
    let Some(first) = views.next() else { return Err(ApiError::new(roomd_wire::h5::ErrorCode::Internal)) };
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
