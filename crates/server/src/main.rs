//! `checkin-server`: serve the API, administer venues and tokens, print reports.

use anyhow::{Context, Result};
use checkin_core::{VenueCategory, VenueId};
use checkin_server::admin::{self, NewVenue, TokenTarget};
use checkin_server::{venue_links, AppState, Faults, RateLimiter};
use checkin_server_db::{redact_url, Units};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(name = "checkin-server", version, about = "Central server of checkin")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DbArg {
    /// Database URL: sqlite://PATH (default, embedded) or postgres://USER@HOST/DB.
    #[arg(
        long,
        env = "CHECKIN_DATABASE_URL",
        default_value = "sqlite://checkin-server.db",
        hide_env_values = true
    )]
    database: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Address to listen on (port 0 picks a free port; the chosen address is printed).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        db: DbArg,
        /// Sync requests allowed per device per second (bursts of twice that).
        #[arg(long, default_value_t = 20.0)]
        rate_limit: f64,
        /// Verdict policy sent to every device: a JSON object of checkin_core::Policy
        /// fields (others keep their defaults; unknown fields are refused).
        #[arg(long, value_name = "FILE.json")]
        policy: Option<PathBuf>,
        /// Test mode: SEED:RATE injects 500/503/429 and lost answers into that share of syncs.
        #[arg(long, hide = true)]
        inject_faults: Option<String>,
        /// Serve the officials' dashboard pages from this directory (the
        /// build of ui: ui/dist-dashboard) at /dashboard/.
        #[arg(long, value_name = "DIR")]
        dashboard_dir: Option<PathBuf>,
        /// Serve the citizen's phone page from this directory (the build of
        /// ui: ui/dist-citizen) at /c/, where venue posters' links point.
        #[arg(long, value_name = "DIR")]
        citizen_dir: Option<PathBuf>,
        /// Session cookies without `Secure`, for plain HTTP on a trusted
        /// network (never on the internet).
        #[arg(long)]
        insecure_cookies: bool,
        /// Days personal data is kept after the visit; purged every 6 hours.
        #[arg(long, default_value_t = checkin_server::retention::DEFAULT_RETENTION_DAYS)]
        retention_days: u32,
    },
    /// Administer venues, enrollment tokens and units.
    Admin {
        #[command(flatten)]
        db: DbArg,
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Print a report, or trace contacts (see `report --help` for each one).
    #[command(long_about = REPORT_HELP)]
    Report {
        /// qr-points, silent-points, e-vs-paper, coverage, reconciliation, roster,
        /// weekly, trace-venue, trace-person or stats.
        name: String,
        /// The district or province (qr-points), or any unit, by GSO code;
        /// trace-person: where to look (default: the server's one province).
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        /// qr-points, coverage, reconciliation: count up to and including this
        /// date (default: today).
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        /// qr-points: the earlier date changes are counted from (default: a week before).
        #[arg(long, value_name = "DATE")]
        compare: Option<chrono::NaiveDate>,
        /// silent-points, weekly: the ISO week (default: last week).
        #[arg(long, value_name = "YYYY-Www")]
        week: Option<String>,
        /// e-vs-paper, roster: first day (YYYY-MM-DD); trace-*: start of
        /// the window (RFC 3339, or YYYY-MM-DDTHH:MM in Vietnam).
        #[arg(long, value_name = "DATE|TIME")]
        from: Option<String>,
        /// e-vs-paper, roster: last day; trace-*: end of the window (at
        /// most 31 days after --from).
        #[arg(long, value_name = "DATE|TIME")]
        to: Option<String>,
        /// trace-venue: the venue's id.
        #[arg(long, value_name = "ID")]
        venue: Option<String>,
        /// trace-person: the person's ID-card number (or --phone).
        #[arg(long, value_name = "N", conflicts_with = "phone")]
        id_number: Option<String>,
        /// trace-person: the person's phone (or --id-number).
        #[arg(long, value_name = "P")]
        phone: Option<String>,
        /// trace-*: why the lookup is made (5 to 500 characters), kept in
        /// the audit log; required.
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// trace-venue: how long a stay without an exit lasts (default 120).
        #[arg(long, value_name = "MINUTES")]
        stay_minutes: Option<i64>,
        /// json, csv or xlsx (xlsx needs --output or standard output redirected).
        #[arg(long, default_value = "json")]
        format: String,
        /// Write the report to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Venues.
    Venue {
        #[command(subcommand)]
        command: VenueCommand,
    },
    /// Make a single-use enrollment token; prints it on line 1, with --server-url
    /// the full enrollment code on line 2, then a QR code (of the full code
    /// when there is one).
    EnrollmentToken {
        /// The venue the device will write for.
        #[arg(long, conflicts_with = "commune", required_unless_present = "commune")]
        venue: Option<String>,
        /// Or every venue of this commune (5-digit GSO code).
        #[arg(long)]
        commune: Option<String>,
        /// Province code when the commune is not among imported units.
        #[arg(long)]
        province: Option<String>,
        /// How long the token stays valid (e.g. 30m, 24h, 7d).
        #[arg(long, default_value = "24h")]
        ttl: String,
        /// The server's address devices should enroll with (http:// or https://):
        /// also prints the full code CKE1:<token>@<URL>, which one scan sets up a device with.
        #[arg(long, value_name = "URL")]
        server_url: Option<String>,
        /// Print only the token (and code), without the terminal QR code.
        #[arg(long)]
        no_qr: bool,
    },
    /// Import administrative units (dvhcvn JSON layout).
    ImportUnits { file: PathBuf },
    /// Register a province's existing QR points from a CSV file (UTF-8, header
    /// name,category,commune_code,address,registered_on); prints the new venue
    /// ids one per line, in file order. Any bad line fails the whole import.
    ImportVenues { file: PathBuf },
    /// Set populations per unit from a CSV file (UTF-8, header
    /// unit_code,population), for the coverage report. Any bad line fails the
    /// whole import.
    ImportPopulation { file: PathBuf },
    /// Load agencies' staff rosters from a CSV file (UTF-8, header
    /// agency,commune_code,full_name,id_number,phone), for the roster report;
    /// each agency in the file has its roster replaced. Any bad line fails the
    /// whole import.
    ImportRoster { file: PathBuf },
    /// Load the figures communes and agencies reported (people who had
    /// declared, as of a date) from a CSV file (UTF-8, header
    /// unit_code,agency,date,reported; agency empty for the commune's own
    /// figure), for the reconciliation report. Any bad line fails the import.
    ImportReported { file: PathBuf },
    /// Counts of venues, devices, check-ins, declarations, quarantines, health updates.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Enrolled devices: list them, revoke a lost or stolen one.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Clear the personal data of visits older than the retention period
    /// now (serve does it every 6 hours); report counts are kept.
    Purge {
        #[arg(long, default_value_t = checkin_server::retention::DEFAULT_RETENTION_DAYS)]
        retention_days: u32,
    },
    /// Dashboard users (officials).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The vaccine-passport (EU DCC) trust list stations verify certificates with.
    TrustList {
        #[command(subcommand)]
        command: TrustListCommand,
    },
}

#[derive(Subcommand)]
enum TrustListCommand {
    /// Replace the trust list with a JSON file (docs/dcc.md:
    /// {"updated_at"?, "certificates": [{"kid"?, "der", "country"?}]}).
    /// Every certificate is checked first; any unusable one refuses the
    /// whole file (each is named) and the current list stays. Stations
    /// download the new list at their next sync.
    Import { file: PathBuf },
    /// Show the trust list held: certificates, its date, when imported.
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an official's account; the password is read from standard
    /// input (its first line), never from the command line.
    Add {
        /// 3–64 of a-z 0-9 . _ -
        #[arg(long)]
        login: String,
        /// viewer (reports), tracer (also contact tracing) or admin (also users).
        #[arg(long)]
        role: String,
        /// The user's area: a province (2 digits), district (3) or commune (5) code.
        #[arg(long, value_name = "CODE")]
        unit: String,
    },
    /// List accounts with their role, area, creation and disabling (never
    /// a password hash).
    List {
        /// Only accounts whose area lies inside this unit: a province (2
        /// digits), district (3) or commune (5) code.
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Disable an account: its sessions end at once and it cannot log in
    /// until enabled again.
    Disable {
        #[arg(value_name = "LOGIN")]
        login: String,
    },
    /// Enable a disabled account again (its password is unchanged).
    Enable {
        #[arg(value_name = "LOGIN")]
        login: String,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// List enrolled devices with their scope, last contact and revocation.
    List {
        /// Only devices whose scope lies inside this unit: a province (2 digits),
        /// district (3) or commune (5) code, or a venue id.
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Revoke a device: its very next request is refused (401 device_revoked)
    /// until it is enrolled again with a new enrollment code.
    Revoke {
        #[arg(value_name = "DEVICE_ID")]
        device_id: String,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Subcommand)]
enum VenueCommand {
    /// Register a venue; prints its id alone on line 1.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        category: String,
        /// Commune (5-digit GSO code).
        #[arg(long)]
        commune: String,
        #[arg(long, default_value = "")]
        address: String,
        /// Province code when the commune is not among imported units.
        #[arg(long)]
        province: Option<String>,
    },
    /// List venues (QR points) with their commune and registration date.
    List {
        /// Only venues inside this unit: a province (2 digits), district (3)
        /// or commune (5) code, or a venue id.
        #[arg(long, value_name = "CODE")]
        unit: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Print the link citizens' phones open from the venue's poster, on
    /// line 1 (`BASE/c/<venue id>.<tag>`; only this server can make one).
    Url {
        id: String,
        /// The address phones reach this server at.
        #[arg(long, env = "CHECKIN_PUBLIC_URL", value_name = "URL")]
        base: String,
    },
    /// Write a printable A5 poster with the venue's QR code (.svg or .png):
    /// the venue's link when a public base URL is given, else its
    /// `CKV1:` code.
    Poster {
        id: String,
        #[arg(long)]
        out: PathBuf,
        /// The address phones reach this server at.
        #[arg(long, env = "CHECKIN_PUBLIC_URL", value_name = "URL")]
        base: Option<String>,
    },
}

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run(cli)));
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(exit_code(&e))
        }
    }
}

