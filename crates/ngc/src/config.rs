//! Configuration: defaults, then an optional TOML file, then `NGC_…` environment variables,
//! then flags (clap folds the last two together). Secrets are never logged.

use crate::cli::GlobalArgs;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use ngc_store::{Clock, Store};
use ngc_web::auth::IpRange;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The default database.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://ngc.db";
/// The default address to serve on.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: Option<String>,
    pub log_json: bool,
    pub secure_cookies: bool,
    /// The server's date, when fixed (`NGC_TODAY` or `today`).
    pub today: Option<NaiveDate>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<IpRange>,
    /// The bearer token of `/metrics` (none: `/metrics` is not served).
    pub metrics_token: Option<String>,
    /// The configured OCDS ocid prefix (none: the placeholder), checked.
    pub ocid_prefix: Option<String>,
    /// The address the instance is published at, when configured (an `http(s)://` URL).
    pub public_url: Option<String>,
    /// The publisher named in the public OCDS packages.
    pub ocds_publisher: String,
    /// Where the keys that seal bids come from, when configured (read by
    /// [`crate::bid_keys::configured`]).
    pub bid_keys: Option<BidKeySource>,
}

/// Where the bid keys come from.
#[derive(Clone, PartialEq, Eq)]
pub enum BidKeySource {
    /// `NGC_BID_KEY`: the keys themselves. Never printed.
    Env(String),
    /// A key file (`--bid-key-file`, `NGC_BID_KEY_FILE` or `bid_key_file`).
    File(PathBuf),
}

impl fmt::Debug for BidKeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BidKeySource::Env(_) => f.write_str("NGC_BID_KEY (hidden)"),
            BidKeySource::File(path) => f.debug_tuple("File").field(path).finish(),
        }
    }
}

/// The variable that holds bid keys themselves.
pub const BID_KEY_VAR: &str = "NGC_BID_KEY";

/// Picks the bid keys' source: `NGC_BID_KEY` (`env`) or the key file of the flag or
/// `NGC_BID_KEY_FILE` (`flag`), never both; either overrides the configuration file's
/// `bid_key_file` (`file`, relative to the configuration file's directory `base`).
fn bid_key_source(
    env: Option<String>,
    flag: Option<PathBuf>,
    file: Option<PathBuf>,
    base: Option<&Path>,
) -> anyhow::Result<Option<BidKeySource>> {
    let env = env.filter(|v| !v.trim().is_empty());
    let flag = flag.filter(|p| !p.as_os_str().is_empty());
    Ok(match (env, flag) {
        (Some(_), Some(_)) => bail!(
            "{BID_KEY_VAR} and --bid-key-file (NGC_BID_KEY_FILE) are both set: set one of them"
        ),
        (Some(keys), None) => Some(BidKeySource::Env(keys)),
        (None, Some(path)) => Some(BidKeySource::File(path)),
        (None, None) => file.map(|path| match base {
            Some(base) if path.is_relative() => BidKeySource::File(base.join(path)),
            _ => BidKeySource::File(path),
        }),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    log_format: Option<String>,
    secure_cookies: Option<bool>,
    today: Option<NaiveDate>,
    trusted_proxies: Option<Vec<String>>,
    metrics_token: Option<String>,
    ocid_prefix: Option<String>,
    public_url: Option<String>,
    ocds_publisher: Option<String>,
    bid_key_file: Option<PathBuf>,
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("{}: not a valid ngc configuration", path.display()))
}

impl Config {
    /// Merges the sources in order of precedence.
    pub fn resolve(args: &GlobalArgs) -> anyhow::Result<Self> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let log_format = args
            .log_format
            .clone()
            .or(file.log_format)
            .unwrap_or_else(|| "text".into());
        let log_json = match log_format.as_str() {
            "text" => false,
            "json" => true,
            other => bail!("log_format: `{other}` is not text or json"),
        };
        let trusted_proxies = args
            .trusted_proxies
            .clone()
            .or(file.trusted_proxies)
            .unwrap_or_default()
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.parse::<IpRange>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("trusted_proxies: {e}"))?;
        let metrics_token = args
            .metrics_token
            .clone()
            .or(file.metrics_token)
            .filter(|t| !t.trim().is_empty());
        let ocid_prefix = args
            .ocid_prefix
            .clone()
            .or(file.ocid_prefix)
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty());
        if let Some(p) = &ocid_prefix {
            ngc_app::ocds::check_prefix(p).map_err(|e| anyhow::anyhow!("ocid_prefix: {e}"))?;
        }
        let public_url = args
            .public_url
            .clone()
            .or(file.public_url)
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        if let Some(u) = &public_url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            bail!("public_url: `{u}` must start with https:// or http://");
        }
        let ocds_publisher = args
            .ocds_publisher
            .clone()
            .or(file.ocds_publisher)
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| ngc_app::ocds::Publisher::default().name);
        let bid_keys = bid_key_source(
            std::env::var(BID_KEY_VAR).ok(),
            args.bid_key_file.clone(),
            file.bid_key_file,
            args.config.as_deref().and_then(Path::parent),
        )?;
        Ok(Self {
            database_url: args
                .database_url
                .clone()
                .or(file.database_url)
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            bind: file.bind,
            log_json,
            secure_cookies: file.secure_cookies.unwrap_or(false),
            today: args.today.or(file.today),
            trusted_proxies,
            metrics_token,
            ocid_prefix,
            public_url,
            ocds_publisher,
            bid_keys,
        })
    }

    /// The address to serve on: the flag or environment, else the file, else the default.
    pub fn bind(&self, flag: Option<&str>) -> String {
        flag.map(str::to_owned)
            .or_else(|| self.bind.clone())
            .unwrap_or_else(|| DEFAULT_BIND.into())
    }

    /// The server's one clock: the fixed date when configured, else the system's.
    pub fn clock(&self) -> Clock {
        self.today.map_or(Clock::system(), Clock::on)
    }

    /// The publisher of the public OCDS packages: the configured name, at the public URL (or
    /// `http://` and the address served on, `bind`).
    pub fn ocds_publisher(&self, bind: Option<&str>) -> ngc_app::ocds::Publisher {
        let base = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind(bind)));
        ngc_app::ocds::Publisher::new(&self.ocds_publisher, &base)
    }

    /// `store` set up as configured: its clock and its ocid prefix.
    pub fn configure(&self, store: Store) -> Store {
        let store = store.with_clock(self.clock());
        match &self.ocid_prefix {
            Some(p) => store.with_ocid_prefix(p),
            None => store,
        }
    }

    /// The database URL with any password hidden, for logs.
    pub fn redacted_url(&self) -> String {
        redact(&self.database_url)
    }
}

