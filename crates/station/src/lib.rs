//! The station: what a gatekeeper, a kiosk, a nurse typing paper forms and
//! a health station following quarantined people do, over the device's
//! store. The `checkin` CLI and the Tauri app are two thin faces of this
//! crate: each of their commands is one call here.
//!
//! A [`Station`] owns one store connection, the clock, the station's pass
//! signing key and what its last sync config says (venues, verdict policy,
//! the pass keys of its province). Network work ([`enroll`], [`sync`]) runs
//! on its own store connection so a slow link never blocks a scan.

pub mod enroll;
mod error;
mod gate;
mod keys;
mod kiosk;
mod paper;
mod quarantine;
mod rejected;
pub mod scan;
mod settings;
pub mod sync;
mod views;

pub use error::{credential_refused, sync_code, Result, StationError};
pub use gate::AdmitRequest;
pub use kiosk::{qr_svg, DeclareInput};
pub use settings::DEFAULT_HOLD_SECONDS;
pub use views::*;

use checkin_core::{PassKeys, PassSigner, Policy, SharedClock, TypedPerson, Venue, VenueId};
use checkin_store::Store;
use checkin_sync::client;
use checkin_sync::protocol::SyncConfig;
use std::path::{Path, PathBuf};

/// The station's use cases over one store connection.
#[derive(Debug)]
pub struct Station {
    store: Store,
    clock: SharedClock,
    data_dir: PathBuf,
    signer: PassSigner,
    keys: PassKeys,
    /// The last vaccine-passport trust list downloaded, read once per change.
    trust: Option<checkin_core::TrustList>,
    trust_status: Option<TrustListStatus>,
    config: Option<SyncConfig>,
    /// Codes admitted recently (text, wall time), for the hold time.
    recent_codes: Vec<(String, chrono::DateTime<chrono::FixedOffset>)>,
}

impl Station {
    /// Opens the station in `data_dir` (creating its store on first use)
    /// with the system clock.
    pub fn open(data_dir: &Path) -> Result<Self> {
        Self::open_with_clock(data_dir, checkin_core::system_clock())
    }

    /// [`Station::open`] with an injected clock (tests, replays).
    pub fn open_with_clock(data_dir: &Path, clock: SharedClock) -> Result<Self> {
        let mut store = Store::open_with_clock(data_dir, clock.clone())?;
        let signer = keys::signer(&mut store)?;
        let mut station = Self {
            store,
            clock,
            data_dir: data_dir.to_path_buf(),
            signer,
            keys: PassKeys::default(),
            trust: None,
            trust_status: None,
            config: None,
            recent_codes: Vec::new(),
        };
        station.reload_config()?;
        Ok(station)
    }

    /// Reads the sync config again (after another connection refreshed
    /// it): venues, policy and the pass keys this station trusts.
    pub fn reload_config(&mut self) -> Result<()> {
        self.config = client::stored_config(&self.store)?;
        let mut keys = PassKeys::default();
        keys.insert(self.signer.public_key());
        if let Some(c) = &self.config {
            let bad = keys.extend_from_text(c.public_keys.iter().map(String::as_str));
            if bad > 0 {
                tracing::warn!(bad, "sync config lists unreadable pass keys; skipped");
            }
        }
        self.keys = keys;
        self.reload_trust_list()?;
        Ok(())
    }

