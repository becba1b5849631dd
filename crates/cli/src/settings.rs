//! `checkin settings`: the station's own settings, as the app's settings
//! screen changes them (venue, camera, hold time, language).

use crate::exit::{open_station, station};
use anyhow::Result;
use checkin_station::{Language, SettingsPatch};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// The venue this station records for (`none` to clear).
    #[arg(long, value_name = "ID")]
    venue: Option<String>,
    /// The gate's camera: camera:N, replay:DIR, webview, or `none`.
    #[arg(long, value_name = "SOURCE")]
    camera: Option<String>,
    /// Seconds before the same code makes another scan.
    #[arg(long, value_name = "SECONDS")]
    hold: Option<f64>,
    /// The app's language.
    #[arg(long, value_parser = ["vi", "en"])]
    language: Option<String>,
    /// Print the settings as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    let mut st = open_station(data_dir)?;
    let patch = SettingsPatch {
        language: args.language.as_deref().map(|l| match l {
            "en" => Language::En,
            _ => Language::Vi,
        }),
        camera: args
            .camera
            .map(|c| if c == "none" { String::new() } else { c }),
        hold_seconds: args.hold,
        venue_id: args.venue.map(|v| (v != "none").then_some(v)),
    };
    let s = st.update_settings(&patch).map_err(station)?;
    if args.json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        println!(
            "venue     {}",
            s.venue_id.as_deref().unwrap_or("(from enrollment)")
        );
        println!(
            "camera    {}",
            if s.camera.is_empty() {
                "(none)"
            } else {
                &s.camera
            }
        );
        println!("hold      {} s", s.hold_seconds);
        println!(
            "language  {}",
            if s.language == Language::En {
                "en"
            } else {
                "vi"
            }
        );
        println!(
            "kiosk PIN {}",
            if s.kiosk_pin_set { "set" } else { "not set" }
        );
    }
    Ok(())
}
