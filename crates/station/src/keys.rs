//! The station's Ed25519 key for signing visitor passes: made once from the
//! operating system's random source and kept in the store, beside the device
//! credential (the store file is readable by its owner only).

use crate::Result;
use checkin_core::PassSigner;
use checkin_store::Store;
use rand::RngCore;

/// Store setting holding the pass signing key's secret (base64).
const SECRET_KEY: &str = "station.pass_secret";

/// The station's signer, made and stored on first use.
pub(crate) fn signer(store: &mut Store) -> Result<PassSigner> {
    use base64_text as b64;
    if let Some(text) = store.setting(SECRET_KEY)? {
        if let Some(secret) = b64::decode32(&text) {
            return Ok(PassSigner::from_secret(&secret));
        }
        tracing::error!("the stored pass key is unreadable; making a new one");
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    store.set_setting(SECRET_KEY, &b64::encode(&secret))?;
    Ok(PassSigner::from_secret(&secret))
}

/// Base64 for the 32 secret bytes (through the core crate's encoder).
mod base64_text {
    pub fn encode(bytes: &[u8; 32]) -> String {
        checkin_core::pass::encode_base64(bytes)
    }

    pub fn decode32(text: &str) -> Option<[u8; 32]> {
        checkin_core::pass::decode_base64(text)?.try_into().ok()
    }
}
