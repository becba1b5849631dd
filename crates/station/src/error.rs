//! Errors of the station's use cases. Each has a stable `code` that the app's
//! UI branches on and the CLI maps to an exit status; the message is for
//! people and says what to do.

use checkin_core::quarantine::QuarantineError;
use checkin_core::{DeclarationError, FieldError, PersonError};
use checkin_store::StoreError;
use checkin_sync::client::SyncError;
use thiserror::Error;

/// What went wrong. Nothing is half-written: a use case that fails stores nothing.
#[derive(Debug, Error)]
pub enum StationError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Input that cannot be used as it is; `code` names what is wrong.
    #[error("{message}")]
    BadInput { code: &'static str, message: String },
    #[error("{0}")]
    InvalidDeclaration(DeclarationError),
    #[error("{0}")]
    InvalidPerson(PersonError),
    #[error("{0}")]
    InvalidQuarantine(QuarantineError),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("this station records for no venue yet: enroll it, or choose the venue in settings")]
    NoVenue,
    #[error("{0}")]
    Sync(#[from] SyncError),
    #[error("{pending} records of the current enrollment are still pending: sync them first, or re-enroll anyway (force)")]
    PendingRecords { pending: u64 },
    #[error("the kiosk PIN is wrong")]
    WrongPin,
    #[error("{0}")]
    Internal(String),
}

impl StationError {
    /// Bad input with a stable code.
    pub fn bad(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadInput {
            code,
            message: message.into(),
        }
    }

    /// The stable, snake_case code of this error (part of the UI contract).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => store_code(e),
            Self::BadInput { code, .. } => code,
            Self::InvalidDeclaration(_) => "invalid_declaration",
            Self::InvalidPerson(_) => "invalid_person",
            Self::InvalidQuarantine(_) => "invalid_quarantine",
            Self::NotFound { .. } => "not_found",
            Self::NoVenue => "no_venue",
            Self::Sync(e) => sync_code(e),
            Self::PendingRecords { .. } => "pending_records",
            Self::WrongPin => "wrong_pin",
            Self::Internal(_) => "internal",
        }
    }

    /// The invalid fields, for forms that mark each one.
    pub fn fields(&self) -> Option<&[FieldError]> {
        match self {
            Self::InvalidDeclaration(e) => Some(&e.fields),
            Self::InvalidPerson(e) => Some(&e.fields),
            Self::InvalidQuarantine(e) => Some(&e.fields),
            _ => None,
        }
    }

    /// True when the user must change something before trying again (the
    /// CLI's exit status 2); false for the network and the server (3).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, Self::Sync(e) if e.is_transient() || matches!(e, SyncError::Refused { .. } | SyncError::GaveUp { .. }))
    }
}

fn store_code(e: &StoreError) -> &'static str {
    match e {
        StoreError::DataDir { .. } => "data_dir_unavailable",
        StoreError::CannotOpen { .. } => "store_cannot_open",
        StoreError::ReadOnly { .. } => "store_read_only",
        StoreError::DiskFull => "disk_full",
        StoreError::Busy => "store_busy",
        StoreError::NewerSchema { .. } => "store_newer_schema",
        StoreError::Corrupt { .. } => "store_corrupt",
        StoreError::Migration(_) | StoreError::Pragma { .. } => "store_migration_failed",
        StoreError::DuplicateRecord(_) => "duplicate_record",
        StoreError::Json(_) => "store_record_unreadable",
        StoreError::Sqlite(_) => "store_error",
    }
}

/// The stable code of a sync error (see [`StationError::code`]).
pub fn sync_code(e: &SyncError) -> &'static str {
    match e {
        SyncError::NotEnrolled => "not_enrolled",
        SyncError::BadUrl(_) => "bad_server_url",
        SyncError::Store(s) => store_code(s),
        SyncError::Network(_) => "server_unreachable",
        SyncError::Unavailable { .. } => "server_unavailable",
        // The server's code first: a wrong enrollment token is a 401 too.
        SyncError::Refused { status, code, .. } => match code.as_str() {
            "device_revoked" => "device_revoked",
            "token_invalid" => "token_invalid",
            "token_expired" => "token_expired",
            "token_used" => "token_used",
            "device_exists" => "device_exists",
            _ if matches!(status, 401 | 403) => "credential_refused",
            _ => "server_refused",
        },
        SyncError::Protocol(_) => "server_protocol",
        SyncError::GaveUp { last, .. } => sync_code(last),
    }
}

/// True when the server no longer takes this device's credential: an
/// administrator revoked the device, or a newer enrollment replaced the
/// credential. Only a new enrollment helps; the records stay queued.
pub fn credential_refused(e: &SyncError) -> bool {
    matches!(sync_code(e), "device_revoked" | "credential_refused")
}

/// Result of the station's use cases.
pub type Result<T, E = StationError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: &str) -> SyncError {
        SyncError::Refused {
            status,
            code: code.into(),
            message: "…".into(),
        }
    }

    #[test]
    fn refusals_of_the_credential_are_told_apart() {
        let cases = [
            (refused(401, "device_revoked"), "device_revoked", true),
            // Whatever status a server sends it with, the code decides.
            (refused(403, "device_revoked"), "device_revoked", true),
            (refused(401, "unauthorized"), "credential_refused", true),
            (refused(403, "forbidden"), "credential_refused", true),
            (refused(409, "token_used"), "token_used", false),
            (refused(401, "token_invalid"), "token_invalid", false),
            (refused(422, "invalid_label"), "server_refused", false),
        ];
        for (e, code, refused) in cases {
            assert_eq!(sync_code(&e), code, "{e}");
            assert_eq!(credential_refused(&e), refused, "{e}");
            assert_eq!(crate::sync::is_fatal(&e), refused, "{e}");
        }
    }
}
