//! The station's own settings: language, camera, hold time, venue, kiosk PIN.

use crate::{Language, Result, Settings, SettingsPatch, Station, StationError};
use sha2::{Digest, Sha256};

const LANGUAGE: &str = "station.language";
const CAMERA: &str = "station.camera";
const HOLD: &str = "station.hold_seconds";
const VENUE: &str = "station.venue";
const PIN: &str = "station.kiosk_pin";

/// Seconds before the same code makes another scan.
pub const DEFAULT_HOLD_SECONDS: f64 = 3.0;

fn pin_hash(salt: &str, pin: &str) -> String {
    let digest = Sha256::digest(format!("checkin-kiosk-pin\0{salt}\0{pin}"));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl Station {
    /// The current settings.
    pub fn settings(&self) -> Result<Settings> {
        let s = |k| self.store.setting(k);
        Ok(Settings {
            language: match s(LANGUAGE)?.as_deref() {
                Some("en") => Language::En,
                _ => Language::Vi,
            },
            camera: s(CAMERA)?.unwrap_or_default(),
            hold_seconds: s(HOLD)?
                .and_then(|h| h.parse().ok())
                .unwrap_or(DEFAULT_HOLD_SECONDS),
            kiosk_pin_set: s(PIN)?.is_some(),
            venue_id: s(VENUE)?,
        })
    }

    /// Changes the given settings (all or none) and returns the result.
    pub fn update_settings(&mut self, patch: &SettingsPatch) -> Result<Settings> {
        let mut changes: Vec<(&str, Option<String>)> = Vec::new();
        if let Some(l) = patch.language {
            changes.push((
                LANGUAGE,
                Some(
                    match l {
                        Language::Vi => "vi",
                        Language::En => "en",
                    }
                    .to_string(),
                ),
            ));
        }
        if let Some(c) = &patch.camera {
            let c = c.trim();
            let ok = c.is_empty()
                || c == "webview"
                || c == "camera"
                || c.strip_prefix("camera:")
                    .is_some_and(|n| n.parse::<u32>().is_ok())
                || c.strip_prefix("replay:")
                    .is_some_and(|d| !d.trim().is_empty());
            if !ok {
                return Err(StationError::bad(
                    "invalid_camera",
                    format!("camera {c:?}: use camera:N, replay:FOLDER, webview or nothing"),
                ));
            }
            changes.push((CAMERA, Some(c.to_string())));
        }
        if let Some(h) = patch.hold_seconds {
            if !(h.is_finite() && (0.0..=60.0).contains(&h)) {
                return Err(StationError::bad(
                    "invalid_hold",
                    "the hold time must be between 0 and 60 seconds",
                ));
            }
            changes.push((HOLD, Some(h.to_string())));
        }
        if let Some(v) = &patch.venue_id {
            match v {
                None => changes.push((VENUE, None)),
                Some(v) => {
                    let id: checkin_core::VenueId = v.parse().map_err(|e| {
                        StationError::bad("invalid_venue", format!("venue {v:?}: {e}"))
                    })?;
                    let venues = self.venues();
                    if !venues.is_empty() && !venues.iter().any(|x| x.id == id) {
                        return Err(StationError::bad(
                            "venue_outside_scope",
                            format!("venue {id} is not one this station is enrolled for"),
                        ));
                    }
                    changes.push((VENUE, Some(id.to_string())));
                }
            }
        }
        let refs: Vec<(&str, Option<&str>)> =
            changes.iter().map(|(k, v)| (*k, v.as_deref())).collect();
        self.store.set_settings(&refs)?;
        self.settings()
    }

    /// Sets the PIN that leaves kiosk mode; changing it needs the old one.
    pub fn set_kiosk_pin(&mut self, old_pin: Option<&str>, new_pin: &str) -> Result<()> {
        if let Some(stored) = self.store.setting(PIN)? {
            let ok = old_pin.is_some_and(|p| self.pin_matches(&stored, p));
            if !ok {
                return Err(StationError::WrongPin);
            }
        }
        let pin = new_pin.trim();
        if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StationError::bad(
                "invalid_pin",
                "the PIN must be 4 to 12 digits",
            ));
        }
        let salt = self.store.device_id().to_string();
        self.store
            .set_setting(PIN, &format!("{salt}${}", pin_hash(&salt, pin)))?;
        Ok(())
    }

    /// True when `pin` leaves kiosk mode (false when no PIN is set).
    pub fn unlock_kiosk(&self, pin: &str) -> Result<bool> {
        Ok(self
            .store
            .setting(PIN)?
            .is_some_and(|stored| self.pin_matches(&stored, pin.trim())))
    }

    fn pin_matches(&self, stored: &str, pin: &str) -> bool {
        stored
            .split_once('$')
            .is_some_and(|(salt, hash)| pin_hash(salt, pin.trim()) == hash)
    }

    /// The hold time as a duration.
    pub fn hold(&self) -> Result<std::time::Duration> {
        Ok(std::time::Duration::from_secs_f64(
            self.settings()?.hold_seconds,
        ))
    }
}