/// `println!` that ends the program quietly when stdout is closed (as by
/// `| head -1`), where `println!` would panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if let Err(e) = writeln!(out, $($arg)*).and_then(|()| out.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            return Err(anyhow::Error::from(e).context("cannot write to standard output"));
        }
    }};
}

/// Input the operator can correct (as clap's own errors do).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Usage(String);

macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(Usage(format!($($arg)*)).into())
    };
}

/// An import file's text.
fn read(file: &std::path::Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

/// 2 for input the operator can correct (bad flags, values, unknown ids),
/// 1 for everything else (storage, files, network).
fn exit_code(e: &anyhow::Error) -> u8 {
    use checkin_server::ServerError;
    let usage = e.chain().any(|c| {
        c.is::<Usage>()
            || c.is::<checkin_core::VenueIdError>()
            || c.is::<std::num::ParseIntError>()
            || c.is::<std::num::ParseFloatError>()
            || matches!(
                c.downcast_ref::<ServerError>(),
                Some(
                    ServerError::Invalid(_)
                        | ServerError::LoginTaken(_)
                        | ServerError::UnknownCommune(_)
                        | ServerError::UnknownVenue(_)
                )
            )
            || matches!(
                c.downcast_ref::<checkin_server_db::DbError>(),
                Some(
                    checkin_server_db::DbError::Invalid(_)
                        | checkin_server_db::DbError::NotFound(_)
                )
            )
    });
    if usage {
        2
    } else {
        1
    }
}

async fn open(db: &DbArg) -> Result<Arc<dyn checkin_server_db::Database>> {
    checkin_server_db::open(&db.database)
        .await
        .with_context(|| format!("cannot open database {}", redact_url(&db.database)))
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve {
            listen,
            db,
            rate_limit,
            policy,
            inject_faults,
            dashboard_dir,
            citizen_dir,
            insecure_cookies,
            retention_days,
        } => {
            // The policy first: a bad file stops the start before anything opens.
            let policy = match policy {
                Some(path) => checkin_server::policy::load_policy(&path)?,
                None => checkin_core::Policy::default(),
            };
            let store = open(&db).await?;
            let mut limits = checkin_server::Limits::default();
            limits.fit_to_fd_limit();
            let mut state = AppState::new(store).with_limits(limits);
            state.policy = Arc::new(policy);
            state.limiter = Arc::new(RateLimiter::new(rate_limit, rate_limit * 2.0));
            if let Some(dir) = &dashboard_dir {
                if !dir.join("index.html").is_file() {
                    usage!(
                        "--dashboard-dir {}: no index.html there; build the pages first \
                         (cd ui && npm ci && npm run build)",
                        dir.display()
                    );
                }
            }
            if let Some(dir) = &citizen_dir {
                if !dir.join("index.html").is_file() {
                    usage!(
                        "--citizen-dir {}: no index.html there; build the page first \
                         (cd ui && npm ci && npm run build)",
                        dir.display()
                    );
                }
            }
            state.citizen_pages =
                Arc::new(checkin_server::citizen_pages::CitizenPages { dir: citizen_dir });
            state.dashboard = Arc::new(checkin_server::dashboard::DashboardConfig {
                pages: dashboard_dir,
                secure_cookies: !insecure_cookies,
                ..Default::default()
            });
            if let Some(spec) = inject_faults {
                let (seed, rate) = spec
                    .split_once(':')
                    .ok_or_else(|| Usage("--inject-faults takes SEED:RATE".into()))?;
                state.faults = Some(Arc::new(Faults::new(seed.parse()?, rate.parse()?)));
                tracing::warn!("fault injection is on (test mode)");
            }
            // A bad retention stops the start, like a bad policy.
            checkin_server::retention::check_days(retention_days)?;
            state.retention_days = retention_days;
            let _purger = checkin_server::retention::spawn_purger(
                state.db.clone(),
                retention_days,
                state.clock.clone(),
            );
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            let addr = listener.local_addr()?;
            // Tests and scripts read the chosen port from this line.
            say!("listening on http://{addr}");
            std::io::stdout().flush()?;
            tracing::info!(%addr, database = %redact_url(&db.database), "serving");
            checkin_server::serve(listener, state, shutdown_signal()).await?;
            Ok(())
        }
        Command::Admin { db, command } => admin_command(&db, command).await,
        Command::Report {
            name,
            unit,
            as_of,
            compare,
            week,
            from,
            to,
            venue,
            id_number,
            phone,
            reason,
            stay_minutes,
            format,
            output,
            db,
        } => {
            use checkin_server::reports::{self, Name, Params};
            if !matches!(format.as_str(), "json" | "csv" | "xlsx") {
                usage!("unknown format {format:?}; use json, csv or xlsx");
            }
            if format == "xlsx"
                && output.is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
            {
                usage!("xlsx is binary: give --output FILE.xlsx or redirect standard output");
            }
            let lookup = TraceArgs {
                venue,
                id_number,
                phone,
                reason,
                stay_minutes,
            };
            if matches!(name.as_str(), "trace-venue" | "trace-person") {
                if as_of.is_some() || compare.is_some() || week.is_some() {
                    usage!("{name} takes --from TIME --to TIME, not --as-of, --compare or --week");
                }
                let store = open(&db).await?;
                let text =
                    trace_report(store.as_ref(), &name, unit, from, to, lookup, &format).await?;
                return write_out(output.as_deref(), text.as_bytes());
            }
            if lookup.any() {
                usage!(
                    "--venue, --id-number, --phone, --reason and --stay-minutes are for \
                     trace-venue and trace-person"
                );
            }
            let day = |flag: &str, v: Option<String>| {
                v.map(|v| {
                    v.trim()
                        .parse::<chrono::NaiveDate>()
                        .map_err(|_| Usage(format!("{flag} {v:?}: give a date, YYYY-MM-DD")))
                })
                .transpose()
            };
            let (from, to) = (day("--from", from)?, day("--to", to)?);
            let name_checked: Option<Name> = match name.as_str() {
                "stats" => None,
                other => Some(other.parse().map_err(|e: String| {
                    Usage(format!("{e}, trace-venue, trace-person, stats"))
                })?),
            };
            let store = open(&db).await?;
            let Some(report) = name_checked else {
                let s = store.stats().await?;
                let text = if format == "json" {
                    serde_json::to_string(&s)? + "\n"
                } else {
                    format!(
                        "venues,devices,checkins,declarations,quarantines,health_updates\n{},{},{},{},{},{}\n",
                        s.venues, s.devices, s.checkins, s.declarations, s.quarantines, s.health_updates
                    )
                };
                return write_out(output.as_deref(), text.as_bytes());
            };
            let Some(unit) = unit else {
                usage!("report {name} needs --unit CODE (a province, district or commune code)");
            };
            let week = week.map(|w| w.parse()).transpose().map_err(Usage)?;
            let params = Params {
                unit,
                as_of,
                compare,
                week,
                from,
                to,
            };
            let today = checkin_core::calendar::local_date(&chrono::Utc::now());
            let units = reports::UnitIndex::load(store.as_ref()).await?;
            let out = reports::run(store.as_ref(), &units, report, &params, today).await?;
            let bytes = match format.as_str() {
                "json" => serde_json::to_string(&out.json)?
                    .into_bytes()
                    .into_iter()
                    .chain(*b"\n")
                    .collect(),
                "csv" => out.csv().into_bytes(),
                _ => out.xlsx()?,
            };
            write_out(output.as_deref(), &bytes)
        }
    }
}

