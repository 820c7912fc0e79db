//! Writing the medium-term financial plan statement as CSV and as a formatted workbook.

use ngc_domain::finance::statement::{LineStyle, Statement};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use std::io::Write;
use std::path::Path;

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: cannot write the workbook: {source}")]
    Xlsx { path: String, source: XlsxError },
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The statement as CSV: a header of years, then one row per line, amounts in pounds with
/// two decimal places, section headings as rows with no amounts.
pub fn statement_csv<W: Write>(s: &Statement, out: W) -> Result<(), ExportError> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["line".to_owned()];
    header.extend(s.years.iter().map(ToString::to_string));
    w.write_record(&header)?;
    for section in &s.sections {
        w.write_record(
            std::iter::once(section.heading.to_owned())
                .chain(s.years.iter().map(|_| String::new())),
        )?;
        for line in &section.lines {
            w.write_record(
                std::iter::once(line.label.clone())
                    .chain(line.values.iter().map(ToString::to_string)),
            )?;
        }
    }
    w.flush().map_err(|e| ExportError::Csv(e.into()))?;
    Ok(())
}

/// The statement as a workbook: a title, frozen year headers, £ formatting, totals in bold.
/// The file is written whole or not at all (a temporary file renamed into place).
pub fn statement_xlsx(s: &Statement, path: &Path) -> Result<(), ExportError> {
    let xlsx = |source| ExportError::Xlsx {
        path: path.display().to_string(),
        source,
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("MTFP").map_err(xlsx)?;
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_align(FormatAlign::Right)
        .set_border_bottom(FormatBorder::Thin);
    let heading = Format::new().set_bold().set_italic();
    let money = Format::new().set_num_format("#,##0.00;[Red]-#,##0.00");
    let total = Format::new()
        .set_bold()
        .set_num_format("#,##0.00;[Red]-#,##0.00")
        .set_border_top(FormatBorder::Thin);
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, format!("{} — {}", s.organisation, s.plan), &title)
        .map_err(xlsx)?;
    ws.write_string(
        1,
        0,
        "Medium-term financial plan, £ (negative amounts in red)",
    )
    .map_err(xlsx)?;
    ws.write_string_with_format(3, 0, "", &head).map_err(xlsx)?;
    for (c, y) in s.years.iter().enumerate() {
        ws.write_string_with_format(3, col(c + 1), y.to_string(), &head)
            .map_err(xlsx)?;
    }
    let mut row = 4u32;
    for section in &s.sections {
        ws.write_string_with_format(row, 0, section.heading, &heading)
            .map_err(xlsx)?;
        row += 1;
        for line in &section.lines {
            let (label_format, value_format) = match line.style {
                LineStyle::Total => (&bold, &total),
                LineStyle::Detail => (&Format::new(), &money),
            };
            ws.write_string_with_format(row, 0, &line.label, label_format)
                .map_err(xlsx)?;
            for (c, v) in line.values.iter().enumerate() {
                ws.write_number_with_format(row, col(c + 1), v.to_f64_pounds(), value_format)
                    .map_err(xlsx)?;
            }
            row += 1;
        }
        row += 1;
    }
    ws.set_column_width(0, 44).map_err(xlsx)?;
    for c in 1..=s.years.len() {
        ws.set_column_width(col(c), 18).map_err(xlsx)?;
    }
    ws.set_freeze_panes(4, 1).map_err(xlsx)?;
    let tmp = path.with_extension("xlsx.partial");
    wb.save(&tmp).map_err(xlsx)?;
    std::fs::rename(&tmp, path).map_err(|source| ExportError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}
