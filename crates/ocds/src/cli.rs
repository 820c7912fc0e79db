//! The `ngc ocds` command line (feature `cli`): compile and validate Open Contracting Data
//! Standard data, without a database. The `ngc` binary and the `ngc_ocds` example both run it.
//!
//! - `ngc ocds compile` reads releases and release packages from stdin and writes compiled
//!   releases (or versioned releases, or a record package) to stdout, exactly as
//!   `ocdskit compile` does, with its options (`ocdskit`'s global options `--encoding`,
//!   `--ascii` and `--pretty` included: `ocdskit --pretty compile` is `ngc ocds compile --pretty`).
//! - `ngc ocds validate FILE...` validates release and record packages, as the OCDS Data Review
//!   Tool does (schema, codelists, unique identifiers, deprecated and additional fields); the
//!   exit status is 1 if any file has errors (warnings and information do not count).
//!
//! User errors (bad input, unreadable files, invalid packages) are reported on stderr as one
//! `error: ...` line naming the file, position or path, and give exit status 1; `run` returns
//! `Err` only for unexpected failures.

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::encoding::Encoding;
use crate::format::{Reformat, Style};
use crate::spool::Spool;
use crate::validate::{Report, Schemas, validate_bytes_with};
use crate::{CompileOptions, MergeRules, Merger};
use anyhow::Context as _;
use clap::{Args, Subcommand, ValueEnum};

/// OCDS commands.
#[derive(Debug, Subcommand)]
pub enum OcdsCommand {
    /// Merge releases by ocid into compiled releases (stdin → stdout), like `ocdskit compile`.
    ///
    /// Reads release packages and releases (concatenated JSON or JSON Lines; top-level arrays
    /// are read item by item) and writes one compiled release per line (indented over several
    /// with --pretty), in ocid order. ocdskit's global options --encoding, --ascii and --pretty
    /// (`ocdskit --pretty compile`) are options of this command (`compile --pretty`).
    Compile(Box<CompileArgs>),
    /// Validate release packages and record packages (schema, codelists, unique identifiers).
    Validate(ValidateArgs),
}

/// Options of `ngc ocds compile` (those of `ocdskit compile`).
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// The (patched) release schema whose merge rules to use [default: the official OCDS 1.1.5
    /// release schema, or 1.0.3 for OCDS 1.0 input].
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Wrap the compiled releases in a record package.
    #[arg(long)]
    pub package: bool,
    /// With --package, use linked releases instead of full releases.
    #[arg(long)]
    pub linked_releases: bool,
    /// With --package, include versioned releases in the record package; otherwise print
    /// versioned releases instead of compiled releases.
    #[arg(long)]
    pub versioned: bool,
    /// With --package, the record package's uri.
    #[arg(long, default_value = "")]
    pub uri: String,
    /// With --package, the record package's publishedDate.
    #[arg(long, default_value = "")]
    pub published_date: String,
    /// With --package, the record package's version.
    #[arg(long = "version", default_value = "1.1")]
    pub package_version: String,
    /// With --package, the record package's publisher's name.
    #[arg(long, default_value = "")]
    pub publisher_name: String,
    /// With --package, the record package's publisher's uri.
    #[arg(long, default_value = "")]
    pub publisher_uri: String,
    /// With --package, the record package's publisher's scheme.
    #[arg(long, default_value = "")]
    pub publisher_scheme: String,
    /// With --package, the record package's publisher's uid.
    #[arg(long, default_value = "")]
    pub publisher_uid: String,
    /// With --package, set the record package's required metadata to dummy values.
    #[arg(long)]
    pub fake: bool,
    /// The path to the items to process within each input: keys joined with `.`, `item` for
    /// each element of an array (e.g. `item` for a JSON array of packages, `releases.item` for
    /// the releases of each package) [default: each top-level value].
    #[arg(
        long,
        value_name = "ROOT_PATH",
        default_value = "",
        hide_default_value = true
    )]
    pub root_path: String,
    /// The input's encoding: utf-8 (the default), utf-8-sig, latin-1 (iso-8859-1) or cp1252
    /// (windows-1252), under any name Python accepts. ocdskit's global option
    /// (`ocdskit --encoding ENCODING compile`).
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// Print escape sequences instead of UTF-8 characters. ocdskit's global option
    /// (`ocdskit --ascii compile`).
    #[arg(long)]
    pub ascii: bool,
    /// Pretty print the output (indented by two spaces). ocdskit's global option
    /// (`ocdskit --pretty compile`).
    #[arg(long)]
    pub pretty: bool,
}

