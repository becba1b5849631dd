//! Reading an import file: UTF-8 CSV (a byte-order mark is allowed) with
//! a header line of known columns. Every bad line is reported with its
//! number, and a file with any bad line imports nothing.

use crate::ServerError;

/// Most bad lines one error message lists.
const MAX_REPORTED: usize = 20;

/// The data rows of `text` with their line numbers, after checking the
/// header is exactly `columns` (case and spaces aside); `what` names the
/// rows for the message when there are none.
pub fn rows(
    text: &str,
    columns: &[&str],
    what: &str,
) -> Result<Vec<(u64, csv::StringRecord)>, ServerError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ServerError::Invalid(format!("line 1: {e}")))?
        .clone();
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if names != columns {
        return Err(ServerError::Invalid(format!(
            "line 1: the header must be {}, found {}",
            columns.join(","),
            names.join(",")
        )));
    }
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            ServerError::Invalid(format!("line {line}: {e}"))
        })?;
        if row.len() != columns.len() {
            let line = row.position().map_or(0, |p| p.line());
            return Err(ServerError::Invalid(format!(
                "nothing imported; line {line}: {} columns, expected {}",
                row.len(),
                columns.len()
            )));
        }
        let line = row.position().map_or(0, |p| p.line());
        rows.push((line, row));
    }
    if rows.is_empty() {
        return Err(ServerError::Invalid(format!(
            "the file has a header but no {what}"
        )));
    }
    Ok(rows)
}

/// Checks every row with `check`; all good rows, or one error naming each
/// bad line (up to 20).
pub fn check_all<T>(
    rows: &[(u64, csv::StringRecord)],
    mut check: impl FnMut(&csv::StringRecord) -> Result<T, String>,
) -> Result<Vec<T>, ServerError> {
    let mut good = Vec::with_capacity(rows.len());
    let mut bad = Vec::new();
    for (line, row) in rows {
        match check(row) {
            Ok(v) => good.push(v),
            Err(why) => bad.push(format!("line {line}: {why}")),
        }
    }
    if bad.is_empty() {
        return Ok(good);
    }
    let more = bad.len().saturating_sub(MAX_REPORTED);
    bad.truncate(MAX_REPORTED);
    if more > 0 {
        bad.push(format!("and {more} more bad lines"));
    }
    Err(ServerError::Invalid(format!(
        "nothing imported; fix these lines and run the import again:\n{}",
        bad.join("\n")
    )))
}

/// Field `i` of a row, trimmed.
pub fn field(row: &csv::StringRecord, i: usize) -> &str {
    row.get(i).unwrap_or("").trim()
}

/// A date as officials write it: `2021-08-09` or `09/08/2021`.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_columns_and_bad_lines_are_named() {
        let cols = ["a", "b"];
        assert!(rows("\u{feff}A, b\n1,2\n", &cols, "rows").is_ok());
        let e = rows("a,c\n1,2\n", &cols, "rows").unwrap_err().to_string();
        assert!(e.contains("header must be a,b"), "{e}");
        let e = rows("a,b\n1,2\n1\n", &cols, "rows")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3"), "{e}");
        assert!(rows("a,b\n", &cols, "rows").is_err());
        let r = rows("a,b\n1,x\n2,3\nq,4\n", &cols, "rows").unwrap();
        let e = check_all(&r, |row| {
            field(row, 0).parse::<i32>().map_err(|e| e.to_string())
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("line 4") && !e.contains("line 2"), "{e}");
        assert_eq!(parse_date("09/08/2021"), "2021-08-09".parse().ok());
    }
}
