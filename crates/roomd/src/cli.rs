use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(name = "roomd", version, about = "Self-hosted smart meeting rooms: directory, rooms, bookings, check-in")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub struct Global {
    /// Where roomd keeps its SQLite database and files.
    #[arg(long, env = "ROOMD_DATA_DIR", default_value = "./roomd-data", global = true)]
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; default `sqlite://DATA_DIR/roomd.db`.
    #[arg(long, env = "ROOMD_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// App credentials (appkey/appsecret) for integrators.
    App {
        #[command(subcommand)]
        command: AppCommand,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Receive a company's webhooks and print each event, one JSON object a line: to try
    /// a subscription out (the keys come from event/get).
    Receive(ReceiveArgs),
}

#[derive(Subcommand)]
pub enum AppCommand {
    /// Create an app credential; without --company, for a new company.
    Create {
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        company_name: Option<String>,
        /// Print {"company_id","appkey","appsecret"} as one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ServeArgs {
    #[arg(long, env = "ROOMD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// How clients reach this server (face URLs are built on it); default http://LISTEN.
    #[arg(long, env = "ROOMD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// PEM file of CA certificates to trust for https:// event URLs, beyond the
    /// system's (a receiver behind the company's own CA).
    #[arg(long, env = "ROOMD_WEBHOOK_CA_FILE")]
    pub webhook_ca_file: Option<PathBuf>,
    /// Address ranges (CIDR) webhooks may go to even where refused by default
    /// (link-local, metadata, roomd's own address) or by --webhook-deny.
    #[arg(long, env = "ROOMD_WEBHOOK_ALLOW", value_delimiter = ',')]
    pub webhook_allow: Vec<ipnet::IpNet>,
    /// Address ranges (CIDR) webhooks may not go to, beyond the default ones.
    #[arg(long, env = "ROOMD_WEBHOOK_DENY", value_delimiter = ',')]
    pub webhook_deny: Vec<ipnet::IpNet>,
    /// Reverse proxies (CIDR) whose X-Forwarded-For names the client, for rate limits.
    #[arg(long, env = "ROOMD_TRUSTED_PROXY", value_delimiter = ',')]
    pub trusted_proxy: Vec<ipnet::IpNet>,
    /// Connections served at once; more wait in the listen queue. Keep it under the
    /// process's open-file limit (ulimit -n) less the database's connections.
    #[arg(long, env = "ROOMD_MAX_CONNECTIONS", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_connections: u32,
    /// Days a delivered or given-up event is kept (its delivery log and replay);
    /// 0 keeps every event. Pending events are never removed.
    #[arg(long, env = "ROOMD_EVENT_RETENTION_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(0..=36_500))]
    pub event_retention_days: u32,
    /// Where invitations go: smtp://[user:pass@]host[:port] (STARTTLS when offered;
    /// ?tls=required insists, ?tls=none never) or smtps://… (TLS from the start).
    /// Without it no mail is sent and none is kept.
    #[arg(long, env = "ROOMD_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of every message, e.g. "roomd <rooms@example.com>" (needed with
    /// --smtp-url).
    #[arg(long, env = "ROOMD_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// PEM file of CA certificates to trust for the SMTP server's TLS, beyond the
    /// system's (a relay behind the company's own CA).
    #[arg(long, env = "ROOMD_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,
    /// Seconds before a message that failed for a while (4xx, no connection) is tried
    /// again; each later try waits twice as long (at most 15 minutes), for 24 hours.
    #[arg(long, env = "ROOMD_MAIL_RETRY_SECONDS", default_value_t = 5,
          value_parser = clap::value_parser!(u64).range(1..=3_600))]
    pub mail_retry_seconds: u64,
}

#[derive(Args)]
pub struct ReceiveArgs {
    /// Address and port to listen on; save `http://ADDR/` with event/save.
    #[arg(long, default_value = "127.0.0.1:9000")]
    pub listen: SocketAddr,
    /// The company's appkey (the one event/get was called with).
    #[arg(long, env = "ROOMD_APPKEY")]
    pub appkey: String,
    /// The subscription's aesKey (event/get).
    #[arg(long, env = "ROOMD_AES_KEY")]
    pub aes_key: String,
    /// The subscription's token (event/get).
    #[arg(long, env = "ROOMD_EVENT_TOKEN")]
    pub token: String,
}