/// `report --help`: every report with its options.
const REPORT_HELP: &str = "Print a report of a unit, or trace contacts. Dates are local dates in \
Vietnam (YYYY-MM-DD); tracing times are RFC 3339 or YYYY-MM-DDTHH:MM in Vietnam.

  qr-points       --unit DISTRICT|PROVINCE --as-of DATE [--compare DATE]
  silent-points   --unit CODE --week YYYY-Www
  e-vs-paper      --unit CODE --from DATE --to DATE
  coverage        --unit CODE --as-of DATE
  reconciliation  --unit CODE --as-of DATE
  roster          --unit CODE --from DATE --to DATE
  weekly          --unit CODE --week YYYY-Www
  trace-venue     --venue ID --from TIME --to TIME --reason TEXT [--stay-minutes N]
  trace-person    (--id-number N | --phone P) --from TIME --to TIME --reason TEXT [--unit CODE]
  stats

Each takes --format json|csv|xlsx (tracing: json or csv), [--output FILE] and \
[--database URL]. docs/reports.md says what each report counts. Every tracing lookup \
is written to the audit log under (admin CLI) before it is printed; nothing is printed \
when that write fails.";

/// The options only contact tracing takes.
struct TraceArgs {
    venue: Option<String>,
    id_number: Option<String>,
    phone: Option<String>,
    reason: Option<String>,
    stay_minutes: Option<i64>,
}

