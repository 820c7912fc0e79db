//! The command-line grammar (a contract other tools rely on: see DESIGN.md §5).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// ngc — the Next Generation Council platform.
#[derive(Debug, Parser)]
#[command(name = "ngc", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes. Precedence: flag, then `NGC_…` environment, then the TOML
/// file, then the default.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Database URL: `sqlite://PATH` (default `sqlite://ngc.db`) or `postgres://…`.
    #[arg(long, global = true, env = "NGC_DATABASE_URL")]
    pub database_url: Option<String>,
    /// A TOML configuration file (keys: database_url, bind, log_format, secure_cookies, today,
    /// trusted_proxies, metrics_token, bid_key_file, ocid_prefix, public_url, ocds_publisher).
    #[arg(long, global = true, env = "NGC_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log format: `text` or `json`.
    #[arg(long, global = true, env = "NGC_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Fix the server's date (YYYY-MM-DD) for demos, tests and benchmarks; the system's
    /// date otherwise.
    #[arg(long, global = true, env = "NGC_TODAY")]
    pub today: Option<chrono::NaiveDate>,
    /// Proxies whose `X-Forwarded-For` names the client, for the sign-in limits: addresses or
    /// CIDR ranges, comma-separated (default: none, the socket's address counts).
    #[arg(
        long,
        global = true,
        env = "NGC_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Option<Vec<String>>,
    /// The bearer token `/metrics` asks for; without one, `/metrics` answers 404.
    #[arg(long, global = true, env = "NGC_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The OCDS ocid prefix this instance registered with the Open Contracting Partnership
    /// (`ocds-` and six letters or digits). Fixed in the database when the first release is
    /// stored; until then the placeholder ocds-ngc000 is used.
    #[arg(long, global = true, env = "NGC_OCID_PREFIX")]
    pub ocid_prefix: Option<String>,
    /// The address the instance is published at (`https://ngc.example.org`), which the public
    /// OCDS packages name in `uri` and `links.next` [default: http:// and the bind address].
    #[arg(long, global = true, env = "NGC_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The publisher named in the public OCDS packages [default: ngc].
    #[arg(long, global = true, env = "NGC_OCDS_PUBLISHER")]
    pub ocds_publisher: Option<String>,
    /// A file of bid keys: one a line (64 hex digits or base64 of 32 bytes, optionally
    /// `ID:` before), `#` comments, the first seals new bids. `NGC_BID_KEY` may hold the keys
    /// themselves instead (comma-separated; there is no flag, so no key shows in a process
    /// list).
    #[arg(long, global = true, env = "NGC_BID_KEY_FILE")]
    pub bid_key_file: Option<PathBuf>,
}

