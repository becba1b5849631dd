//! The enrollment code an official gives a device: `CKE1:<token>` or, so that
//! one scan sets up a device, `CKE1:<token>@<server URL>`.

use crate::payload::ENROLL_PREFIX;
use thiserror::Error;

/// A parsed enrollment code.
#[derive(Clone, PartialEq, Eq)]
pub struct EnrollCode {
    /// The token as the server knows it: `CKE1:` and upper-case characters.
    pub token: String,
    /// The server to enroll with, when the code names one.
    pub server_url: Option<String>,
}

impl std::fmt::Debug for EnrollCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token is a secret until it is used.
        f.debug_struct("EnrollCode")
            .field("token", &"<hidden>")
            .field("server_url", &self.server_url)
            .finish()
    }
}

/// Why a text is not a usable enrollment code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EnrollCodeError {
    #[error("not an enrollment code: it starts with CKE1: (scan or paste the whole code)")]
    NotEnrollCode,
    #[error("the enrollment code has no token after CKE1:")]
    EmptyToken,
    #[error("the server address {0:?} in the enrollment code is not an http:// or https:// URL")]
    BadUrl(String),
}

impl EnrollCode {
    /// Reads a scanned, typed or pasted code. Surrounding whitespace and the
    /// case of the token do not matter; the URL keeps its case.
    pub fn parse(text: &str) -> Result<Self, EnrollCodeError> {
        let text = crate::text::strip_scanner_noise(text);
        let rest = text
            .get(..ENROLL_PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(ENROLL_PREFIX))
            .map(|_| &text[ENROLL_PREFIX.len()..])
            .ok_or(EnrollCodeError::NotEnrollCode)?;
        let (token, url) = match rest.split_once('@') {
            Some((t, u)) => (t, Some(u.trim())),
            None => (rest, None),
        };
        let token = token.trim();
        if token.is_empty() {
            return Err(EnrollCodeError::EmptyToken);
        }
        let server_url = match url {
            None => None,
            Some(u) => {
                let lower = u.to_ascii_lowercase();
                let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
                    && u.len() > "http://".len() + 1
                    && !u.contains(char::is_whitespace);
                if !ok {
                    return Err(EnrollCodeError::BadUrl(u.to_string()));
                }
                Some(u.trim_end_matches('/').to_string())
            }
        };
        Ok(Self {
            token: format!("{ENROLL_PREFIX}{}", token.to_ascii_uppercase()),
            server_url,
        })
    }

    /// The text to put in a QR code.
    pub fn to_text(&self) -> String {
        match &self.server_url {
            Some(u) => format!("{}@{u}", self.token),
            None => self.token.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_table() {
        let ok = [
            ("CKE1:ABCD2345", "CKE1:ABCD2345", None),
            (" cke1:abcd2345\r\n", "CKE1:ABCD2345", None),
            (
                "CKE1:ABCD2345@https://checkin.soyte.vn/",
                "CKE1:ABCD2345",
                Some("https://checkin.soyte.vn"),
            ),
            (
                "CKE1:ABCD2345@http://127.0.0.1:8080",
                "CKE1:ABCD2345",
                Some("http://127.0.0.1:8080"),
            ),
            (
                "CKE1:ABCD2345@https://Host.vn/Path",
                "CKE1:ABCD2345",
                Some("https://Host.vn/Path"),
            ),
        ];
        for (text, token, url) in ok {
            let c = EnrollCode::parse(text).unwrap();
            assert_eq!(c.token, token, "{text}");
            assert_eq!(c.server_url.as_deref(), url, "{text}");
            assert_eq!(EnrollCode::parse(&c.to_text()).unwrap(), c);
        }
        let bad = [
            ("ABCD", EnrollCodeError::NotEnrollCode),
            ("CKE1:", EnrollCodeError::EmptyToken),
            ("CKE1:@http://x.vn", EnrollCodeError::EmptyToken),
            (
                "CKE1:AB@ftp://x.vn",
                EnrollCodeError::BadUrl("ftp://x.vn".into()),
            ),
            ("CKE1:AB@http://", EnrollCodeError::BadUrl("http://".into())),
            (
                "CKE1:AB@http://a b",
                EnrollCodeError::BadUrl("http://a b".into()),
            ),
        ];
        for (text, want) in bad {
            assert_eq!(EnrollCode::parse(text).unwrap_err(), want, "{text}");
        }
        assert!(!format!("{:?}", EnrollCode::parse("CKE1:SECRET").unwrap()).contains("SECRET"));
    }
}