impl TraceArgs {
    fn any(&self) -> bool {
        self.venue.is_some()
            || self.id_number.is_some()
            || self.phone.is_some()
            || self.reason.is_some()
            || self.stay_minutes.is_some()
    }
}

/// `report trace-venue|trace-person`: the dashboard's lookups, asked at
/// the console; audited as `(admin CLI)` in the province's log before
/// anything is returned.
async fn trace_report(
    db: &dyn checkin_server_db::Database,
    name: &str,
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
    a: TraceArgs,
    format: &str,
) -> Result<String> {
    use checkin_server::accounts::CONSOLE;
    use checkin_server::trace::{self, Asker, Window};
    if format == "xlsx" {
        usage!("{name} comes as json or csv");
    }
    let Some(reason) = a.reason.as_deref() else {
        usage!("{name} needs --reason TEXT: why the lookup is made (kept in the audit log)");
    };
    let reason = trace::check_reason(reason)?;
    let (Some(from), Some(to)) = (from, to) else {
        usage!("{name} needs --from TIME and --to TIME (RFC 3339, or YYYY-MM-DDTHH:MM in Vietnam)");
    };
    let window = Window::new(
        trace::parse_time("--from", &from)?,
        trace::parse_time("--to", &to)?,
    )?;
    let now = chrono::Utc::now();
    if name == "trace-venue" {
        if a.id_number.is_some() || a.phone.is_some() || unit.is_some() {
            usage!("trace-venue takes --venue ID, not --id-number, --phone or --unit");
        }
        let Some(venue) = a.venue.as_deref() else {
            usage!("trace-venue needs --venue ID");
        };
        let stay = trace::check_stay(a.stay_minutes)?;
        let venue = trace::find_venue(db, venue).await?;
        let asker = Asker {
            login: CONSOLE,
            area_code: &venue.province_code,
        };
        let answer = trace::trace_venue(db, asker, &venue, window, stay, &reason, now).await?;
        return match format {
            "csv" => Ok(trace::presence_table(&answer.people).to_csv()),
            _ => Ok(serde_json::to_string(&answer)? + "\n"),
        };
    }
    if a.venue.is_some() || a.stay_minutes.is_some() {
        usage!("trace-person takes --id-number N or --phone P, not --venue or --stay-minutes");
    }
    let key = trace::person_key(a.id_number.as_deref(), a.phone.as_deref())?;
    let units = checkin_server::reports::UnitIndex::load(db).await?;
    // A person's visits are kept per province: one province is searched,
    // and its log records the lookup.
    let area = match unit.as_deref().map(str::trim) {
        Some(u) => {
            units.area(u)?;
            u.to_string()
        }
        None => match units.below(None).unwrap_or_default().as_slice() {
            [one] => one.code.clone(),
            [] => usage!("no administrative units imported: run `admin import-units FILE` first"),
            _ => usage!("this server holds several provinces: give --unit CODE (the province, or a unit inside it)"),
        },
    };
    let province = units
        .province_of(&area)
        .ok_or_else(|| Usage(format!("unknown unit {area:?}")))?
        .to_string();
    let asker = Asker {
        login: CONSOLE,
        area_code: &province,
    };
    let answer = trace::trace_person(
        db,
        &units,
        asker,
        (&province, &area),
        &key,
        window,
        &reason,
        now,
    )
    .await?;
    match format {
        "csv" => Ok(trace::place_table(&answer.visits).to_csv()),
        _ => Ok(serde_json::to_string(&answer)? + "\n"),
    }
}

