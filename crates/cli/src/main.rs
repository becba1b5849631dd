//! `checkin`: the headless station. Same core and store as the app, for
//! scripts, tests, benchmarks and sites without a screen.

mod dcc;
mod declare;
mod decode;
mod enroll;
mod exit;
mod list;
mod record;
mod scan;
mod settings;
mod sync;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Offline-first QR check-in station.
#[derive(Parser)]
#[command(name = "checkin", version, about)]
struct Cli {
    /// Where the station keeps its database (default: the platform data dir).
    #[arg(long, global = true, env = "CHECKIN_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Store a check-in for a scanned or typed code; prints its id.
    Record(record::Args),
    /// Store a health declaration (JSON on stdin, or flags); prints id and verdict.
    Declare(Box<declare::Args>),
    /// Show how many records are pending, synced and rejected.
    Status(list::StatusArgs),
    /// Show stored records, newest first.
    List(list::ListArgs),
    /// Enroll this station with a server using an enrollment token.
    Enroll(enroll::Args),
    /// Send pending records to the server; exit 0 only when none is left.
    Sync(sync::Args),
    /// Decode QR codes in image files (one JSON line per file with --json).
    Decode(decode::Args),
    /// Headless scanning station: camera, image file or directory.
    Scan(scan::Args),
    /// Show or change the station's settings (venue, camera, hold time, language).
    Settings(settings::Args),
    /// EU Digital COVID Certificates: verify an HC1: code offline.
    Dcc(dcc::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    log_warnings();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = exit::code_of(&err);
            // One line: the cause chain joined, so scripts can log it whole.
            eprintln!("checkin: error: {}", exit::one_line(&err));
            ExitCode::from(code)
        }
    }
}

/// Warnings of the library crates (a data directory made private, a sync
/// config not refreshed) on stderr; `CHECKIN_LOG` (e.g. `debug`) shows
/// more. Not `RUST_LOG`, which a test run may set for the server beside.
fn log_warnings() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CHECKIN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .with_target(false)
        .init();
}

fn run(cli: Cli) -> Result<()> {
    let data_dir = match (cli.data_dir, &cli.command) {
        (Some(d), _) => d,
        // Verifies from its arguments alone: no home directory needed.
        (None, Command::Dcc(_)) => PathBuf::new(),
        (None, _) => exit::default_data_dir()?,
    };
    match cli.command {
        Command::Record(args) => record::run(&data_dir, args),
        Command::Declare(args) => declare::run(&data_dir, *args),
        Command::Status(args) => list::status(&data_dir, args),
        Command::List(args) => list::list(&data_dir, args),
        Command::Enroll(args) => enroll::run(&data_dir, args),
        Command::Sync(args) => sync::run(&data_dir, args),
        Command::Decode(args) => decode::run(&data_dir, args),
        Command::Scan(args) => scan::run(&data_dir, args),
        Command::Settings(args) => settings::run(&data_dir, args),
        Command::Dcc(args) => dcc::run(args),
    }
}
