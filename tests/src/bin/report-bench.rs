//! The officials' reports at scale: generates a province with 10,000 QR
//! points and 10 million records (check-ins and declarations of 400,000
//! people over 8 weeks) through the stores' real ingest, then times every
//! report and both tracing lookups, each several times, and prints (with
//! `--write FILE` replaces) the "## Reports at 10 million records" section
//! of docs/benchmarks.md.
//!
//!   bench/reports/run.sh          # SQLite, then PostgreSQL (with-postgres.sh)
//!
//! The SQLite database is generated under --dir (default
//! /var/tmp/checkin-report-bench); with --keep it stays and later runs of
//! the same size reuse it instead of generating again. PostgreSQL's data is
//! reused the same way when CHECKIN_TEST_POSTGRES_URL names a database that
//! already holds records; --postgres-only then times it without SQLite.

use anyhow::{bail, Context, Result};
use checkin_core::{
    verdict, Address, Birth, CheckIn, Declaration, DeclarationRecord, DeviceId, Direction,
    Exposures, Gender, IsoWeek, Policy, Record, RecordId, Source, Symptoms, Venue, VenueCategory,
    VenueId,
};
use checkin_server::reports::{self, Name, Params, UnitIndex};
use checkin_server_db::{
    Database, IncomingRecord, IngestBatch, NewDevice, Population, ReportedFigure, RosterMember,
    TokenGrant, Units, VenueRegistration,
};
use checkin_sync::protocol::Scope;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use rand::{rngs::StdRng, Rng, SeedableRng};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

const PROVINCE: &str = "38";
const DISTRICTS: usize = 27;
const COMMUNES_PER_DISTRICT: usize = 22;
const WEEKS: i64 = 8;
/// Share of records that are declarations, in percent.
const DECLARATION_PCT: u32 = 10;

struct Opts {
    records: usize,
    venues: usize,
    people: usize,
    runs: usize,
    dir: PathBuf,
    write: Option<PathBuf>,
    keep: bool,
    /// Skip SQLite (to time a kept PostgreSQL database on its own).
    postgres_only: bool,
}

fn parse_args() -> Result<Opts> {
    let mut o = Opts {
        records: 10_000_000,
        venues: 10_000,
        people: 400_000,
        runs: 7,
        dir: PathBuf::from("/var/tmp/checkin-report-bench"),
        write: None,
        keep: false,
        postgres_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().context("missing value");
        match a.as_str() {
            "--records" => o.records = val()?.parse()?,
            "--venues" => o.venues = val()?.parse()?,
            "--people" => o.people = val()?.parse()?,
            "--runs" => o.runs = val()?.parse::<usize>()?.max(1),
            "--dir" => o.dir = PathBuf::from(val()?),
            "--write" => o.write = Some(PathBuf::from(val()?)),
            "--keep" => o.keep = true,
            "--postgres-only" => o.postgres_only = true,
            other => bail!("unknown argument {other}"),
        }
    }
    if o.postgres_only && o.write.is_some() {
        bail!("--write needs both stores: the section has a column for each");
    }
    Ok(o)
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2021, 8, 2).expect("a Monday")
}

fn district_code(d: usize) -> String {
    format!("{}", 380 + d)
}

fn commune_code(d: usize, c: usize) -> String {
    format!("{}", 14000 + d * 100 + c)
}

/// The province in the dvhcvn layout `import-units` reads.
fn units_json() -> String {
    let mut districts = Vec::new();
    for d in 0..DISTRICTS {
        let communes: Vec<String> = (0..COMMUNES_PER_DISTRICT)
            .map(|c| {
                format!(
                    r#"{{"level3_id":"{}","name":"Xã Số {c}","type":"Xã"}}"#,
                    commune_code(d, c)
                )
            })
            .collect();
        districts.push(format!(
            r#"{{"level2_id":"{}","name":"Huyện Số {d}","type":"Huyện","level3s":[{}]}}"#,
            district_code(d),
            communes.join(",")
        ));
    }
    format!(
        r#"{{"data":[{{"level1_id":"{PROVINCE}","name":"Tỉnh Thanh Hóa","type":"Tỉnh","level2s":[{}]}}]}}"#,
        districts.join(",")
    )
}

fn all_communes() -> Vec<String> {
    (0..DISTRICTS)
        .flat_map(|d| (0..COMMUNES_PER_DISTRICT).map(move |c| commune_code(d, c)))
        .collect()
}

fn vn(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::east_opt(7 * 3600).expect("UTC+7"))
}

fn id_number(person: usize) -> String {
    format!("038{person:09}")
}