/// Hides the password of a URL like `postgres://user:secret@host/db`.
pub fn redact(url: &str) -> String {
    ngc_store::redact_url(url)
}

/// Logs to standard error, as text or JSON; `NGC_LOG` sets the filter.
pub fn init_tracing(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("NGC_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if config.log_json {
        builder.json().flatten_event(true).init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(
            redact("postgres://ngc:s3cret@db:5432/ngc"),
            "postgres://ngc:***@db:5432/ngc"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/ngc"),
            "postgres://postgres@127.0.0.1/ngc"
        );
        assert_eq!(redact("sqlite://ngc.db"), "sqlite://ngc.db");
    }

    #[test]
    fn bid_keys_come_from_one_place_and_are_never_shown() {
        let env = || Some("k1:00ff".to_owned());
        let flag = || Some(PathBuf::from("/run/flag.key"));
        let file = || Some(PathBuf::from("keys/bid.key"));
        let base = Some(Path::new("/etc/ngc"));
        let source = bid_key_source(env(), None, file(), base).unwrap().unwrap();
        assert_eq!(source, BidKeySource::Env("k1:00ff".into()));
        assert_eq!(format!("{source:?}"), "NGC_BID_KEY (hidden)");
        assert_eq!(
            bid_key_source(None, flag(), file(), base).unwrap(),
            Some(BidKeySource::File("/run/flag.key".into()))
        );
        // The configuration file's path is read from its directory.
        assert_eq!(
            bid_key_source(None, None, file(), base).unwrap(),
            Some(BidKeySource::File("/etc/ngc/keys/bid.key".into()))
        );
        assert_eq!(
            bid_key_source(Some(" ".into()), None, None, base).unwrap(),
            None
        );
        let both = bid_key_source(env(), flag(), None, base)
            .unwrap_err()
            .to_string();
        assert_eq!(
            both,
            "NGC_BID_KEY and --bid-key-file (NGC_BID_KEY_FILE) are both set: set one of them"
        );
        assert!(!both.contains("00ff"));
    }
}
