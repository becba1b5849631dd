//! A report as a table: the header officials write and the rows, for CSV
//! (and the other flat formats).

use crate::admin::csv_field;

/// A report flattened: column titles and text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str], rows: Vec<Vec<String>>) -> Self {
        Self {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows,
        }
    }

    /// CSV with a header line, CRLF line ends (RFC 4180), UTF-8 with a
    /// byte-order mark so spreadsheets read the Vietnamese right; cells a
    /// spreadsheet would run as formulas are quoted.
    pub fn to_csv(&self) -> String {
        let mut out = String::from('\u{feff}');
        self.write_csv(&mut out);
        out
    }

    /// The header and rows as CSV lines, without the byte-order mark.
    fn write_csv(&self, out: &mut String) {
        let line = |cells: &[String]| -> String {
            cells
                .iter()
                .map(|c| csv_field(c, c.parse::<f64>().is_err()))
                .collect::<Vec<_>>()
                .join(",")
                + "\r\n"
        };
        out.push_str(&line(&self.header));
        for r in &self.rows {
            out.push_str(&line(r));
        }
    }
}

/// A cell that is a number in a spreadsheet: counts and changes, never
/// codes with leading zeros ("001") nor text a spreadsheet would coerce.
fn number(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let plain = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && (digits == "0" || !digits.starts_with('0') || digits.starts_with("0."));
    if plain {
        cell.parse().ok()
    } else {
        None
    }
}

impl Table {
    /// An XLSX workbook of one sheet named `sheet`: `title` in bold on the
    /// first row, the header (bold) on the second, counts as numbers.
    pub fn to_xlsx(&self, sheet: &str, title: &str) -> Result<Vec<u8>, crate::ServerError> {
        workbook(&[Section {
            sheet: sheet.to_string(),
            title: title.to_string(),
            table: self.clone(),
        }])
    }

    fn write_sheet(
        &self,
        ws: &mut rust_xlsxwriter::Worksheet,
        sheet: &str,
        title: &str,
    ) -> Result<(), crate::ServerError> {
        use rust_xlsxwriter::Format;
        ws.set_name(sheet).map_err(xlsx_err)?;
        let bold = Format::new().set_bold();
        ws.write_string_with_format(0, 0, title, &bold.clone().set_font_size(13))
            .map_err(xlsx_err)?;
        for (c, h) in self.header.iter().enumerate() {
            ws.write_string_with_format(1, col(c)?, h, &bold)
                .map_err(xlsx_err)?;
        }
        // Codes ("Mã …" columns) stay text even when all digits, so a
        // column never mixes numbers and text (001 beside 14998).
        let codes: Vec<bool> = self
            .header
            .iter()
            .map(|h| h == "Mã" || h.starts_with("Mã "))
            .collect();
        for (r, row) in self.rows.iter().enumerate() {
            let r = u32::try_from(r + 2)
                .map_err(|_| crate::ServerError::Export("too many rows".into()))?;
            for (c, cell) in row.iter().enumerate() {
                let code = codes.get(c).copied().unwrap_or(false);
                match number(cell).filter(|_| !code) {
                    Some(n) => ws.write_number(r, col(c)?, n).map_err(xlsx_err)?,
                    None => ws.write_string(r, col(c)?, cell).map_err(xlsx_err)?,
                };
            }
        }
        ws.set_freeze_panes(2, 0).map_err(xlsx_err)?;
        ws.autofit();
        Ok(())
    }
}

/// One part of a report made of several tables (the weekly report): its
/// own sheet in a workbook, its own block in CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub sheet: String,
    /// The section's heading, as the printed report writes it.
    pub title: String,
    pub table: Table,
}

/// One CSV of several sections: each one's title on a line of its own,
/// then its header and rows, a blank line between sections; a single
/// section is that table's CSV alone, as every one-table report writes it.
pub fn sections_csv(sections: &[Section]) -> String {
    match sections {
        [one] => one.table.to_csv(),
        _ => {
            let mut out = String::from('\u{feff}');
            for (i, s) in sections.iter().enumerate() {
                if i > 0 {
                    out.push_str("\r\n");
                }
                out.push_str(&csv_field(&s.title, true));
                out.push_str("\r\n");
                s.table.write_csv(&mut out);
            }
            out
        }
    }
}

/// An XLSX workbook with one sheet per section, in order.
pub fn workbook(sections: &[Section]) -> Result<Vec<u8>, crate::ServerError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for s in sections {
        let ws = book.add_worksheet();
        s.table.write_sheet(ws, &s.sheet, &s.title)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> crate::ServerError {
    crate::ServerError::Export(e.to_string())
}

fn col(c: usize) -> Result<u16, crate::ServerError> {
    u16::try_from(c).map_err(|_| crate::ServerError::Export("too many columns".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_counts_not_codes() {
        for (cell, n) in [
            ("0", Some(0.0)),
            ("12", Some(12.0)),
            ("-3", Some(-3.0)),
            ("0.25", Some(0.25)),
            ("001", None),
            ("01-00004-K7M2Q9", None),
            ("+5", None),
            ("", None),
            ("-", None),
            ("1e5", None),
            ("Xã A", None),
        ] {
            assert_eq!(number(cell), n, "{cell:?}");
        }
    }

    #[test]
    fn xlsx_is_a_zip_with_the_sheet() {
        let t = Table::new(&["STT", "Mã"], vec![vec!["1".into(), "001".into()]]);
        let bytes = t.to_xlsx("qr-points", "Tiêu đề").unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn code_columns_stay_text() {
        let t = Table::new(
            &["STT", "Mã", "Dân số"],
            vec![vec!["1".into(), "14998".into(), "8000".into()]],
        );
        let bytes = t.to_xlsx("coverage", "Tiêu đề").unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
            &mut strings,
        )
        .unwrap();
        assert!(strings.contains("14998"), "{strings}");
        assert!(!strings.contains("8000"), "{strings}");
    }
}
