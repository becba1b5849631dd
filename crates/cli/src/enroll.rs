//! `checkin enroll`: trade an enrollment token for this station's credential.

use crate::exit::{fail, open_store, BAD_INPUT};
use anyhow::Result;
use checkin_sync::client;
use checkin_sync::protocol::Scope;
use std::io::BufRead;
use std::path::Path;

/// Exit code when the server could not be reached or refused the token.
pub const ENROLL_FAILED: u8 = 3;

#[derive(clap::Args)]
pub struct Args {
    /// Server base URL, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    server: String,
    /// The enrollment token (CKE1:…); `-` reads it from stdin (USB scanners type it).
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
    let token = if args.token == "-" {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim().to_string()
    } else {
        args.token
    };
    if !token.trim().to_ascii_uppercase().starts_with("CKE1:") {
        return Err(fail(
            BAD_INPUT,
            "--token: an enrollment token starts with CKE1: (scan or copy the whole code)",
        ));
    }
    let mut store = open_store(data_dir)?;
    // Records are filed under the province of the enrollment they are sent
    // with: re-enrolling elsewhere before they are sent could store a record
    // that was already delivered (answer lost) a second time.
    let pending = store.status()?.pending;
    if pending > 0 && client::enrolled(&store, None).is_ok() && !args.force {
        return Err(fail(
            BAD_INPUT,
            format!("{pending} records of the current enrollment are still pending: run `checkin sync` first, or pass --force"),
        ));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let resp = rt
        .block_on(client::enroll(
            &mut store,
            &args.server,
            &token,
            args.label,
            None,
        ))
        .map_err(|e| fail(ENROLL_FAILED, format!("enrollment failed: {e}")))?;
    // The venues list is a convenience for offline screens: a failure here
    // does not undo the enrollment, the next sync fetches it again.
    let config = rt.block_on(async {
        let c = client::Client::new(&args.server)?;
        client::refresh_config(&mut store, &c, &resp.credential).await
    });
    if let Err(e) = config {
        eprintln!("checkin: warning: enrolled, but the venue list was not fetched: {e}");
    }
    let scope = match &resp.scope {
        Scope::Venue { venue_id } => format!("venue {venue_id}"),
        Scope::Commune { commune_code } => format!("commune {commune_code}"),
    };
    println!(
        "enrolled device {} for {scope} (province {})",
        resp.device_id, resp.province_code
    );
    Ok(())
}
