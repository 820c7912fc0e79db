//! Which of a file's columns hold each of ngc's: the header matched to ngc's column names, or
//! to the headers a mapping names.

use super::columns::{COUNT, Column, all_names};
use super::mapping::{Mapping, normalise};
use crate::pack::table;
use crate::pack::{PackErrors, Problem};
use ngc_domain::organisation::Scheme;
use std::path::Path;

/// A file column that holds one of ngc's columns.
#[derive(Debug)]
pub(super) struct Source {
    /// 0-based, among the header's cells.
    pub(super) index: usize,
    /// The header as the file writes it.
    pub(super) header: String,
    /// The register of bare registration numbers in this column (supplier_id only).
    pub(super) scheme: Option<Scheme>,
}

/// Where each of ngc's columns is read from.
#[derive(Debug)]
pub(super) struct Layout<'m> {
    pub(super) mapping: Option<&'m Mapping>,
    /// Per column: the file columns to try, in order; the first with a value is read.
    sources: [Vec<Source>; COUNT],
}

impl<'m> Layout<'m> {
    /// Matches the `headers` on `line` of `file` to ngc's columns (through `mapping` if
    /// given), or reports every reason it cannot.
    pub(super) fn new(
        file: &Path,
        headers: &[String],
        line: u64,
        mapping: Option<&'m Mapping>,
        errors: &mut PackErrors,
    ) -> Option<Layout<'m>> {
        let mut header = Header {
            file,
            line,
            headers,
            mapping,
            errors,
            ok: true,
            sources: std::array::from_fn(|_| Vec::new()),
        };
        match mapping {
            None => header.match_names(),
            Some(m) => header.match_mapping(m),
        }
        header.require();
        header.ok.then_some(Layout {
            mapping,
            sources: header.sources,
        })
    }

    /// The file columns `column` is read from, in the order to try them.
    pub(super) fn sources(&self, column: Column) -> &[Source] {
        &self.sources[column.index()]
    }

    /// Every file column the layout reads, in order.
    pub(super) fn used(&self) -> Vec<usize> {
        let mut used: Vec<usize> = self.sources.iter().flatten().map(|s| s.index).collect();
        used.sort_unstable();
        used.dedup();
        used
    }
}

/// A file's header being matched.
struct Header<'a> {
    file: &'a Path,
    line: u64,
    headers: &'a [String],
    mapping: Option<&'a Mapping>,
    errors: &'a mut PackErrors,
    ok: bool,
    sources: [Vec<Source>; COUNT],
}

impl Header<'_> {
    /// ngc's layout: each header is a column name, once; any other is an error.
    fn match_names(&mut self) {
        for (index, header) in self.headers.iter().enumerate() {
            let header = header.trim();
            if header.is_empty() {
                continue;
            }
            let column = Column::ALL
                .into_iter()
                .find(|c| c.name().eq_ignore_ascii_case(header));
            match column {
                Some(c) if self.sources[c.index()].is_empty() => self.add(c, index),
                Some(_) => self.report(index, Problem::DuplicateColumn),
                None => {
                    let expected = all_names();
                    self.report(index, Problem::UnknownColumn { expected });
                }
            }
        }
    }

    /// A mapped layout: each column from the headers the mapping names, else from a header
    /// with the column's own name; other headers are ignored.
    fn match_mapping(&mut self, mapping: &Mapping) {
        let normal: Vec<String> = self.headers.iter().map(|h| normalise(h)).collect();
        let at = |name: &str| -> Vec<usize> {
            let name = normalise(name);
            (0..normal.len()).filter(|&i| normal[i] == name).collect()
        };
        for column in Column::ALL {
            let mapped = mapping.headers(column);
            if mapped.is_empty() {
                self.add_found(column, &at(column.name()));
                continue;
            }
            for header in mapped {
                let found = at(&header.header);
                if found.is_empty() {
                    self.ok = false;
                    let error = mapping.missing_header(header, self.file, self.headers);
                    self.errors.push(error);
                } else {
                    self.add_found(column, &found);
                }
            }
        }
    }

    /// Reports each required column that nothing holds (unless the mapping names a header
    /// for it, whose absence is reported against the mapping).
    fn require(&mut self) {
        let required = || -> String {
            let names: Vec<&str> = Column::ALL
                .into_iter()
                .filter(|c| c.required())
                .map(Column::name)
                .collect();
            names.join(", ")
        };
        for column in Column::ALL.into_iter().filter(|c| c.required()) {
            let mapped = self.mapping.is_some_and(|m| !m.headers(column).is_empty());
            if !self.sources[column.index()].is_empty() || mapped {
                continue;
            }
            let problem = match self.mapping {
                None => Problem::MissingColumn {
                    expected: required(),
                },
                Some(m) => Problem::Invalid(format!(
                    "missing column: no header holds `{}`; name one under [columns] in {}",
                    column.name(),
                    m.file().display()
                )),
            };
            self.ok = false;
            let error = table::error(self.file, self.line, column.name(), problem);
            self.errors.push(error);
        }
    }

    /// Takes the one header found for `column`; a header found twice is an error.
    fn add_found(&mut self, column: Column, found: &[usize]) {
        match found {
            [] => {}
            [index] => self.add(column, *index),
            [_, again, ..] => self.report(*again, Problem::DuplicateColumn),
        }
    }

    fn add(&mut self, column: Column, index: usize) {
        let header = self.headers[index].trim();
        self.sources[column.index()].push(Source {
            index,
            header: header.to_owned(),
            scheme: self.mapping.and_then(|m| m.scheme(header)),
        });
    }

    /// Reports a problem with the header cell `index`.
    fn report(&mut self, index: usize, problem: Problem) {
        self.ok = false;
        let shown = match self.headers[index].trim() {
            "" => "(blank)",
            h => h,
        };
        self.errors
            .push(table::error(self.file, self.line, shown, problem));
    }
}
