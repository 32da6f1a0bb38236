//! The HTTP/1.1 server loop. Like `axum::serve`, with one difference that clients see:
//! header names go out in title case (`Content-Type`), as Feishu's and the vendor's
//! gateways send them. HTTP says case does not matter, but the official Lark SDK looks
//! its answers' `Content-Type` up case-sensitively and, finding none, reads no `code`.
//!
//! And with limits no client can outlast (`Connections`): a connection gets a while to
//! send a request's headers, including while it idles between requests; a request's body
//! must arrive within its own time (the router's `RequestBodyTimeoutLayer`); and only so
//! many connections are served at once, the next ones waiting in the listen queue.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// In-flight requests get this long to finish once `shutdown` completes.
const DRAIN: Duration = Duration::from_secs(30);

/// How long clients may take, and how many are served at once.
#[derive(Debug, Clone, Copy)]
pub struct Connections {
    /// To send a request's headers, counted from when the connection is ready for them
    /// (a new connection, or one idle after an answer).
    pub header_timeout: Duration,
    /// To send a request's body.
    pub body_timeout: Duration,
    /// Connections served at once.
    pub max: usize,
}

impl Default for Connections {
    fn default() -> Self {
        Connections { header_timeout: Duration::from_secs(10), body_timeout: Duration::from_secs(60), max: 512 }
    }
}

pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Connections,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder.title_case_headers(true).timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let open = Arc::new(tokio::sync::Semaphore::new(limits.max.max(1)));
    tokio::pin!(shutdown);
    loop {
        // A free place first: at the limit, new connections wait in the listen queue.
        let place = tokio::select! {
            place = open.clone().acquire_owned() => match place {
                Ok(place) => place,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, then go on accepting.
                        tracing::warn!(error = %e, "accepting a connection");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                // Handlers that need the client's address (rate limits) find it as axum's
                // `ConnectInfo`; the router itself is shared, not rebuilt per connection.
                let service = TowerToHyperService::new(router.clone().map_request(
                    move |mut request: axum::http::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                        request
                    },
                ));
                let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "connection ended");
                    }
                    drop(place);
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still running after {DRAIN:?}; stopping anyway");
    }
    Ok(())
}