/// Output format of `ngc ocds validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A readable report per file.
    Text,
    /// A JSON array of reports.
    Json,
}

/// Options of `ngc ocds validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The files to validate (release packages or record packages).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// A patched release schema (the OCDS 1.1.5 release schema with the packages' extensions
    /// applied), used instead of the built-in release schema, so that extension fields are
    /// validated [default: the official OCDS 1.1.5 release schema; extensions are not applied].
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
}

/// Run an `ngc ocds` command on the process's stdin, stdout and stderr.
pub fn run(cmd: OcdsCommand) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    run_with(
        cmd,
        crate::input::stdin(),
        &mut stdout.lock(),
        &mut io::stderr(),
    )
}

/// Run an `ngc ocds` command on the given input and outputs (for tests).
pub fn run_with<R: Read, W: Write, E: Write>(
    cmd: OcdsCommand,
    input: R,
    out: &mut W,
    err: &mut E,
) -> anyhow::Result<ExitCode> {
    let result = match cmd {
        OcdsCommand::Compile(args) => compile(&args, input, out, err),
        OcdsCommand::Validate(args) => validate(&args, out),
    };
    match result {
        Ok(code) => Ok(code),
        Err(Failure::User(message)) => {
            writeln!(err, "error: {message}").context("writing to stderr")?;
            Ok(ExitCode::from(1))
        }
        Err(Failure::BrokenPipe) => Ok(ExitCode::from(1)),
        Err(Failure::Other(e)) => Err(e),
    }
}

enum Failure {
    User(String),
    BrokenPipe,
    Other(anyhow::Error),
}

impl From<crate::Error> for Failure {
    fn from(e: crate::Error) -> Self {
        match e {
            crate::Error::Io(io) => Failure::from(io),
            other => Failure::User(other.to_string()),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Other(anyhow::Error::new(e).context("writing the output"))
        }
    }
}

fn options(args: &CompileArgs) -> CompileOptions {
    let mut publisher = serde_json::Map::new();
    for (key, value) in [
        ("name", &args.publisher_name),
        ("uri", &args.publisher_uri),
        ("scheme", &args.publisher_scheme),
        ("uid", &args.publisher_uid),
    ] {
        if !value.is_empty() {
            publisher.insert(key.into(), value.clone().into());
        }
    }
    let mut options = CompileOptions {
        versioned: args.versioned,
        package: args.package,
        linked_releases: args.linked_releases,
        uri: args.uri.clone(),
        published_date: args.published_date.clone(),
        version: args.package_version.clone(),
        publisher,
    };
    if args.fake {
        if options.uri.is_empty() {
            options.uri = "placeholder:".into();
        }
        if options.published_date.is_empty() {
            options.published_date = "9999-01-01T00:00:00Z".into();
        }
    }
    options
}

fn load_rules(path: &PathBuf) -> Result<MergeRules, Failure> {
    let name = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::User(format!("{name}: cannot read the schema: {e}")))?;
    let schema: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::User(format!("{name}: the schema is not JSON: {e}")))?;
    MergeRules::from_schema(&schema).map_err(|e| Failure::User(format!("{name}: {e}")))
}

