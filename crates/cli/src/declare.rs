//! `checkin declare`: a health declaration from JSON on stdin or from flags.

use crate::exit::{fail, open_store, BAD_INPUT};
use anyhow::{Context, Result};
use checkin_core::{
    verdict, Address, Birth, Declaration, DeclarationRecord, DeviceId, Exposures, Gender, Policy,
    RecordId, Source, Symptoms, VenueId,
};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// `kiosk` (self-declared) or `paper` (copied from a paper form).
    #[arg(long, default_value = "kiosk")]
    source: Source,
    /// Venue whose kiosk or staff took the declaration.
    #[arg(long)]
    venue: Option<String>,
    /// Read the declaration JSON from this file instead of stdin.
    #[arg(long, value_name = "FILE", conflicts_with = "full_name")]
    file: Option<PathBuf>,
    /// Print the stored record as JSON.
    #[arg(long)]
    json: bool,
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
    /// fever, cough, shortness_of_breath, pneumonia, sore_throat, fatigue (repeatable).
    #[arg(long = "symptom")]
    symptoms: Vec<String>,
    /// confirmed_or_suspected_case, person_from_affected_area, person_with_symptoms (repeatable).
    #[arg(long = "exposure")]
    exposures: Vec<String>,
    /// The citizen confirms the answers and agrees to their use.
    #[arg(long)]
    consent: bool,
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    if !matches!(args.source, Source::Kiosk | Source::Paper | Source::Manual) {
        return Err(fail(
            BAD_INPUT,
            format!(
                "--source {}: a declaration comes from kiosk, paper or manual",
                args.source
            ),
        ));
    }
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
    let now = chrono::Local::now().fixed_offset();
    declaration
        .validate(now.date_naive())
        .map_err(|e| fail(BAD_INPUT, e.to_string()))?;
    let verdict = verdict(&declaration, &Policy::default());
    let mut record = DeclarationRecord {
        id: RecordId::new(),
        device_seq: 0,
        venue_id,
        source: args.source,
        device_id: DeviceId::new(),
        device_time: now,
        occurred_at: None,
        declaration,
        verdict,
    };
    let mut store = open_store(data_dir)?;
    store
        .record_declaration(&mut record)
        .map_err(|e| fail(BAD_INPUT, format!("declaration not stored: {e}")))?;
    if args.json {
        println!("{}", serde_json::to_string(&record)?);
    } else {
        let reasons: Vec<String> = record
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
            record.id,
            record.verdict.level,
            reasons.join(",")
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
    let mut symptoms = Symptoms::default();
    for s in &f.symptoms {
        let slot = match s.as_str() {
            "fever" => &mut symptoms.fever,
            "cough" => &mut symptoms.cough,
            "shortness_of_breath" => &mut symptoms.shortness_of_breath,
            "pneumonia" => &mut symptoms.pneumonia,
            "sore_throat" => &mut symptoms.sore_throat,
            "fatigue" => &mut symptoms.fatigue,
            other => {
                return Err(fail(
                    BAD_INPUT,
                    format!("--symptom {other:?} is not on the form"),
                ))
            }
        };
        *slot = true;
    }
    let mut exposures = Exposures::default();
    for e in &f.exposures {
        let slot = match e.as_str() {
            "confirmed_or_suspected_case" => &mut exposures.confirmed_or_suspected_case,
            "person_from_affected_area" => &mut exposures.person_from_affected_area,
            "person_with_symptoms" => &mut exposures.person_with_symptoms,
            other => {
                return Err(fail(
                    BAD_INPUT,
                    format!("--exposure {other:?} is not on the form"),
                ))
            }
        };
        *slot = true;
    }
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
        symptoms,
        exposures,
        consent: f.consent,
    })
}
