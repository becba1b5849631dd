//! Operations behind `checkin-server admin …`: venues, enrollment tokens,
//! posters. Library functions so tests and the dashboard call the same code.

use crate::error::ServerError;
use crate::secrets;
use checkin_core::payload::{ENROLL_PREFIX, VENUE_PREFIX};
use checkin_core::{EnrollCode, Venue, VenueCategory, VenueId};
use checkin_server_db::{Database, DbError, TokenGrant};
use checkin_sync::protocol::Scope;
use chrono::{Duration, Utc};
use qrcode::{EcLevel, QrCode};

/// What `venue add` needs.
#[derive(Debug, Clone)]
pub struct NewVenue {
    pub name: String,
    pub category: VenueCategory,
    pub commune_code: String,
    pub address: String,
    /// Used when the commune is not among the imported units.
    pub province_code: Option<String>,
}

fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The province of a commune: from the imported units, else the override.
async fn province_of(
    db: &dyn Database,
    commune_code: &str,
    fallback: Option<&str>,
) -> Result<String, ServerError> {
    if !is_digits(commune_code, 5) {
        return Err(ServerError::Invalid(format!(
            "commune code {commune_code:?} must be 5 digits (GSO code)"
        )));
    }
    if let Some(c) = db.commune(commune_code).await? {
        return Ok(c.province_code);
    }
    match fallback {
        Some(p) if is_digits(p, 2) => Ok(p.to_string()),
        Some(p) => Err(ServerError::Invalid(format!(
            "province code {p:?} must be 2 digits"
        ))),
        None => Err(ServerError::UnknownCommune(commune_code.to_string())),
    }
}

/// Creates a venue with a new id `PP-CCCCC-XXXXXX` and returns it.
pub async fn add_venue(db: &dyn Database, new: NewVenue) -> Result<Venue, ServerError> {
    let name = new.name.trim().to_string();
    if name.is_empty() {
        return Err(ServerError::Invalid("venue name must not be empty".into()));
    }
    // Names and addresses end up on posters, dashboards, CSV exports and
    // terminals: no control characters (escape codes), bounded length.
    checkin_core::admission::check_text("venue name", &name, 200)
        .and_then(|()| checkin_core::admission::check_text("address", new.address.trim(), 300))
        .map_err(|e| ServerError::Invalid(e.to_string()))?;
    let province = province_of(db, &new.commune_code, new.province_code.as_deref()).await?;
    // Random suffixes collide once in ~10^9 venues per commune; retry then.
    for _ in 0..5 {
        let id: VenueId = format!(
            "{province}-{}-{}",
            new.commune_code,
            secrets::random_code(6)
        )
        .parse()
        .map_err(|e| ServerError::Invalid(format!("venue id: {e}")))?;
        let venue = Venue {
            id,
            name: name.clone(),
            category: new.category,
            commune_code: new.commune_code.clone(),
            address: new.address.trim().to_string(),
        };
        match db.add_venue(&venue, &province).await {
            Ok(()) => return Ok(venue),
            Err(DbError::Duplicate(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ServerError::Invalid(
        "could not find a free venue id; try again".into(),
    ))
}

/// Parses a duration like `30m`, `24h`, `7d`, `3600s` or `3600`.
pub fn parse_ttl(text: &str) -> Result<Duration, ServerError> {
    let t = text.trim();
    let (num, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, "s"),
    };
    let n: i64 = num.parse().map_err(|_| {
        ServerError::Invalid(format!("bad duration {text:?}; use e.g. 24h, 30m, 7d"))
    })?;
    let unit_seconds: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(ServerError::Invalid(format!(
                "bad duration unit in {text:?}; use s, m, h or d"
            )))
        }
    };
    // Checked: a huge number must be an error, not an overflow panic.
    let d = n
        .checked_mul(unit_seconds)
        .and_then(Duration::try_seconds)
        .unwrap_or(Duration::MAX);
    if n <= 0 || d > Duration::days(365) {
        return Err(ServerError::Invalid(
            "duration must be positive and at most 365d".into(),
        ));
    }
    Ok(d)
}

/// What an enrollment token lets its device write for.
#[derive(Debug, Clone)]
pub enum TokenTarget {
    Venue(VenueId),
    Commune {
        code: String,
        province: Option<String>,
    },
}

