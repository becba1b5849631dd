//! Bodies on the wire, shared by the device and the server: the batch
//! envelope and `Content-Encoding` (zstd, gzip, identity), inflated never
//! past a limit so a compression bomb costs a bounded amount of memory.

use std::io::{Read, Write};
use thiserror::Error;

/// A body compression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Zstd,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` header value (`None` for identity).
    pub fn header(self) -> Option<&'static str> {
        match self {
            Self::Zstd => Some("zstd"),
            Self::Gzip => Some("gzip"),
            Self::Identity => None,
        }
    }

    /// The encoding a `Content-Encoding` value names (absent or empty is identity).
    pub fn from_header(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "identity" => Some(Self::Identity),
            "gzip" | "x-gzip" => Some(Self::Gzip),
            "zstd" => Some(Self::Zstd),
            _ => None,
        }
    }

    /// The best encoding an `Accept-Encoding` value allows (zstd, then gzip).
    pub fn preferred(accept: &str) -> Self {
        if accept.contains("zstd") {
            Self::Zstd
        } else if accept.contains("gzip") {
            Self::Gzip
        } else {
            Self::Identity
        }
    }
}

/// Why a body could not be encoded or decoded.
#[derive(Debug, Error)]
pub enum CodecError {
    #[error("Content-Encoding must be gzip, zstd or identity, not {0:?}")]
    Unsupported(String),
    #[error("the body is not valid {encoding} data: {detail}")]
    Corrupt {
        encoding: &'static str,
        detail: String,
    },
    #[error("the body inflates to more than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("{encoding} compression failed: {detail}")]
    Compress {
        encoding: &'static str,
        detail: String,
    },
}

/// Compresses `bytes`; `zstd_level` is 1-19 (gzip uses its best level
/// for levels above 6, its fastest otherwise).
pub fn compress(bytes: &[u8], encoding: Encoding, zstd_level: i32) -> Result<Vec<u8>, CodecError> {
    match encoding {
        Encoding::Identity => Ok(bytes.to_vec()),
        Encoding::Zstd => {
            zstd::bulk::compress(bytes, zstd_level).map_err(|e| CodecError::Compress {
                encoding: "zstd",
                detail: e.to_string(),
            })
        }
        Encoding::Gzip => {
            let level = if zstd_level > 6 {
                flate2::Compression::best()
            } else {
                flate2::Compression::fast()
            };
            let mut g = flate2::write::GzEncoder::new(Vec::new(), level);
            g.write_all(bytes)
                .and_then(|_| g.finish())
                .map_err(|e| CodecError::Compress {
                    encoding: "gzip",
                    detail: e.to_string(),
                })
        }
    }
}

/// Inflates a body sent with `Content-Encoding: content_encoding`, reading at
/// most `limit` bytes of output: anything larger is refused unread.
pub fn inflate(content_encoding: &str, raw: &[u8], limit: usize) -> Result<Vec<u8>, CodecError> {
    let encoding = Encoding::from_header(content_encoding)
        .ok_or_else(|| CodecError::Unsupported(content_encoding.trim().to_string()))?;
    let cap = limit as u64 + 1;
    let mut out = Vec::new();
    let corrupt = |encoding: &'static str| {
        move |e: std::io::Error| CodecError::Corrupt {
            encoding,
            detail: e.to_string(),
        }
    };
    match encoding {
        Encoding::Identity => out = raw.to_vec(),
        Encoding::Gzip => {
            flate2::read::GzDecoder::new(raw)
                .take(cap)
                .read_to_end(&mut out)
                .map_err(corrupt("gzip"))?;
        }
        Encoding::Zstd => {
            zstd::stream::read::Decoder::new(raw)
                .map_err(corrupt("zstd"))?
                .take(cap)
                .read_to_end(&mut out)
                .map_err(corrupt("zstd"))?;
        }
    }
    if out.len() > limit {
        return Err(CodecError::TooLarge { limit });
    }
    Ok(out)
}

/// `{"records":[…]}` from record bodies exactly as stored, so a resend is
/// byte-identical to the first send.
pub fn batch_json<'a>(bodies: impl IntoIterator<Item = &'a str>) -> String {
    let mut json = String::from("{\"records\":[");
    for (i, body) in bodies.into_iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(body);
    }
    json.push_str("]}");
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_limits() {
        let body = batch_json(["{\"a\":1}", "{\"b\":2}"]);
        assert_eq!(body, r#"{"records":[{"a":1},{"b":2}]}"#);
        for enc in [Encoding::Zstd, Encoding::Gzip, Encoding::Identity] {
            let z = compress(body.as_bytes(), enc, 9).unwrap();
            let back = inflate(enc.header().unwrap_or(""), &z, 1 << 20).unwrap();
            assert_eq!(back, body.as_bytes(), "{enc:?}");
        }
        let bomb = compress(&vec![0u8; 1 << 20], Encoding::Zstd, 3).unwrap();
        assert!(matches!(
            inflate("zstd", &bomb, 1000),
            Err(CodecError::TooLarge { limit: 1000 })
        ));
        assert!(matches!(
            inflate("br", b"x", 10),
            Err(CodecError::Unsupported(_))
        ));
        assert!(matches!(
            inflate("gzip", b"not gzip", 10),
            Err(CodecError::Corrupt { .. })
        ));
        assert_eq!(Encoding::preferred("gzip, zstd"), Encoding::Zstd);
        assert_eq!(Encoding::preferred("gzip"), Encoding::Gzip);
        assert_eq!(Encoding::preferred(""), Encoding::Identity);
    }
}