/// Writes a report to `path`, or to standard output (quietly ending when
/// the reader has gone, as `| head` does).
fn write_out(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<()> {
    if let Some(path) = path {
        return std::fs::write(path, bytes)
            .with_context(|| format!("cannot write {}", path.display()));
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => r.context("cannot write to standard output"),
    }
}

async fn admin_command(db: &DbArg, command: AdminCommand) -> Result<()> {
    let store = open(db).await?;
    match command {
        AdminCommand::Venue {
            command:
                VenueCommand::Add {
                    name,
                    category,
                    commune,
                    address,
                    province,
                },
        } => {
            let category: VenueCategory = category.parse().map_err(Usage)?;
            let venue = admin::add_venue(
                store.as_ref(),
                NewVenue {
                    name,
                    category,
                    commune_code: commune,
                    address,
                    province_code: province,
                },
            )
            .await?;
            say!("{}", venue.id);
        }
        AdminCommand::Venue {
            command: VenueCommand::Url { id, base },
        } => {
            let base = venue_links::check_base(&base)?;
            let id: VenueId = id.parse()?;
            store
                .venue(&id)
                .await?
                .ok_or_else(|| Usage(format!("unknown venue {id}")))?;
            let key = venue_links::LinkKey::load(store.as_ref()).await?;
            say!("{}", venue_links::url(&base, &key.code(&id)));
        }
        AdminCommand::Venue {
            command: VenueCommand::Poster { id, out, base },
        } => {
            let id: VenueId = id.parse()?;
            let venue = store
                .venue(&id)
                .await?
                .ok_or_else(|| Usage(format!("unknown venue {id}")))?;
            let link = match base {
                Some(base) => {
                    let base = venue_links::check_base(&base)?;
                    let key = venue_links::LinkKey::load(store.as_ref()).await?;
                    Some(venue_links::url(&base, &key.code(&id)))
                }
                None => None,
            };
            let ext = out
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let bytes = match ext.as_str() {
                "svg" => admin::poster_svg(&venue, link.as_deref())?.into_bytes(),
                "png" => admin::poster_png(&venue, link.as_deref())?,
                _ => usage!("--out must end in .svg or .png"),
            };
            std::fs::write(&out, bytes)
                .with_context(|| format!("cannot write {}", out.display()))?;
            say!("{}", out.display());
        }
        AdminCommand::EnrollmentToken {
            venue,
            commune,
            province,
            ttl,
            server_url,
            no_qr,
        } => {
            let target = match (venue, commune) {
                (Some(v), _) => TokenTarget::Venue(v.parse()?),
                (None, Some(code)) => TokenTarget::Commune { code, province },
                (None, None) => usage!("give --venue ID or --commune CODE"),
            };
            let ttl = admin::parse_ttl(&ttl)?;
            // Check the URL before a token is made and stored for nothing.
            if let Some(url) = &server_url {
                admin::server_url(url)?;
            }
            let token = admin::enrollment_token(store.as_ref(), target, ttl).await?;
            // Line 1 stays the bare token: scripts read it with `head -1`.
            say!("{token}");
            let code = match &server_url {
                Some(url) => {
                    let code = admin::enrollment_code(&token, url)?;
                    say!("{code}");
                    code
                }
                None => token,
            };
            if !no_qr {
                say!("{}", admin::terminal_qr(&code)?);
            }
        }
        AdminCommand::ImportUnits { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let units = Units::from_dvhcvn_json(&text)?;
            let n = store.import_units(&units).await?;
            say!("{}", serde_json::to_string(&n)?);
        }
        AdminCommand::Stats { json } => {
            let s = store.stats().await?;
            if json {
                say!("{}", serde_json::to_string(&s)?);
            } else {
                say!(
                    "venues {}\ndevices {}\ncheckins {}\ndeclarations {}\nquarantines {}\nhealth_updates {}\ncommunes {}",
                    s.venues,
                    s.devices,
                    s.checkins,
                    s.declarations,
                    s.quarantines,
                    s.health_updates,
                    s.communes
                );
            }
        }
        AdminCommand::ImportVenues { file } => {
            let today = checkin_core::calendar::local_date(&chrono::Utc::now());
            let ids =
                checkin_server::venues::import_venues(store.as_ref(), &read(&file)?, today).await?;
            for id in &ids {
                say!("{id}");
            }
            tracing::info!(venues = ids.len(), "venues imported");
        }
        AdminCommand::ImportPopulation { file } => {
            let n =
                checkin_server::imports::import_population(store.as_ref(), &read(&file)?).await?;
            say!("{n} populations imported");
        }
        AdminCommand::ImportRoster { file } => {
            let n = checkin_server::imports::import_roster(store.as_ref(), &read(&file)?).await?;
            say!("{n} roster members imported");
        }
        AdminCommand::ImportReported { file } => {
            let today = checkin_core::calendar::local_date(&chrono::Utc::now());
            let n = checkin_server::imports::import_reported(store.as_ref(), &read(&file)?, today)
                .await?;
            say!("{n} reported figures imported");
        }
        AdminCommand::Venue {
            command: VenueCommand::List { unit, format },
        } => {
            use checkin_server::venues;
            let list = venues::list(store.as_ref(), unit.as_deref()).await?;
            match format {
                ListFormat::Table => print!("{}", venues::list_table(&list)),
                ListFormat::Json => say!("{}", serde_json::to_string(&list)?),
                ListFormat::Csv => print!("{}", venues::list_csv(&list)),
            }
        }
        AdminCommand::Device {
            command: DeviceCommand::List { unit, format },
        } => {
            let devices = admin::devices(store.as_ref(), unit.as_deref()).await?;
            match format {
                ListFormat::Table => print!("{}", admin::devices_table(&devices)),
                ListFormat::Json => say!("{}", admin::devices_json(&devices)?),
                ListFormat::Csv => print!("{}", admin::devices_csv(&devices)),
            }
        }
        AdminCommand::TrustList {
            command: TrustListCommand::Import { file },
        } => {
            let imported = checkin_server::trust_list::import(
                store.as_ref(),
                &read(&file)?,
                chrono::Utc::now(),
            )
            .await?;
            say!(
                "{} certificates imported (list dated {}); stations download it at their next sync",
                imported.certificates,
                imported
                    .updated_at
                    .map_or_else(|| "undated".to_string(), |t| t.to_rfc3339())
            );
        }
        AdminCommand::TrustList {
            command: TrustListCommand::Show { json },
        } => match store.trust_list().await? {
            None if json => say!("null"),
            None => say!("no trust list imported: `admin trust-list import FILE`"),
            Some(t) if json => say!(
                "{}",
                serde_json::json!({
                    "certificates": t.certificates,
                    "updated_at": t.updated_at,
                    "imported_at": t.imported_at,
                })
            ),
            Some(t) => say!(
                "{} certificates, dated {}, imported {}",
                t.certificates,
                t.updated_at
                    .map_or_else(|| "-".to_string(), |u| u.to_rfc3339()),
                t.imported_at.to_rfc3339()
            ),
        },
        AdminCommand::Device {
            command: DeviceCommand::Revoke { device_id },
        } => {
            let id = device_id.trim();
            if admin::revoke_device(store.as_ref(), id).await? {
                say!(
                    "device {id} revoked: its next request is refused; \
                     enroll it again with a new enrollment code to bring it back"
                );
            } else {
                say!("device {id} was already revoked; nothing changed");
            }
        }
        AdminCommand::Purge { retention_days } => {
            let p = checkin_server::retention::purge(
                store.as_ref(),
                retention_days,
                chrono::Utc::now(),
            )
            .await?;
            say!(
                "personal data cleared from {} record(s) older than {retention_days} days; \
                 {} ended session(s) deleted; report counts kept",
                p.records,
                p.sessions
            );
        }
        AdminCommand::User {
            command: UserCommand::Add { login, role, unit },
        } => {
            let role: checkin_server_db::Role = role.parse().map_err(Usage)?;
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                usage!("no password on standard input: pipe it in, e.g. printf '%s\\n' \"$PASSWORD\" | checkin-server admin user add …");
            }
            let user = checkin_server::accounts::add_user(
                store.as_ref(),
                login.trim(),
                password,
                role,
                &unit,
                chrono::Utc::now(),
            )
            .await?;
            say!(
                "user {} added: {} of {}",
                user.login,
                user.role.as_str(),
                user.area_code
            );
        }
        AdminCommand::User {
            command: UserCommand::List { unit, format },
        } => {
            use checkin_server::accounts;
            let users = accounts::list_users(store.as_ref(), unit.as_deref()).await?;
            match format {
                ListFormat::Table => write_out(None, accounts::users_table(&users).as_bytes())?,
                ListFormat::Json => say!("{}", serde_json::to_string(&users)?),
                ListFormat::Csv => write_out(None, accounts::users_csv(&users).as_bytes())?,
            }
        }
        AdminCommand::User {
            command: UserCommand::Disable { login },
        } => {
            let user = checkin_server::accounts::set_disabled(
                store.as_ref(),
                &login,
                true,
                chrono::Utc::now(),
            )
            .await?;
            say!(
                "user {} disabled: its sessions are ended and it cannot log in \
                 until `admin user enable {}`",
                user.login,
                user.login
            );
        }
        AdminCommand::User {
            command: UserCommand::Enable { login },
        } => {
            let user = checkin_server::accounts::set_disabled(
                store.as_ref(),
                &login,
                false,
                chrono::Utc::now(),
            )
            .await?;
            say!("user {} enabled: it can log in again", user.login);
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
