//! Events to an `https://` receiver: its certificate is checked, and a company's own CA
//! can be trusted with `--webhook-ca-file` (`AppState::with_webhooks`). The test
//! CA and the receiver's certificate (for 127.0.0.1 and localhost, valid 2020–2056) are
//! in `tls/`.

use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::json;
use tokio_rustls::TlsAcceptor;

use crate::events::{Receiver, subscribe};
use crate::support::TestApp;

const CA: &[u8] = include_bytes!("tls/ca.pem");
const CERT: &[u8] = include_bytes!("tls/receiver.pem");
const KEY: &[u8] = include_bytes!("tls/receiver.key");

/// Serves `app` over TLS on `listener`.
pub async fn serve(listener: tokio::net::TcpListener, acceptor: TlsAcceptor, app: Router) {
    while let Ok((stream, _)) = listener.accept().await {
        let (acceptor, app) = (acceptor.clone(), app.clone());
        tokio::spawn(async move {
            // A client that refuses our certificate ends the handshake: nothing to serve.
            let Ok(tls) = acceptor.accept(stream).await else { return };
            let service = TowerToHyperService::new(app);
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

fn acceptor() -> TlsAcceptor {
    roomd_server::install_tls();
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(CERT).collect::<Result<_, _>>().expect("certificate");
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("key");
    let config =
        rustls::ServerConfig::builder().with_no_client_auth().with_single_cert(chain, key).expect("tls config");
    TlsAcceptor::from(Arc::new(config))
}

#[tokio::test]
async fn an_https_receiver_needs_a_trusted_certificate_and_then_gets_every_event() {
    let receiver = Receiver::start_with(Some(acceptor())).await;
    assert!(receiver.url().starts_with("https://127.0.0.1:"), "{}", receiver.url());

    // The system's roots do not know the test CA: the check fails and says why.
    let untrusting = TestApp::spawn().await;
    let keys = untrusting.ok("event/get", json!({})).await;
    let refused = untrusting.call("event/save", json!({"url": receiver.url()})).await;
    assert_eq!(refused["code"], 71020, "{refused}");
    assert_eq!(refused["value"], json!(null));
    assert_eq!(untrusting.ok("event/get", json!({})).await["url"], "", "{keys}");

    // Trusting the company's CA, the same receiver is saved and gets the events.
    let trusting = TestApp::spawn_with(|state| state.with_webhooks(CA, Default::default())).await;
    let saved = subscribe(&trusting, &receiver).await;
    assert_eq!(saved["url"], receiver.url());
    trusting.ok("dept/add", json!({"name": "加密部"})).await;
    let events = receiver.wait_for(1).await;
    assert_eq!(events[0]["event_type"], "dept_add");
    assert_eq!(events[0]["value"][0]["name"], "加密部");
    assert_eq!(receiver.received()[0]["event_type"], "check_url", "the check went over HTTPS too");
}

#[test]
fn a_webhook_ca_file_without_certificates_is_refused() {
    for pem in [&b"not a certificate"[..], b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"] {
        assert!(roomd_server::Webhooks::new(pem, Default::default()).is_err(), "{}", String::from_utf8_lossy(pem));
    }
    assert!(roomd_server::Webhooks::new(CA, Default::default()).is_ok());
}
