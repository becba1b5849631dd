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
        out
    }
}