    /// Reads the stored trust list again. A list that no longer reads (it
    /// was checked on the server, so only a damaged store does this) is
    /// logged and left out: certificates are then amber, not wrongly green.
    fn reload_trust_list(&mut self) -> Result<()> {
        self.trust = None;
        self.trust_status = None;
        let answer = match client::stored_trust_list(&self.store) {
            Ok(Some(a)) => a,
            Ok(None) => return Ok(()),
            // The gate must still open: it cannot verify certificates.
            Err(e @ checkin_sync::client::SyncError::Protocol(_)) => {
                tracing::warn!(error = %e, "certificates cannot be verified");
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        match checkin_core::TrustList::from_document(&answer.document) {
            Ok(list) => {
                self.trust_status = Some(TrustListStatus {
                    imported_at: answer.imported_at,
                    updated_at: list.updated_at(),
                    certificates: u32::try_from(list.len()).unwrap_or(u32::MAX),
                });
                self.trust = Some(list);
            }
            Err(errors) => {
                tracing::warn!(
                    unusable = errors.len(),
                    "stored trust list does not read; certificates cannot be verified"
                );
            }
        }
        Ok(())
    }

    /// The vaccine-passport trust list this station last downloaded.
    pub fn trust_list(&self) -> Option<&checkin_core::TrustList> {
        self.trust.as_ref()
    }

    /// What the gate verifies codes with: pass keys and the trust list.
    pub fn gate_keys(&self) -> checkin_core::GateKeys<'_> {
        checkin_core::GateKeys {
            passes: &self.keys,
            certificates: self.trust.as_ref(),
        }
    }

    /// The store (for status reads and the CLI's listing).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store, for writes that are not a use case here.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Where the station keeps its data.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The current time on the station's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.clock.now()
    }

    /// The verdict rules: the server's when a sync config arrived, else the default.
    pub fn policy(&self) -> Policy {
        self.config
            .as_ref()
            .map(|c| c.policy.clone())
            .unwrap_or_default()
    }

    /// The pass keys this station trusts (its own and its province's).
    pub fn pass_keys(&self) -> &PassKeys {
        &self.keys
    }

    /// This station's public pass key (base64), sent at enrollment.
    pub fn public_key(&self) -> String {
        self.signer.public_key_text()
    }

    /// Venues this station may record for (from its sync config).
    pub fn venues(&self) -> Vec<Venue> {
        self.config
            .as_ref()
            .map(|c| c.venues.clone())
            .unwrap_or_default()
    }

    /// The venue records are made for: the one chosen in settings, else the
    /// only venue of the sync config.
    pub fn venue(&self) -> Result<VenueId> {
        if let Some(v) = self.settings()?.venue_id {
            return v
                .parse()
                .map_err(|e| StationError::bad("invalid_venue", format!("venue {v:?}: {e}")));
        }
        match self.venues().as_slice() {
            [only] => Ok(only.id.clone()),
            _ => Err(StationError::NoVenue),
        }
    }

    /// The station at a glance, with `sync` as the caller's sync task knows it.
    pub fn status(&self, sync: SyncState) -> Result<StationStatus> {
        Ok(StationStatus {
            device_id: self.store.device_id().to_string(),
            data_dir: self.data_dir.display().to_string(),
            queue: self.store.status()?,
            enrollment: enroll::enrollment(&self.store)?,
            venues: self.venues(),
            policy_from: if self.config.is_some() {
                PolicySource::Server
            } else {
                PolicySource::Default
            },
            sync,
            settings: self.settings()?,
            quarantine_due: self.quarantine_due()?,
            trust_list: self.trust_status.clone(),
        })
    }

    /// Administrative units under `parent` (provinces when `None`).
    pub fn units(&self, parent: Option<&str>) -> Result<Vec<Unit>> {
        Ok(self.store.units_under(parent)?)
    }

    fn today(&self) -> chrono::NaiveDate {
        self.now().date_naive()
    }
}

/// What the gate shows of a typed person.
fn typed_view(p: &TypedPerson) -> PersonView {
    PersonView {
        name: p.full_name.trim().to_string(),
        id_hint: p.id_number.as_deref().and_then(id_hint),
        birth_year: p.birth_year,
    }
}

/// The last four characters of an ID number, masked: "•••2345".
fn id_hint(id: &str) -> Option<String> {
    let id: Vec<char> = id.chars().filter(char::is_ascii_alphanumeric).collect();
    (id.len() >= 4).then(|| format!("•••{}", id[id.len() - 4..].iter().collect::<String>()))
}
