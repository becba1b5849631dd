//! `checkin enroll`: trade an enrollment code for this station's credential.

use crate::exit::{fail, open_station, station, NOT_DONE};
use anyhow::Result;
use checkin_station::{EnrollInput, ScopeView, StationError};
use std::io::BufRead;
use std::path::Path;

/// Exit code when the server could not be reached or refused the token.
pub const ENROLL_FAILED: u8 = NOT_DONE;

#[derive(clap::Args)]
pub struct Args {
    /// Server base URL, e.g. http://127.0.0.1:8080 (not needed when the code
    /// names it: CKE1:<token>@<url>).
    #[arg(long)]
    server: Option<String>,
    /// The enrollment code (CKE1:… or CKE1:…@URL); `-` reads it from stdin
    /// (USB scanners type it).
    #[arg(long)]
    token: String,
    /// A label for this station shown to officials (e.g. "Cổng chính").
    #[arg(long)]
    label: Option<String>,
    /// Re-enroll even though records of the current enrollment are pending.
    #[arg(long)]
    force: bool,
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    let code = if args.token == "-" {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim().to_string()
    } else {
        args.token
    };
    let mut st = open_station(data_dir)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let input = EnrollInput {
        code,
        server_url: args.server,
        label: args.label,
        force: args.force,
    };
    let enrolled = rt.block_on(st.enroll(&input)).map_err(|e| match e {
        StationError::Sync(s) => fail(ENROLL_FAILED, format!("enrollment failed: {s}")),
        StationError::PendingRecords { pending } => fail(
            crate::exit::BAD_INPUT,
            format!("{pending} records of the current enrollment are still pending: run `checkin sync` first, or pass --force"),
        ),
        other => station(other),
    })?;
    if st.venues().is_empty() {
        eprintln!(
            "checkin: warning: enrolled, but the venue list was not fetched (the next sync will)"
        );
    }
    let scope = match &enrolled.scope {
        ScopeView::Venue { venue_id } => format!("venue {venue_id}"),
        ScopeView::Commune { commune_code } => format!("commune {commune_code}"),
    };
    println!(
        "enrolled device {} for {scope} (province {})",
        st.store().device_id(),
        enrolled.province_code
    );
    Ok(())
}