/// Makes a single-use enrollment token, stores its hash, returns its text.
pub async fn enrollment_token(
    db: &dyn Database,
    target: TokenTarget,
    ttl: Duration,
) -> Result<String, ServerError> {
    let (scope, province) = match target {
        TokenTarget::Venue(id) => {
            let venue = db
                .venue(&id)
                .await?
                .ok_or_else(|| ServerError::UnknownVenue(id.to_string()))?;
            let province = match id.province_code() {
                Some(p) => p.to_string(),
                None => province_of(db, &venue.commune_code, None).await?,
            };
            (Scope::Venue { venue_id: id }, province)
        }
        TokenTarget::Commune { code, province } => {
            let p = province_of(db, &code, province.as_deref()).await?;
            (Scope::Commune { commune_code: code }, p)
        }
    };
    let token = secrets::new_enrollment_token();
    let now = Utc::now();
    db.add_enrollment_token(&TokenGrant {
        token_hash: secrets::hash_hex(token.as_bytes()),
        scope,
        province_code: province,
        created_at: now,
        expires_at: now + ttl,
    })
    .await?;
    Ok(token)
}

/// Checks the server address an enrollment code names (`--server-url`) and
/// returns it as the code carries it: http:// or https://, case kept, a
/// trailing `/` dropped. Checked by the parser devices use, so every code
/// made here reads back on a device.
pub fn server_url(text: &str) -> Result<String, ServerError> {
    let text = text.trim();
    let bad = || {
        ServerError::Invalid(format!(
            "--server-url {text:?} is not an http:// or https:// URL (e.g. https://checkin.example.vn)"
        ))
    };
    if text.is_empty() {
        return Err(bad());
    }
    EnrollCode::parse(&format!("{ENROLL_PREFIX}CHECK@{text}"))
        .ok()
        .and_then(|c| c.server_url)
        .ok_or_else(bad)
}

/// The full enrollment code `CKE1:<token>@<server URL>`: one scan both
/// names the server and enrolls (see [`server_url`] for the URL's rules).
pub fn enrollment_code(token: &str, server_url_text: &str) -> Result<String, ServerError> {
    Ok(EnrollCode {
        token: token.to_string(),
        server_url: Some(server_url(server_url_text)?),
    }
    .to_text())
}

/// The text a venue's poster QR carries (`CKV1:<venue id>`).
pub fn venue_code(id: &VenueId) -> String {
    format!("{VENUE_PREFIX}{id}")
}

/// A QR code drawn with Unicode half blocks, for a terminal.
pub fn terminal_qr(text: &str) -> Result<String, ServerError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| ServerError::Invalid(format!("QR: {e}")))?;
    Ok(code
        .render::<qrcode::render::unicode::Dense1x2>()
        .dark_color(qrcode::render::unicode::Dense1x2::Light)
        .light_color(qrcode::render::unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What a poster's QR carries: the venue's link (`link`, for phones) when
/// there is one, else its `CKV1:` code (for stations).
fn poster_qr(venue: &Venue, link: Option<&str>) -> Result<QrCode, ServerError> {
    let text = link.map_or_else(|| venue_code(&venue.id), str::to_string);
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::Q)
        .map_err(|e| ServerError::Invalid(format!("QR: {e}")))
}

/// An A5 portrait poster (148 x 210 mm) as SVG: venue name, address,
/// category, the QR code and under it the link (if any) and the venue id.
pub fn poster_svg(venue: &Venue, link: Option<&str>) -> Result<String, ServerError> {
    let code = poster_qr(venue, link)?;
    let width = code.width();
    let mut rects = String::new();
    for y in 0..width {
        for x in 0..width {
            if code[(x, y)] == qrcode::Color::Dark {
                rects.push_str(&format!("M{x} {y}h1v1h-1z"));
            }
        }
    }
    // The QR takes 100 mm, centred, with text above and below.
    let module = 100.0 / width as f64;
    Ok(format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="148mm" height="210mm" viewBox="0 0 148 210">
<rect width="148" height="210" fill="#fff"/>
<text x="74" y="20" font-family="sans-serif" font-size="9" font-weight="bold" text-anchor="middle">{name}</text>
<text x="74" y="30" font-family="sans-serif" font-size="5" text-anchor="middle">{address}</text>
<text x="74" y="38" font-family="sans-serif" font-size="4.5" text-anchor="middle">{category}</text>
<g transform="translate(24 48) scale({module})"><path d="{rects}" fill="#000"/></g>
<text x="74" y="160" font-family="sans-serif" font-size="6" text-anchor="middle">{call}</text>
<text x="74" y="170" font-family="monospace" font-size="{link_size}" text-anchor="middle">{link}</text>
<text x="74" y="178" font-family="monospace" font-size="5" text-anchor="middle">{id}</text>
</svg>
"##,
        name = xml_escape(&venue.name),
        address = xml_escape(&venue.address),
        category = xml_escape(venue.category.label_vi()),
        call = if link.is_some() {
            "Quét mã QR bằng điện thoại để khai báo y tế và check-in"
        } else {
            "Quét mã để khai báo / Scan to check in"
        },
        // A long link shrinks to stay inside the page.
        link_size = if link.map_or(0, str::len) > 60 { 3 } else { 4 },
        link = xml_escape(link.unwrap_or_default()),
        id = venue.id,
    ))
}

