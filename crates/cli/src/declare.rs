//! `checkin declare`: a health declaration from JSON on stdin or from flags.

use crate::exit::{fail, open_station, station, BAD_INPUT};
use anyhow::{Context, Result};
use checkin_core::{
    Address, Birth, Declaration, Direction, Exposure, Exposures, Gender, Record, Source, Symptom,
    Symptoms, VenueId,
};
use checkin_station::DeclareInput;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// `kiosk` (self-declared), `paper` (copied from a paper form) or
    /// `manual` (staff typing for someone).
    #[arg(long, default_value = "kiosk")]
    source: Source,
    /// Venue whose kiosk or staff took the declaration. A paper form typed
    /// in at a venue records the visit there too.
    #[arg(long)]
    venue: Option<String>,
    /// When the form was filled in, as written on the paper (RFC 3339, e.g.
    /// 2021-08-01T07:45:00+07:00); the record keeps the device clock too.
    #[arg(long, value_name = "RFC3339")]
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Read the declaration JSON from this file instead of stdin.
    #[arg(long, value_name = "FILE", conflicts_with = "full_name")]
    file: Option<PathBuf>,
    /// Print the stored record as JSON.
    #[arg(long)]
    json: bool,
    /// Print the signed visitor pass (kiosk declarations) on a second line.
    #[arg(long)]
    pass: bool,
    #[command(flatten)]
    form: FormFlags,
}

/// The form as flags, for scripts that do not build JSON.
#[derive(clap::Args)]
struct FormFlags {
    #[arg(long)]
    full_name: Option<String>,
    #[arg(long)]
    id_number: Option<String>,
    /// Birth date YYYY-MM-DD or year YYYY.
    #[arg(long)]
    birth: Option<String>,
    #[arg(long, value_parser = ["male", "female", "other"])]
    gender: Option<String>,
    #[arg(long, default_value = "VN")]
    nationality: String,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long, value_name = "CODE")]
    province: Option<String>,
    #[arg(long, value_name = "CODE")]
    district: Option<String>,
    #[arg(long, value_name = "CODE")]
    commune: Option<String>,
    #[arg(long, default_value = "")]
    street: String,
    /// A place visited in the last 14 days (repeatable).
    #[arg(long = "visited")]
    places_visited: Vec<String>,
    /// A symptom of the form (repeatable), e.g. fever, cough, sore_throat.
    #[arg(long = "symptom", value_parser = parse_symptom)]
    symptoms: Vec<Symptom>,
    /// An exposure of the form (repeatable), e.g. confirmed_or_suspected_case.
    #[arg(long = "exposure", value_parser = parse_exposure)]
    exposures: Vec<Exposure>,
    /// The citizen confirms the answers and agrees to their use.
    #[arg(long)]
    consent: bool,
}

/// A symptom by its JSON name (the names the form and the verdict use).
fn parse_symptom(s: &str) -> Result<Symptom, String> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| format!("{s:?} is not a symptom of the form"))
}

/// An exposure by its JSON name.
fn parse_exposure(s: &str) -> Result<Exposure, String> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| format!("{s:?} is not an exposure question of the form"))
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    let venue_id = args
        .venue
        .as_deref()
        .map(str::parse::<VenueId>)
        .transpose()
        .map_err(|e| fail(BAD_INPUT, format!("--venue: {e}")))?;
    let declaration = if args.form.full_name.is_some() {
        from_flags(args.form)?
    } else {
        let text = match &args.file {
            Some(f) => std::fs::read_to_string(f)
                .with_context(|| format!("cannot read {}", f.display()))?,
            None => {
                let mut s = String::new();
                std::io::stdin()
                    .read_to_string(&mut s)
                    .context("cannot read the declaration from stdin")?;
                s
            }
        };
        if text.trim().is_empty() {
            return Err(fail(BAD_INPUT, "no declaration given: pipe its JSON to stdin, use --file, or use --full-name and the other flags"));
        }
        serde_json::from_str(&text)
            .map_err(|e| fail(BAD_INPUT, format!("declaration JSON: {e}")))?
    };
    let mut st = open_station(data_dir)?;
    let visit = (args.source == Source::Paper && venue_id.is_some()).then_some(Direction::In);
    let declared = st
        .declare(DeclareInput {
            declaration,
            source: args.source,
            venue_id,
            occurred_at: args.at,
            visit,
            issue_pass: args.source == Source::Kiosk,
        })
        .map_err(station)?;
    if args.json {
        let id = declared
            .record_id
            .parse()
            .map_err(|e| fail(BAD_INPUT, format!("{e}")))?;
        if let Some(Record::Declaration(d)) = st.store().record_by_id(id)? {
            println!("{}", serde_json::to_string(&d)?);
        }
    } else {
        let reasons: Vec<String> = declared
            .verdict
            .reasons
            .iter()
            .map(|r| {
                serde_json::to_value(r)
                    .map(|v| v["detail"].as_str().unwrap_or_default().to_string())
            })
            .collect::<Result<_, _>>()?;
        println!(
            "{}\t{}\t{}",
            declared.record_id,
            declared.verdict.level,
            reasons.join(",")
        );
    }
    if args.pass {
        if let Some(p) = &declared.pass {
            println!("{}", p.text);
        }
    }
    for r in &declared.same_day {
        eprintln!(
            "checkin: note: {} already has a {} record on this day ({}, {})",
            r.name,
            r.kind.as_str(),
            r.source,
            r.at.format("%H:%M")
        );
    }
    Ok(())
}

fn from_flags(f: FormFlags) -> Result<Declaration> {
    let need = |v: Option<String>, flag: &str| {
        v.ok_or_else(|| fail(BAD_INPUT, format!("--{flag} is required with --full-name")))
    };
    let birth_text = need(f.birth, "birth")?;
    let birth = if let Ok(y) = birth_text.parse::<i32>() {
        Birth::Year(y)
    } else {
        Birth::Date(birth_text.parse().map_err(|_| {
            fail(
                BAD_INPUT,
                format!("--birth {birth_text:?}: expected YYYY-MM-DD or YYYY"),
            )
        })?)
    };
    let gender = match need(f.gender, "gender")?.as_str() {
        "male" => Gender::Male,
        "female" => Gender::Female,
        _ => Gender::Other,
    };
    Ok(Declaration {
        full_name: need(f.full_name, "full-name")?,
        id_number: f.id_number,
        birth,
        gender,
        nationality: f.nationality,
        phone: need(f.phone, "phone")?,
        email: f.email,
        address: Address {
            province_code: need(f.province, "province")?,
            district_code: need(f.district, "district")?,
            commune_code: need(f.commune, "commune")?,
            street: f.street,
        },
        places_visited: f.places_visited,
        symptoms: Symptoms::from_list(&f.symptoms),
        exposures: Exposures::from_list(&f.exposures),
        consent: f.consent,
    })
}
