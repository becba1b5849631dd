//! `checkin record`: one check-in from a code given on the command line.

use crate::exit::{fail, open_store, BAD_INPUT};
use anyhow::Result;
use checkin_core::{CheckIn, Direction, Policy, Source, VenueId};
use std::io::BufRead;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// Venue id, e.g. 01-00004-K7M2Q9.
    #[arg(long)]
    venue: String,
    /// The scanned text; `-` reads one line from stdin (USB scanners type it).
    #[arg(long)]
    code: String,
    #[arg(long, default_value = "in")]
    direction: Direction,
    #[arg(long, default_value = "qr")]
    source: Source,
    /// Print the whole stored record as JSON instead of its id.
    #[arg(long)]
    json: bool,
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    let venue: VenueId = args
        .venue
        .parse()
        .map_err(|e| fail(BAD_INPUT, format!("--venue {:?}: {e}", args.venue)))?;
    let code = if args.code == "-" {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line
    } else {
        args.code
    };
    let mut checkin = CheckIn::from_code(
        &code,
        venue,
        args.direction,
        args.source,
        checkin_core::DeviceId::new(),
        chrono::Local::now().fixed_offset(),
        &Policy::default(),
    )
    .map_err(|e| fail(BAD_INPUT, format!("--code: {e}")))?;
    let mut store = open_store(data_dir)?;
    store
        .record_checkin(&mut checkin)
        .map_err(|e| fail(BAD_INPUT, format!("check-in not stored: {e}")))?;
    if args.json {
        println!("{}", serde_json::to_string(&checkin)?);
    } else {
        println!("{}", checkin.id);
    }
    Ok(())
}