fn checkin(
    person: usize,
    venue: &VenueId,
    device: DeviceId,
    dir: Direction,
    at: DateTime<Utc>,
) -> Record {
    let code = format!(
        "{}|012345678|NGUYỄN VĂN {person}|15081990|Nam|Thanh Hóa|25052021",
        id_number(person)
    );
    let source = if person % 9 == 0 {
        Source::Paper
    } else {
        Source::Qr
    };
    let c = CheckIn::from_code(
        &code,
        venue.clone(),
        dir,
        source,
        device,
        vn(at),
        &Policy::default(),
    )
    .expect("a valid CCCD code");
    Record::Checkin(c)
}

fn declaration(
    person: usize,
    home: &str,
    venue: &VenueId,
    device: DeviceId,
    at: DateTime<Utc>,
) -> Record {
    let declaration = Declaration {
        full_name: format!("Nguyễn Văn {person}"),
        id_number: Some(id_number(person)),
        birth: Birth::Year(1990),
        gender: Gender::Male,
        nationality: "VN".into(),
        phone: format!("09{:08}", person % 100_000_000),
        email: None,
        address: Address {
            province_code: PROVINCE.into(),
            district_code: String::new(),
            commune_code: home.into(),
            street: String::new(),
        },
        places_visited: vec![],
        symptoms: Symptoms::default(),
        exposures: Exposures::default(),
        consent: true,
    };
    Record::Declaration(DeclarationRecord {
        id: RecordId::new(),
        device_seq: 1,
        venue_id: Some(venue.clone()),
        source: if person % 7 == 0 {
            Source::Paper
        } else {
            Source::Kiosk
        },
        device_id: device,
        device_time: vn(at),
        occurred_at: None,
        verdict: verdict(&declaration, &Policy::default()),
        declaration,
    })
}

fn incoming(r: &Record) -> IncomingRecord {
    let body = serde_json::to_string(r).expect("serialisable");
    let hash = checkin_server::secrets::hash_hex(body.as_bytes());
    IncomingRecord::of(r, body, hash)
}

/// Where a person lives: people are spread evenly over the communes.
fn home_of(person: usize, communes: &[String]) -> &str {
    &communes[person % communes.len()]
}

