//! What can be wrong with a data pack: every problem names its file, and its line and column
//! where it has them, so a person can find and fix it.

use ngc_domain::slug::Slug;
use std::fmt;
use std::path::PathBuf;

/// How many problems a pack reports before it only counts the rest.
pub const MAX_REPORTED: usize = 20;

/// One problem in a data pack, as one line:
/// `demo/x/organisations.csv: line 7, column identifiers: … is not a valid GB-COH identifier …`.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}{problem}", file.display(), Location(*line, column.as_deref()))]
pub struct PackError {
    /// The file with the problem, as `dir.join(name)`.
    pub file: PathBuf,
    /// The 1-based line where the problem is; the CSV header is line 1.
    pub line: Option<u64>,
    /// The column (CSV) or key (TOML) with the problem.
    pub column: Option<String>,
    /// What is wrong.
    pub problem: Problem,
}

/// What is wrong, without where.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// The file is missing or unreadable.
    #[error("cannot read the file: {0}")]
    Read(std::io::Error),
    /// `pack.toml` is not valid TOML or has the wrong keys.
    #[error("{0}")]
    Manifest(String),
    /// The CSV itself is malformed (a row with the wrong number of fields, bad UTF-8).
    #[error("{0}")]
    Csv(String),
    /// A column the file must have is not in its header.
    #[error("missing column: the header must name the columns {expected}")]
    MissingColumn {
        /// Every column of the file, comma separated.
        expected: String,
    },
    /// The header names a column the file does not have.
    #[error("unknown column: the columns are {expected}")]
    UnknownColumn {
        /// Every column of the file, comma separated.
        expected: String,
    },
    /// The header names a column twice.
    #[error("the header names this column twice")]
    DuplicateColumn,
    /// A required value is empty.
    #[error("a value is required")]
    Required,
    /// A value breaks a rule; the text says which and what is expected.
    #[error("{0}")]
    Invalid(String),
    /// A slug is used by an earlier row of the same file.
    #[error("`{slug}` is already used on line {first_line}")]
    DuplicateSlug {
        /// The repeated slug.
        slug: Slug,
        /// The line that used it first.
        first_line: u64,
    },
    /// Two organisations give the same registration identifier.
    #[error("`{identifier}` is already given for `{slug}` on line {first_line}")]
    DuplicateIdentifier {
        /// The repeated identifier, in org-id form.
        identifier: String,
        /// The organisation that gave it first.
        slug: Slug,
        /// The line that gave it first.
        first_line: u64,
    },
    /// A slug refers to something that is not in the pack.
    #[error("no {what} `{slug}` in {file}")]
    UnknownReference {
        /// What the slug should name (`organisation`, `partnership`).
        what: &'static str,
        /// The slug that names nothing.
        slug: Slug,
        /// The file where it should be.
        file: &'static str,
    },
    /// Organisations own each other in a circle (each owned by the next).
    #[error("ownership goes round in a circle, each owned by the next: {0}")]
    OwnershipCycle(String),
    /// A membership overlaps an earlier one of the same organisation in the same partnership.
    #[error(
        "`{organisation}` is already a member of `{partnership}` from {joined_on} (line {first_line}); memberships must not overlap"
    )]
    OverlappingMembership {
        /// The partnership.
        partnership: Slug,
        /// The organisation.
        organisation: Slug,
        /// When the earlier membership began.
        joined_on: chrono::NaiveDate,
        /// The line of the earlier membership.
        first_line: u64,
    },
}

/// `line 7, column kind: `, `line 7: `, `column name: ` or nothing.
struct Location<'a>(Option<u64>, Option<&'a str>);

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: "),
            (Some(line), None) => write!(f, "line {line}: "),
            (None, Some(column)) => write!(f, "column {column}: "),
            (None, None) => Ok(()),
        }
    }
}

/// Every problem found in a pack (up to [`MAX_REPORTED`], then a count), one per line.
#[derive(Debug, Default)]
pub struct PackErrors {
    errors: Vec<PackError>,
    omitted: usize,
}

impl PackErrors {
    /// The problems reported, in file and line order within each check.
    pub fn errors(&self) -> &[PackError] {
        &self.errors
    }

    /// How many further problems were found but not reported.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// Whether no problem was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Takes in every problem of another report, counting those past the limit.
    pub(crate) fn absorb(&mut self, other: PackErrors) {
        for error in other.errors {
            self.push(error);
        }
        self.omitted += other.omitted;
    }

    pub(crate) fn push(&mut self, error: PackError) {
        if self.errors.len() < MAX_REPORTED {
            self.errors.push(error);
        } else {
            self.omitted += 1;
        }
    }
}

impl From<PackError> for PackErrors {
    fn from(error: PackError) -> Self {
        let mut errors = PackErrors::default();
        errors.push(error);
        errors
    }
}

impl<'a> IntoIterator for &'a PackErrors {
    type Item = &'a PackError;
    type IntoIter = std::slice::Iter<'a, PackError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl fmt::Display for PackErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        if self.omitted > 0 {
            let s = if self.omitted == 1 { "" } else { "s" };
            write!(f, "\n… and {} more problem{s}", self.omitted)?;
        }
        Ok(())
    }
}

impl std::error::Error for PackErrors {}