/// The poster's QR code as a PNG at print resolution (the SVG poster carries
/// the venue's name and address; PNG has no font rasteriser here).
pub fn poster_png(venue: &Venue, link: Option<&str>) -> Result<Vec<u8>, ServerError> {
    let code = poster_qr(venue, link)?;
    let w = code.width() as u32;
    // 4-module quiet zone, 24 px per module: ~1000 px, 10 cm at 254 dpi.
    let scale = 24u32;
    let size = (w + 8) * scale;
    let img = image::GrayImage::from_fn(size, size, |px, py| {
        let (x, y) = (px / scale, py / scale);
        let dark = x >= 4
            && y >= 4
            && x < w + 4
            && y < w + 4
            && code[((x - 4) as usize, (y - 4) as usize)] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| ServerError::Invalid(format!("PNG: {e}")))?;
    Ok(out.into_inner())
}

/// What a `--unit CODE` option selects: all when absent; a mistyped code
/// is the operator's to correct.
pub(crate) fn unit_filter(
    unit: Option<&str>,
) -> Result<checkin_server_db::UnitFilter, ServerError> {
    use checkin_server_db::UnitFilter;
    match unit {
        None => Ok(UnitFilter::All),
        Some(code) => UnitFilter::from_code(code).map_err(|e| match e {
            DbError::Invalid(m) => ServerError::Invalid(m),
            other => other.into(),
        }),
    }
}

/// The devices `admin device list` shows: all, or those whose scope lies
/// inside `unit` (a province, district or commune code, or a venue id).
pub async fn devices(
    db: &dyn Database,
    unit: Option<&str>,
) -> Result<Vec<checkin_server_db::DeviceInfo>, ServerError> {
    Ok(db.devices(&unit_filter(unit)?).await?)
}

/// Revokes a device now: `true` when revoked now, `false` when it already
/// was; an id that is not a device id or not enrolled is `Invalid`.
pub async fn revoke_device(db: &dyn Database, id: &str) -> Result<bool, ServerError> {
    let id: checkin_core::DeviceId = id
        .trim()
        .parse()
        .map_err(|e| ServerError::Invalid(format!("{id:?} is not a device id: {e}")))?;
    match db.revoke_device(&id, Utc::now()).await {
        Err(DbError::NotFound(_)) => Err(ServerError::Invalid(format!(
            "unknown device {id}: see `admin device list`"
        ))),
        other => Ok(other?),
    }
}

/// Device lists as JSON: an array of objects, times in RFC 3339 UTC.
pub fn devices_json(devices: &[checkin_server_db::DeviceInfo]) -> Result<String, ServerError> {
    serde_json::to_string_pretty(devices).map_err(|e| ServerError::Invalid(format!("JSON: {e}")))
}

const DEVICE_COLUMNS: [&str; 10] = [
    "id",
    "label",
    "province_code",
    "scope",
    "venue_id",
    "commune_code",
    "enrolled_at",
    "last_seen_at",
    "last_skew_ms",
    "revoked_at",
];

fn time_text(t: Option<chrono::DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// One device's fields in [`DEVICE_COLUMNS`] order, as text.
fn device_fields(d: &checkin_server_db::DeviceInfo) -> [String; 10] {
    let (kind, venue, commune) = match &d.scope {
        Scope::Venue { venue_id } => ("venue", venue_id.to_string(), String::new()),
        Scope::Commune { commune_code } => ("commune", String::new(), commune_code.clone()),
    };
    [
        d.id.to_string(),
        d.label.clone().unwrap_or_default(),
        d.province_code.clone(),
        kind.into(),
        venue,
        commune,
        time_text(Some(d.enrolled_at)),
        time_text(d.last_seen_at),
        d.last_skew_ms.map(|s| s.to_string()).unwrap_or_default(),
        time_text(d.revoked_at),
    ]
}

/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line
/// break, quotes doubled. Text a spreadsheet would run as a formula (a
/// label starting with `=`, `+`, `-` or `@`) gets a leading `'`.
pub(crate) fn csv_field(text: &str, free_text: bool) -> String {
    let text = if free_text && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// Device lists as CSV with a header line, CRLF line ends (RFC 4180).
pub fn devices_csv(devices: &[checkin_server_db::DeviceInfo]) -> String {
    let mut out = DEVICE_COLUMNS.join(",") + "\r\n";
    for d in devices {
        let fields = device_fields(d);
        let line: Vec<String> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| csv_field(f, DEVICE_COLUMNS[i] == "label"))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Device lists as an aligned table for a terminal. Labels come from the
/// devices: control characters are shown as `?` (no escape codes reach the
/// terminal) and long ones are cut.
pub fn devices_table(devices: &[checkin_server_db::DeviceInfo]) -> String {
    let header = [
        "DEVICE",
        "LABEL",
        "PROVINCE",
        "SCOPE",
        "ENROLLED",
        "LAST SEEN",
        "SKEW MS",
        "REVOKED",
    ];
    let rows: Vec<[String; 8]> = devices
        .iter()
        .map(|d| {
            let [id, label, province, kind, venue, commune, enrolled, seen, skew, revoked] =
                device_fields(d);
            let mut label: String = label
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
            if label.chars().count() > 32 {
                label = label.chars().take(31).chain(['…']).collect();
            }
            let scope = format!("{kind} {venue}{commune}");
            [id, label, province, scope, enrolled, seen, skew, revoked]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, f) in widths.iter_mut().zip(row) {
            *w = (*w).max(f.chars().count());
        }
    }
    let line = |fields: &[String]| {
        let cells: Vec<String> = fields
            .iter()
            .zip(widths)
            .map(|(f, w)| format!("{f:<w$}"))
            .collect();
        cells.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(&header.map(String::from));
    for row in &rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_table() {
        assert_eq!(parse_ttl("24h").unwrap(), Duration::hours(24));
        assert_eq!(parse_ttl("30m").unwrap(), Duration::minutes(30));
        assert_eq!(parse_ttl("7d").unwrap(), Duration::days(7));
        assert_eq!(parse_ttl("90").unwrap(), Duration::seconds(90));
        for bad in [
            "",
            "h",
            "0h",
            "-1h",
            "5w",
            "400d",
            "9999999999999999h",
            "9223372036854775807d",
            "99999999999999999999s",
        ] {
            assert!(parse_ttl(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn enrollment_codes_carry_the_server_url_unchanged() {
        let token = secrets::new_enrollment_token();
        let ok = [
            (
                "https://Checkin.SoYTe.vn/Path/",
                "https://Checkin.SoYTe.vn/Path",
            ),
            (" http://127.0.0.1:8080 ", "http://127.0.0.1:8080"),
            ("HTTPS://x.vn", "HTTPS://x.vn"),
        ];
        for (url, want) in ok {
            let code = enrollment_code(&token, url).unwrap();
            assert_eq!(code, format!("{token}@{want}"), "{url}");
            let parsed = EnrollCode::parse(&code).unwrap();
            assert_eq!(parsed.token, token);
            assert_eq!(secrets::normalise_token(&code), token);
        }
        for bad in ["", "ftp://x.vn", "checkin.vn", "http://", "http://a b"] {
            let err = enrollment_code(&token, bad).unwrap_err().to_string();
            assert!(err.contains("--server-url"), "{bad}: {err}");
        }
    }
}