async fn generate(db: &dyn Database, o: &Opts) -> Result<()> {
    let started = Instant::now();
    db.import_units(&Units::from_dvhcvn_json(&units_json())?)
        .await?;
    let communes = all_communes();
    let mut rng = StdRng::seed_from_u64(38);
    let mut venues = Vec::with_capacity(o.venues);
    let mut regs = Vec::with_capacity(o.venues);
    for i in 0..o.venues {
        let commune = &communes[i % communes.len()];
        let id: VenueId = format!("{PROVINCE}-{commune}-V{i:05}").parse()?;
        regs.push(VenueRegistration {
            venue: Venue {
                id: id.clone(),
                name: format!("Điểm {i}"),
                category: VenueCategory::Market,
                commune_code: commune.clone(),
                address: String::new(),
            },
            province_code: PROVINCE.into(),
            registered_on: first_day() - Duration::days(30) + Duration::days((i % 80) as i64),
        });
        venues.push(id);
    }
    for chunk in regs.chunks(1000) {
        db.add_venues(chunk).await?;
    }
    // One enrolled device per venue; 1 venue in 20 never sends data.
    let now = Utc::now();
    let mut devices = Vec::with_capacity(o.venues);
    for v in &venues {
        let token = format!("bench-{v}");
        db.add_enrollment_token(&TokenGrant {
            token_hash: token.clone(),
            scope: Scope::Venue {
                venue_id: v.clone(),
            },
            province_code: PROVINCE.into(),
            created_at: now,
            expires_at: now + Duration::hours(1),
        })
        .await?;
        let id = DeviceId::new();
        db.enroll(
            &token,
            &NewDevice {
                id,
                credential_hash: format!("cred-{v}"),
                label: None,
                proof_hash: None,
                pass_key: None,
            },
            now,
        )
        .await?
        .map_err(|p| anyhow::anyhow!("enroll: {p:?}"))?;
        devices.push(id);
    }
    eprintln!("{} venues and devices in {:?}", o.venues, started.elapsed());
    let active: Vec<usize> = (0..o.venues).filter(|i| i % 20 != 7).collect();
    let per_batch = o.records.div_ceil(active.len() * WEEKS as usize);
    let start = Utc
        .from_local_datetime(&first_day().and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("a time")
        - Duration::hours(7);
    let mut stored = 0usize;
    'weeks: for week in 0..WEEKS {
        for &v in &active {
            if stored >= o.records {
                break 'weeks;
            }
            let n = per_batch.min(o.records - stored);
            let mut records = Vec::with_capacity(n);
            // A venue's regulars: people of its commune and the next ones.
            let base = rng.gen_range(0..o.people);
            for _ in 0..n {
                let person = (base + rng.gen_range(0..2_000)) % o.people;
                let at = start
                    + Duration::days(week * 7 + rng.gen_range(0..7))
                    + Duration::minutes(rng.gen_range(6 * 60..21 * 60));
                let r = if rng.gen_range(0..100) < DECLARATION_PCT {
                    declaration(
                        person,
                        home_of(person, &communes),
                        &venues[v],
                        devices[v],
                        at,
                    )
                } else {
                    let dir = if rng.gen_range(0..3) == 0 {
                        Direction::Out
                    } else {
                        Direction::In
                    };
                    checkin(person, &venues[v], devices[v], dir, at)
                };
                records.push(incoming(&r));
            }
            stored += records.len();
            db.ingest(&IngestBatch {
                device_id: devices[v],
                province_code: PROVINCE.into(),
                received_at: start + Duration::days(week * 7 + 7) - Duration::minutes(1),
                clock_skew_ms: 0,
                records,
            })
            .await?;
        }
        eprintln!("week {week}: {stored} records, {:?}", started.elapsed());
    }
    let pops: Vec<Population> = communes
        .iter()
        .map(|c| Population {
            province_code: PROVINCE.into(),
            unit_code: c.clone(),
            population: 8_000,
        })
        .collect();
    db.import_populations(&pops).await?;
    // 200 agencies of 40 staff, and every commune's figure each Sunday.
    let roster: Vec<RosterMember> = (0..8_000)
        .map(|i| {
            let commune = &communes[(i / 40) % communes.len()];
            RosterMember {
                province_code: PROVINCE.into(),
                commune_code: commune.clone(),
                agency: format!("Cơ quan {}", i / 40),
                full_name: format!("Cán bộ {i}"),
                person_key: format!("id:{}", id_number(i * 37 % o.people)),
            }
        })
        .collect();
    db.import_roster(&roster).await?;
    let mut figures = Vec::new();
    for week in 0..WEEKS {
        for c in &communes {
            figures.push(ReportedFigure {
                province_code: PROVINCE.into(),
                commune_code: c.clone(),
                agency: String::new(),
                date: first_day() + Duration::days(week * 7 + 6),
                reported: 700 + week * 10,
            });
        }
    }
    db.import_reported(&figures).await?;
    eprintln!("generated in {:?}", started.elapsed());
    Ok(())
}

struct Timing {
    what: String,
    median_ms: f64,
    max_ms: f64,
}

async fn time<F, Fut>(runs: usize, what: String, mut f: F) -> Result<Timing>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    // One untimed run fills the caches, as on a server answering all day.
    f().await?;
    let mut ms = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f().await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    Ok(Timing {
        what,
        median_ms: ms[ms.len() / 2],
        max_ms: ms[ms.len() - 1],
    })
}