/// Where to listen.
#[derive(Debug, Args)]
pub struct BindArgs {
    /// Address to serve on (default 127.0.0.1:8080).
    #[arg(long, env = "NGC_BIND")]
    pub bind: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API.
    Serve(BindArgs),
    /// Load the Northamptonshire 2015 demo pack and demo users, then serve.
    Demo {
        #[command(flatten)]
        bind: BindArgs,
        /// Load the demo data and exit without serving.
        #[arg(long)]
        load_only: bool,
        /// A demo pack directory (default: the pack carried in the binary).
        #[arg(long)]
        pack: Option<PathBuf>,
        /// Serve the demo, with its known passwords, on an address outside loopback.
        #[arg(long)]
        allow_demo_passwords: bool,
    },
    /// Apply the database migrations (SQLite migrates itself on open; PostgreSQL needs this).
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Import data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// The medium-term financial plan: report and risk simulation.
    #[command(subcommand)]
    Mtfp(crate::commands::mtfp::MtfpCommand),
    /// A plan's numbered revisions: list them, restore one.
    #[command(subcommand)]
    Plan(crate::commands::plan::PlanCommand),
    /// Resilience indicators of an organisation and its standing within its class.
    Resilience(crate::commands::resilience::ResilienceArgs),
    /// Procurement rules of the day (PCR 2015 or the Procurement Act 2023) and standstill
    /// (no database needed).
    #[command(subcommand)]
    Procurement(crate::commands::procurement::ProcurementCommand),
    /// The contract register: import a council's register file, the expiry pipeline.
    #[command(subcommand)]
    Contracts(crate::commands::contracts::ContractsCommand),
    /// Shared services of a partnership: recharge statements, savings, exits.
    #[command(subcommand)]
    SharedServices(crate::commands::shared_services::SharedServicesCommand),
    /// Joint working: a partnership's consolidation analysis, the councils' key values.
    #[command(subcommand)]
    JointWorking(crate::commands::joint_working::JointWorkingCommand),
    /// The ledger: the trial balance, posting shared-service recharges.
    #[command(subcommand)]
    Ledger(crate::commands::ledger::LedgerCommand),
    /// The grants register: a grant's versions, restoring an earlier one.
    #[command(subcommand)]
    Grants(crate::commands::grants::GrantsCommand),
    /// Export published returns as files (CSV or JSON).
    #[command(subcommand)]
    Export(crate::commands::export::ExportCommand),
    /// Open Contracting Data Standard: compile releases into records, validate packages (no
    /// database needed), export an organisation's published notices.
    #[command(subcommand)]
    Ocds(crate::commands::ocds::OcdsCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write a consistent copy of the SQLite database (PostgreSQL: use pg_dump).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the SQLite database with a backup (stop the server first).
    Restore {
        /// The backup file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        /// The organisation's slug.
        #[arg(long)]
        org: String,
        /// instance_admin, org_admin, finance, commissioner, evaluator, provider or partner.
        #[arg(long)]
        role: String,
        /// The user's name (default: the email).
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Disable a user: their sessions and API tokens stop working at once.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled user: their sessions and API tokens work again.
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A data pack directory (pack.toml and CSV files): all of it or nothing, merged with
    /// what the app holds (a field changed both in the app and in the pack refuses the pack).
    Pack {
        dir: PathBuf,
        /// The pack's version wins over changes made in the app; replaced plans stay
        /// readable and restorable as earlier revisions (`ngc plan revisions`).
        #[arg(long)]
        replace: bool,
    },
    /// Budget lines (organisation, year, service, subjective, amount) from CSV or XLSX;
    /// replaces the organisation's lines for the years in the file; all rows or none.
    Budget {
        file: PathBuf,
        /// The organisation every line must belong to.
        #[arg(long)]
        org: String,
    },
    /// Providers' accounts (provider, year_end, turnover, net_assets, reserves, filed_on)
    /// from CSV: all lines or none; figures entered before for a year are kept, superseded.
    Accounts { file: PathBuf },
    /// A shared-service partnership's services, pools, bases and drivers, external fees,
    /// agreement terms, index, baselines and published savings (CSV or XLSX, one fact a line:
    /// service, year, item, organisation, value, source, confirmed); all lines or none; what
    /// it replaces is kept, superseded.
    SharedServices {
        file: PathBuf,
        /// The partnership.
        #[arg(long)]
        partnership: String,
    },
    /// "Expenditure over £500" files (CSV, XLSX, or zips of CSVs) of an organisation, each
    /// whole or not at all; the layout is recognised by the headers or named by a mapping
    /// file. Each file is posted to the ledger as summarised journals, one per month and
    /// account.
    Spend {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The organisation whose spend it is.
        #[arg(long)]
        org: String,
        /// A TOML file naming the headers of each field (for a layout not recognised, or
        /// headers that drift from month to month).
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// A CSV file (expense_code, service, subjective) mapping expense codes to the service
        /// line and subjective their payments are charged to; without it, or for a code it
        /// does not name, a line is charged to its published service and expense type.
        #[arg(long)]
        expense_codes: Option<PathBuf>,
        /// The id of an earlier import a corrected file stands in for (one file only); the
        /// earlier lines are kept as a revision and its journals are reversed.
        #[arg(long)]
        replaces: Option<i64>,
    },
    /// A general-ledger extract from the council's finance system (period, service line or
    /// cost centre, subjective, amount; CSV or XLSX), all lines or none: kept once by its
    /// content, and posted so the ledger's income and expenditure for the months it covers
    /// equal the finance system's (journals for the differences against `gl_control`).
    Actuals {
        file: PathBuf,
        /// The organisation whose actuals they are.
        #[arg(long)]
        org: String,
        /// A TOML file naming the columns' headers, placing cost centres on service lines and
        /// naming income subjectives.
        #[arg(long)]
        mapping: Option<PathBuf>,
    },
    /// Opening balances for an organisation's ledger from CSV (account, debit, credit,
    /// source): one journal of every line, or nothing; the same file again changes nothing.
    OpeningBalances {
        file: PathBuf,
        /// The organisation whose ledger they open.
        #[arg(long)]
        org: String,
        /// The day the balances open (default: the first day of the current financial year).
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
    /// Grants to voluntary, community and social enterprise organisations, from 360Giving's
    /// flat CSV (as Trafford publishes its grants), into an organisation's grants register:
    /// every row or none; new grants are added, a changed grant gets a new version with the
    /// earlier kept, and the same file again changes nothing.
    Grants {
        file: PathBuf,
        /// The organisation that made the grants.
        #[arg(long)]
        org: String,
    },
    /// Official returns workbooks (Revenue Outturn RS, Revenue Account RA, council tax
    /// requirement; xls or xlsx), recognised by their content.
    Returns {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 1 naming the first bad record.
    Verify,
}
