//! `roomd`: the smart meeting-room server, one binary.

mod cli;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use roomd_core::{CompanyId, SystemClock};
use roomd_server::{App, AppState, Retention};
use roomd_store::{Store, StoreConfig};

use cli::{AppCommand, Cli, Command, Global, ReceiveArgs, ServeArgs};

/// glibc's allocator was a fifth of the request threads' CPU under load (`perf`, session
/// 6), much of it in consolidating freed chunks; mimalloc keeps per-thread free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_logging();
    roomd_server::install_tls();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(served) => serve(&cli.global, served).await,
        Command::Receive(args) => receive(args).await,
        Command::App { command: AppCommand::Create { company, company_name, json } } => {
            let store = open_store(&cli.global).await?;
            // On an empty database this is the first start: company 1000 and its admin.
            let credential = match store.first_start().await? {
                Some(first) if company.as_deref().is_none_or(|c| c == first.credential.company.as_str()) => {
                    first.credential
                }
                _ => {
                    let name = company_name.unwrap_or_else(|| "roomd".into());
                    let company = store.create_company(company.map(CompanyId::from_stored), name).await?;
                    store.create_app(company).await?
                }
            };
            store.close().await;
            if json {
                let out = serde_json::json!({
                    "company_id": credential.company.as_str(),
                    "appkey": credential.appkey,
                    "appsecret": credential.appsecret,
                });
                println!("{out}");
            } else {
                println!("company:   {}", credential.company);
                println!("appkey:    {}", credential.appkey);
                println!("appsecret: {}  (shown once; stored only as a hash)", credential.appsecret);
            }
            Ok(())
        }
        Command::Migrate => {
            let store = open_store(&cli.global).await?;
            store.close().await;
            println!("database is up to date");
            Ok(())
        }
    }
}

async fn serve(global: &Global, served: ServeArgs) -> anyhow::Result<()> {
    let ServeArgs {
        listen,
        public_url,
        webhook_ca_file,
        webhook_allow,
        webhook_deny,
        trusted_proxy,
        max_connections,
        event_retention_days,
        smtp_url,
        mail_from,
        smtp_ca_file,
        mail_retry_seconds,
    } = served;
    let public_url = public_url.unwrap_or_else(|| format!("http://{listen}"));
    // The CA file is read before the store opens: a wrong path stops the start at once.
    let roots = match &webhook_ca_file {
        Some(path) => std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
        None => Vec::new(),
    };
    // So is a wrong mail setting.
    let smtp_roots = match &smtp_ca_file {
        Some(path) => std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
        None => Vec::new(),
    };
    let mailer = match (smtp_url, mail_from) {
        (Some(url), Some(from)) => {
            Some(roomd_server::mail::Mailer::new(&url, &from, &smtp_roots).map_err(anyhow::Error::msg)?)
        }
        (Some(_), None) => {
            anyhow::bail!("--smtp-url needs --mail-from (the sender, e.g. \"roomd <rooms@example.com>\")")
        }
        (None, _) => None,
    };
    let store = open_store(global).await?;
    let mut state = AppState::new(store.clone(), Arc::new(SystemClock), &public_url)
        .with_webhooks(&roots, roomd_server::WebhookDestinations::new(webhook_allow, webhook_deny))
        .map_err(anyhow::Error::msg)?;
    state.event_retention = (event_retention_days > 0).then(|| Retention::days(event_retention_days));
    state.trusted_proxies = Arc::new(trusted_proxy);
    state.connections.max = max_connections as usize;
    if let Some(mailer) = mailer {
        println!("roomd: mail goes through {} from {}", mailer.summary, mailer.from);
        state = state.with_mail(mailer, std::time::Duration::from_secs(mail_retry_seconds));
    }
    let app = App::build(listen, state).await.with_context(|| format!("cannot listen on {listen}"))?;
    if let Some(first) = store.first_start().await? {
        let c = first.credential;
        println!("roomd: first start — created company {}", c.company);
        println!("  appkey:    {}", c.appkey);
        println!("  appsecret: {}  (shown once; stored only as a hash)", c.appsecret);
        println!("  try: curl '{public_url}/meeting/api/oapi/gettoken?appkey={}&appsecret={}'", c.appkey, c.appsecret);
        let link = store.create_setup_link(c.company.clone(), roomd_core::UserId::from_stored("1".into())).await?;
        println!(
            "  console: {public_url}/meeting/manage/setup?token={link}  (one-time link: set the admin's password)"
        );
    }
    println!("roomd: listening on http://{} ({:?} database)", app.local_addr()?, store.kind());
    app.run(shutdown_signal()).await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// `roomd receive`: a webhook receiver that prints each event it opens.
async fn receive(args: ReceiveArgs) -> anyhow::Result<()> {
    let cipher = roomd_wire::event_crypto::EventCipher::new(&args.aes_key, &args.token, &args.appkey)
        .map_err(|e| anyhow::anyhow!("these keys cannot open events: {e}"))?;
    let print: roomd_server::webhook_receiver::Sink = Arc::new(|event: &str| {
        println!("{event}");
        true
    });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    eprintln!("roomd receive: listening on http://{}/ (Ctrl-C to stop)", listener.local_addr()?);
    let app = roomd_server::webhook_receiver::router(cipher, print);
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

async fn open_store(global: &Global) -> anyhow::Result<Store> {
    let data_dir = global.data_dir.clone();
    std::fs::create_dir_all(&data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let database_url = global.database_url.clone().unwrap_or_else(|| sqlite_url(&data_dir.join("roomd.db")));
    let store = Store::open(StoreConfig { database_url, data_dir, clock: Arc::new(SystemClock) })
        .await
        .context("cannot open the database")?;
    Ok(store)
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

fn init_logging() {
    use tracing_subscriber::filter::{FilterExt, LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{EnvFilter, Layer};
    let asked = EnvFilter::try_from_env("ROOMD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Whatever ROOMD_LOG asks (`tokio_postgres::query=debug` included), the database
    // driver logs only warnings: at debug it writes each statement's parameters, where
    // event keys and hashes travel.
    let driver = Targets::new().with_default(LevelFilter::TRACE).with_target("tokio_postgres", LevelFilter::WARN);
    let filter = asked.and(driver);
    let lines = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    if std::env::var("ROOMD_LOG_FORMAT").as_deref() == Ok("json") {
        tracing_subscriber::registry().with(lines.json().with_filter(filter)).init();
    } else {
        tracing_subscriber::registry().with(lines.with_filter(filter)).init();
    }
}
