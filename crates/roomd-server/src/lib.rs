//! The roomd HTTP application as a library: `App::build` binds a listener (port 0 in
//! tests) and `App::run` serves until told to stop.

mod app;
mod board;
mod console;
mod error;
mod events;
mod extract;
mod face;
mod feeds;
mod feishu;
mod h5;
mod housekeeping;
mod limits;
mod location;
pub mod mail;
mod middleware;
mod no_show;
mod onboarding;
mod qr;
mod serve;
pub mod sms;
mod state;
mod views;
mod web;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::RequestBodyDeadlineLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, ApiResult};
pub use events::receiver as webhook_receiver;
pub use events::retention::Retention;
pub use events::{Destinations as WebhookDestinations, Webhooks, install_tls};
pub use serve::Connections;
pub use state::AppState;

/// A surface of HTML pages: its strays answered as a page, a `?lang=` choice remembered.
fn pages(router: Router<AppState>) -> Router<AppState> {
    router
        .layer(axum::middleware::from_fn(middleware::page_strays))
        .layer(axum::middleware::from_fn(web::remember_lang))
}

/// The whole router with its middleware, for `App` and for in-process tests.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(h5::router())
        .merge(feishu::router())
        .merge(pages(onboarding::router()))
        .merge(board::router())
        .merge(pages(console::router()))
        .merge(pages(app::router()))
        .merge(web::router())
        .merge(feeds::router())
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .fallback(middleware::unknown_path)
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn(middleware::refuse_own_webhooks))
        .layer(RequestBodyDeadlineLayer::new(state.connections.body_timeout))
        .layer(TraceLayer::new_for_http().make_span_with(middleware::request_span))
        .with_state(state)
}

async fn ready(State(app): State<AppState>) -> (StatusCode, &'static str) {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

pub struct App {
    listener: TcpListener,
    store: roomd_store::Store,
    webhooks: events::Webhooks,
    connections: serve::Connections,
    event_retention: Option<events::retention::Retention>,
    mail: Option<state::MailSettings>,
    router: Router,
}

impl App {
    /// Binds `listen` (use port 0 for a free one) and prepares the router.
    pub async fn build(listen: SocketAddr, state: AppState) -> std::io::Result<App> {
        let listener = TcpListener::bind(listen).await?;
        state.webhooks.destinations().listening_on(listener.local_addr()?);
        Ok(App {
            listener,
            store: state.store.clone(),
            webhooks: state.webhooks.clone(),
            connections: state.connections,
            event_retention: state.event_retention,
            mail: state.mail.clone(),
            router: router(state),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves (and delivers events) until `shutdown` completes, then lets in-flight
    /// requests and delivery attempts finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let releaser = tokio::spawn(no_show::run(self.store.clone(), stopped.clone()));
        let housekeeper = tokio::spawn(housekeeping::run(self.store.clone(), stopped.clone()));
        let pruner = self
            .event_retention
            .map(|retention| tokio::spawn(events::retention::run(self.store.clone(), retention, stopped.clone())));
        let mailer = self
            .mail
            .map(|m| tokio::spawn(mail::worker::run(self.store.clone(), m.mailer, m.first_retry, stopped.clone())));
        let worker = tokio::spawn(events::Worker::new(self.store, self.webhooks).run(stopped));
        let served = serve::serve(self.listener, self.router, self.connections, shutdown).await;
        let _ = stop.send(true);
        let _ = worker.await;
        let _ = releaser.await;
        let _ = housekeeper.await;
        if let Some(pruner) = pruner {
            let _ = pruner.await;
        }
        if let Some(mailer) = mailer {
            let _ = mailer.await;
        }
        served
    }
}
