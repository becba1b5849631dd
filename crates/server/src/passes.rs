//! The server's own visitor-pass key. The citizen page gives a person who
//! declared on their phone a pass signed with it (the same format a kiosk
//! gives), and every station lists its public key among the pass keys of
//! its sync config, so a gatekeeper verifies such a pass offline like any
//! other.

use checkin_core::pass::PassSigner;
use checkin_server_db::{Database, DbError};
use rand::RngCore;

/// The `server_keys` name of the pass-signing key.
const NAME: &str = "pass-signing-v1";

/// The store's pass-signing key, made from the OS random source by the
/// first caller on any instance.
pub async fn signer(db: &dyn Database) -> Result<PassSigner, DbError> {
    let stored: [u8; 32] = server_secret(db, NAME)
        .await?
        .try_into()
        .map_err(|_| DbError::Invalid("the stored pass-signing key is not 32 bytes".into()))?;
    Ok(PassSigner::from_secret(&stored))
}

/// The 32-byte secret `name` that every instance shares: made from the OS
/// random source by the first caller on any instance, then read.
pub(crate) async fn server_secret(db: &dyn Database, name: &str) -> Result<Vec<u8>, DbError> {
    let mut fresh = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut fresh);
    db.server_key(name, &fresh).await
}
