//! Venue links: the URL on a venue's poster that opens the citizen page
//! (`BASE/c/<venue id>.<tag>`). The tag is an HMAC-SHA256 of the id under
//! a key every instance shares (kept in the store), cut to 80 bits: only
//! the server can make one, so a poster for a venue nobody registered, or
//! with another venue's id, is refused and cannot pollute the reports.

use crate::ServerError;
use checkin_core::{VenueId, VenueLinkCode};
use checkin_server_db::{Database, DbError};
use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Bytes of the MAC a tag keeps (16 base32 characters).
const TAG_BYTES: usize = 10;
/// Bound into every MAC, so the key could serve another purpose without a
/// tag of one being valid for the other.
const CONTEXT: &[u8] = b"checkin-venue-link-v1\0";

/// The key venue links are made and checked with.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(..)")
    }
}

impl LinkKey {
    /// The store's key, made from the OS random source by the first caller.
    pub async fn load(db: &dyn Database) -> Result<Self, DbError> {
        Ok(Self(
            crate::passes::server_secret(db, "venue-link-v1").await?,
        ))
    }

    fn mac(&self, id: &VenueId) -> Hmac<Sha256> {
        // HMAC takes a key of any length: this cannot fail.
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
        m.update(CONTEXT);
        m.update(id.as_str().as_bytes());
        m
    }

    /// The code of `id`'s link.
    pub fn code(&self, id: &VenueId) -> VenueLinkCode {
        let mac = self.mac(id).finalize().into_bytes();
        VenueLinkCode {
            venue_id: id.clone(),
            tag: BASE32_NOPAD.encode(&mac[..TAG_BYTES]),
        }
    }

    /// Whether `code`'s tag is the server's own for its venue (in constant
    /// time).
    pub fn verify(&self, code: &VenueLinkCode) -> bool {
        let Ok(tag) = BASE32_NOPAD.decode(code.tag.as_bytes()) else {
            return false;
        };
        tag.len() == TAG_BYTES && self.mac(&code.venue_id).verify_truncated_left(&tag).is_ok()
    }
}

/// A server's public base URL as given (`--base`, `CHECKIN_PUBLIC_URL`),
/// without a trailing slash; an error says what is wrong with it.
pub fn check_base(base: &str) -> Result<String, ServerError> {
    let b = base.trim().trim_end_matches('/');
    let lower = b.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match host {
        Some(h)
            if !h.is_empty()
                && !b.contains(|c: char| c.is_whitespace() || c == '?' || c == '#') =>
        {
            Ok(b.to_string())
        }
        _ => Err(ServerError::Invalid(format!(
            "public base URL {base:?}: give the address citizens' phones reach the server at, \
             e.g. https://checkin.thanhhoa.gov.vn (no query or fragment)"
        ))),
    }
}

/// The URL of a venue link under a checked base.
pub fn url(base: &str, code: &VenueLinkCode) -> String {
    format!("{base}{}{code}", VenueLinkCode::PATH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> VenueId {
        s.parse().unwrap()
    }

    #[test]
    fn a_tag_is_the_servers_own_for_its_venue() {
        let key = LinkKey(vec![7; 32]);
        let code = key.code(&id("38-14995-K7QM2A"));
        assert_eq!(code.tag.len(), VenueLinkCode::TAG_CHARS);
        assert!(key.verify(&code));
        // Read back from a URL, in lower case, it still holds.
        let url = url("https://checkin.example.vn", &code).to_ascii_lowercase();
        assert!(key.verify(&VenueLinkCode::from_url(&url).unwrap()));
        // Another venue's id with this tag, another key, an altered tag.
        let moved = VenueLinkCode {
            venue_id: id("38-14995-K7QM2B"),
            ..code.clone()
        };
        assert!(!key.verify(&moved));
        assert!(!LinkKey(vec![8; 32]).verify(&code));
        let mut altered = code.clone();
        altered
            .tag
            .replace_range(0..1, if code.tag.starts_with('A') { "B" } else { "A" });
        assert!(!key.verify(&altered));
    }

    #[test]
    fn bases_are_checked() {
        assert_eq!(
            check_base(" https://checkin.example.vn/ ").unwrap(),
            "https://checkin.example.vn"
        );
        assert_eq!(
            check_base("http://10.0.0.5:8080/so-y-te").unwrap(),
            "http://10.0.0.5:8080/so-y-te"
        );
        for bad in [
            "",
            "checkin.vn",
            "https://",
            "https://a b",
            "https://x.vn/?a=1",
            "ftp://x",
        ] {
            assert!(check_base(bad).is_err(), "{bad}");
        }
    }
}