fn compile<R: Read, W: Write, E: Write>(
    args: &CompileArgs,
    input: R,
    out: &mut W,
    err: &mut E,
) -> Result<ExitCode, Failure> {
    let encoding = match &args.encoding {
        None => None,
        Some(name) => Some(Encoding::from_python_name(name).ok_or_else(|| {
            Failure::User(format!(
                "--encoding {name:?}: unknown or unsupported encoding (supported: {})",
                crate::encoding::SUPPORTED
            ))
        })?),
    };
    let rules = args.schema.as_ref().map(load_rules).transpose()?;
    let given_schema = rules.is_some();
    let mut merger = Merger::new(rules);
    // The releases are kept until the end anyway (a process's releases may be anywhere in the
    // input), so the input is read whole: the merger keeps its releases as ranges of it.
    let mut bytes = Vec::new();
    let mut input = input;
    input
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::User(format!("<stdin>: cannot read the input: {e}")))?;
    if args.root_path.is_empty() {
        if let Some(encoding) = encoding {
            bytes = encoding.decode(bytes, "<stdin>")?.into_bytes();
        }
        merger.read_bytes(bytes, "<stdin>")?;
    } else {
        // The slow way: each top-level value is parsed to find the items at the root path.
        let text = encoding
            .unwrap_or(Encoding::Utf8)
            .decode(bytes, "<stdin>")?;
        for item in crate::root_path::items(&text, &args.root_path, "<stdin>") {
            merger.add(&item?, "<stdin>")?;
        }
    }
    if !given_schema && !merger.extensions().is_empty() {
        let _ = writeln!(
            err,
            "warning: the input declares {} extension(s); their merge rules are not applied \
             (give --schema with a patched release schema to apply them)",
            merger.extensions().len()
        );
    }
    let options = options(args);
    let style = Style {
        pretty: args.pretty,
        ascii: args.ascii,
    };
    if options.package {
        // A record package is one JSON value: spool it, so that nothing is written on failure.
        let mut spool = Spool::create().map_err(|e| {
            Failure::Other(anyhow::Error::new(e).context("creating a temporary file"))
        })?;
        write_styled(&mut merger, &options, style, &mut spool.file)?;
        spool.copy_to(out)?;
    } else {
        // One release per line: complete lines are written, even if a later one fails.
        write_styled(&mut merger, &options, style, &mut *out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Write the merger's output in `style` (`--pretty`, `--ascii`) to `out`, buffered.
fn write_styled<W: Write>(
    merger: &mut Merger,
    options: &CompileOptions,
    style: Style,
    out: W,
) -> Result<(), Failure> {
    let mut w = BufWriter::with_capacity(1 << 20, out);
    if style.is_compact() {
        let result = merger.write(options, &mut w);
        w.flush()?;
        return Ok(result?);
    }
    let mut styled = Reformat::new(&mut w, style);
    let result = merger.write(options, &mut styled);
    styled.flush()?;
    result?;
    styled.finish()?;
    w.flush()?;
    Ok(())
}

/// The patched release schema given with `ngc ocds validate --schema`, with the official package
/// schemas.
fn load_patched_schema(path: &PathBuf) -> Result<Schemas, Failure> {
    let name = path.display();
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::User(format!("{name}: cannot read the schema: {e}")))?;
    let schema: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::User(format!("{name}: the schema is not JSON: {e}")))?;
    Schemas::with_release_schema(schema).map_err(|e| Failure::User(format!("{name}: {e}")))
}

fn validate<W: Write>(args: &ValidateArgs, out: &mut W) -> Result<ExitCode, Failure> {
    let patched = args.schema.as_ref().map(load_patched_schema).transpose()?;
    let schemas = patched.as_ref().unwrap_or_else(|| Schemas::official());
    // Reports can run to many lines (one per additional field): buffer them.
    let mut out = BufWriter::with_capacity(1 << 16, out);
    let mut reports: Vec<Report> = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let name = path.display().to_string();
        let report = match std::fs::read(path) {
            Ok(bytes) => validate_bytes_with(&name, &bytes, schemas),
            Err(e) => return Err(Failure::User(format!("{name}: cannot read the file: {e}"))),
        };
        if args.format == ReportFormat::Text {
            write!(out, "{report}")?;
        }
        reports.push(report);
    }
    if args.format == ReportFormat::Json {
        let json: Vec<serde_json::Value> = reports
            .iter()
            .map(|r| {
                serde_json::json!({
                    "file": r.file,
                    "format": r.format,
                    "errors": r.error_count(),
                    "warnings": r.warning_count(),
                    "info": r.info_count(),
                    "problems": r.problems,
                    "deprecated_fields": r.deprecated_fields(),
                    "additional_fields": r.additional_fields(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &json).map_err(io::Error::other)?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if reports.iter().any(Report::has_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