async fn time_all(db: Arc<dyn Database>, o: &Opts) -> Result<Vec<Timing>> {
    let units = Arc::new(UnitIndex::load(db.as_ref()).await?);
    let week: IsoWeek = "2021-W36".parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let last = first_day() + Duration::days(WEEKS * 7 - 1);
    let mut out = Vec::new();
    for unit in [PROVINCE.to_string(), district_code(0), commune_code(0, 0)] {
        for name in Name::ALL {
            if name == Name::QrPoints && unit.len() == 5 {
                continue;
            }
            let params = Params {
                unit: unit.clone(),
                as_of: Some(last),
                compare: None,
                week: Some(week),
                from: Some(last - Duration::days(6)),
                to: Some(last),
            };
            let (db, units) = (db.clone(), units.clone());
            let t = time(
                o.runs,
                format!("{} --unit {unit}", name.as_str()),
                move || {
                    let (db, units, params) = (db.clone(), units.clone(), params.clone());
                    async move {
                        reports::run(db.as_ref(), &units, name, &params, last).await?;
                        Ok(())
                    }
                },
            )
            .await?;
            eprintln!("{}: {:.1} ms", t.what, t.median_ms);
            out.push(t);
        }
    }
    // Tracing: a busy venue over a day, a person over 4 weeks.
    let venue = format!("{PROVINCE}-{}-V00000", commune_code(0, 0));
    let day = Utc
        .from_local_datetime(&last.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("a time")
        - Duration::hours(7);
    let d2 = db.clone();
    out.push(
        time(o.runs, "trace venue, one day".into(), move || {
            let (db, venue) = (d2.clone(), venue.clone());
            async move {
                db.visits_at_venue(
                    PROVINCE,
                    &venue,
                    day - Duration::hours(24),
                    day + Duration::hours(24),
                )
                .await?;
                Ok(())
            }
        })
        .await?,
    );
    let d3 = db.clone();
    let person = format!("id:{}", id_number(1234));
    out.push(
        time(o.runs, "trace person, 28 days".into(), move || {
            let (db, person) = (d3.clone(), person.clone());
            async move {
                db.visits_of_person(
                    PROVINCE,
                    &person,
                    day - Duration::days(27),
                    day + Duration::days(1),
                )
                .await?;
                Ok(())
            }
        })
        .await?,
    );
    Ok(out)
}

async fn bench(url: &str, fresh: bool, o: &Opts) -> Result<(Vec<Timing>, u64)> {
    let db = checkin_server_db::open(url).await?;
    let stats = db.stats().await?;
    if fresh || stats.checkins + stats.declarations == 0 {
        generate(db.as_ref(), o).await?;
    } else {
        eprintln!(
            "reusing {} records at {url}",
            stats.checkins + stats.declarations
        );
    }
    let stats = db.stats().await?;
    Ok((time_all(db, o).await?, stats.checkins + stats.declarations))
}

fn main() -> Result<()> {
    let o = parse_args()?;
    std::fs::create_dir_all(&o.dir)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let sqlite = o.dir.join(format!("reports-{}.db", o.records));
    let mut results = Vec::new();
    if !o.postgres_only {
        results.push((
            "SQLite",
            rt.block_on(bench(&format!("sqlite://{}", sqlite.display()), false, &o))?,
        ));
    }
    // About 2 KB a record with its indexes: the two stores do not fit on
    // this disk at once, so SQLite's file goes unless --keep.
    if !o.keep && !o.postgres_only {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", sqlite.display()));
        }
    }
    let mut failed = None;
    if let Ok(url) = std::env::var("CHECKIN_TEST_POSTGRES_URL") {
        match rt.block_on(bench(&url, false, &o)) {
            Ok(r) => results.push(("PostgreSQL", r)),
            Err(e) => {
                eprintln!("PostgreSQL: {e:#}");
                failed = Some(format!("{e:#}"));
            }
        }
    }
    if results.is_empty() {
        bail!("nothing was measured: {}", failed.unwrap_or_default());
    }
    let mut md = String::new();
    writeln!(md, "## Reports at 10 million records\n")?;
    writeln!(
        md,
        "Measured by `bench/reports/run.sh` (`report-bench`, release; {} UTC, {} CPUs). \
         One province of {} districts and {} communes, {} QR points with one enrolled device each \
         (1 in 20 never sends data), {} people; records stored through the stores' own ingest \
         (report columns, day counts and declarants on), {}% declarations, the rest check-ins \
         (2 in 3 entries), over {} weeks. Each figure is the median of {} runs after one untimed \
         run (max in brackets), calling `reports::run` as the dashboard and CLI do. Goal: every \
         report ≤ 200 ms.\n",
        Utc::now().format("%Y-%m-%d %H:%M"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        DISTRICTS,
        DISTRICTS * COMMUNES_PER_DISTRICT,
        o.venues,
        o.people,
        DECLARATION_PCT,
        WEEKS,
        o.runs
    )?;
    let head: Vec<String> = results
        .iter()
        .map(|(name, (_, n))| format!("{name} ({n} records)"))
        .collect();
    writeln!(md, "| report | {} |", head.join(" | "))?;
    writeln!(md, "|---|{}", "---|".repeat(results.len()))?;
    for i in 0..results[0].1 .0.len() {
        let cells: Vec<String> = results
            .iter()
            .map(|(_, (t, _))| format!("{:.1} ms ({:.1})", t[i].median_ms, t[i].max_ms))
            .collect();
        writeln!(
            md,
            "| `{}` | {} |",
            results[0].1 .0[i].what,
            cells.join(" | ")
        )?;
    }
    if let Some(e) = failed {
        writeln!(md, "\nPostgreSQL was not measured in this run: {e}.")?;
    }
    print!("{md}");
    if let Some(path) = &o.write {
        let status = std::process::Command::new("python3")
            .arg("scripts/bench_md.py")
            .arg("Reports at 10 million records")
            .arg(path)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin
                    .take()
                    .expect("piped")
                    .write_all(md.split_once('\n').map_or("", |x| x.1).as_bytes())?;
                c.wait()
            })?;
        if !status.success() {
            bail!("writing {} failed", path.display());
        }
    }
    Ok(())
}
