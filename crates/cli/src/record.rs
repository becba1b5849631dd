//! `checkin record`: one check-in from a code given on the command line, or
//! a paper logbook line (`--at`, the time written on the paper).

use crate::exit::{fail, open_station, station, BAD_INPUT};
use anyhow::Result;
use checkin_core::{Direction, Source, VenueId};
use checkin_station::{Admission, AdmitRequest};
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
    /// When the visit happened, as written in a paper logbook (RFC 3339,
    /// e.g. 2021-08-01T07:45:00+07:00); the record keeps the device clock too.
    #[arg(long, value_name = "RFC3339")]
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
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
    let mut st = open_station(data_dir)?;
    let req = AdmitRequest {
        venue: &venue,
        direction: args.direction,
        source: args.source,
        hold: false,
        occurred_at: args.at,
    };
    let admission = st.admit_with(&code, &req).map_err(station)?;
    match &admission {
        Admission::Recorded { checkin_id, .. } => {
            if args.json {
                let id = checkin_id
                    .parse()
                    .map_err(|e| fail(BAD_INPUT, format!("{e}")))?;
                let record = st.store().record_by_id(id)?;
                match record {
                    Some(checkin_core::Record::Checkin(c)) => {
                        println!("{}", serde_json::to_string(&c)?)
                    }
                    _ => println!("{}", serde_json::to_string(&admission)?),
                }
            } else {
                println!("{checkin_id}");
            }
            Ok(())
        }
        Admission::NotCheckin {
            kind,
            problem,
            detail,
            ..
        } => {
            let why = detail.as_deref().unwrap_or("unreadable");
            Err(fail(
                BAD_INPUT,
                match problem.as_deref() {
                    Some("enrollment_code") => "--code: this is a device enrollment code, not a visitor's code: use `checkin enroll`".to_string(),
                    Some("damaged_id_card") => format!("--code: the ID-card code is damaged ({why}): type the person in instead"),
                    Some("damaged_card") => format!("--code: the {kind} code is damaged ({why}): scan it again, or type the person in instead"),
                    _ => format!("--code: this {kind} code is not a check-in code: it names no person"),
                },
            ))
        }
        Admission::PassRefused { problem, .. } => Err(fail(
            BAD_INPUT,
            format!("--code: visitor pass refused: {problem}"),
        )),
        Admission::Repeat { .. } => Err(fail(
            BAD_INPUT,
            "--code: scanned again within the hold time",
        )),
    }
}
