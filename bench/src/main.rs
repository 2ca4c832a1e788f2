//! shopsync-bench: runs shopsync's real binary against the sandbox and reports, per scenario,
//! records, wall time, records/s, the rate-limit bound computed from the sandbox's configured
//! vendor limits, the ratio achieved/bound, throttled answers and peak RSS. Given a second
//! binary (`--baseline`), it runs both in turn, alternating, and prints the medians of each and
//! their ratios: an old and a new build measured in one run, under the same load.
//!
//! ```sh
//! cargo build --release -p shopsync -p shopsync-bench
//! target/release/shopsync-bench                       # every scenario
//! target/release/shopsync-bench --only real,lifted    # some of them
//! target/release/shopsync-bench --only lifted --baseline /tmp/shopsync-old --runs 5
//! ```
//! See `--help` for every option.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use shopsync_sandbox::{Sandbox, SandboxConfig};

/// HubSpot Professional: requests per rolling ten seconds, inputs per batch write.
const HUBSPOT_TEN_SECONDLY: u32 = 190;
const BATCH: f64 = 100.0;

const USAGE: &str = "usage: shopsync-bench [options]

Scenarios (--only, comma-separated; default real,lifted,nochange,million):
  real       customers at the vendors' rate limits (divided by --scale)
  lifted     customers with every rate limit lifted: shopsync's own overhead
  nochange   a second run with nothing changed (limits lifted)
  million    --million customers, limits lifted: peak RSS and the state DB size
  streams    products, customers and orders with line items at the vendors' rate limits,
             each phase timed against HubSpot's bound
  orders     a dry run of --orders orders with their line items at Shopify's Standard rates
             (100 points/s): how fast the orders are read, paced by what their pages cost

Options:
  --customers N      customers in real/lifted/nochange (default 100000)
  --million N        customers in million (default 1000000)
  --streams-size P,C,O  products, customers, orders in streams (default 500,5000,2000)
  --orders N         orders in orders (default 300)
  --scale X          time scale of real and streams (1 = the vendors' pace; default 1)
  --shopsync PATH    the binary measured (default: shopsync next to this binary)
  --baseline PATH    an older binary: each scenario runs both, alternating, and prints
                     the medians of each and new/baseline ratios
  --runs N           runs per binary and scenario (default 1, or 3 with --baseline)";

struct Options {
    only: Vec<String>,
    customers: usize,
    million: usize,
    streams_size: (usize, usize, usize),
    orders: usize,
    scale: f64,
    shopsync: PathBuf,
    baseline: Option<PathBuf>,
    runs: usize,
}

fn options() -> anyhow::Result<Options> {
    let mut o = Options {
        only: ["real", "lifted", "nochange", "million"]
            .map(String::from)
            .to_vec(),
        customers: 100_000,
        million: 1_000_000,
        streams_size: (500, 5_000, 2_000),
        orders: 300,
        scale: 1.0,
        shopsync: std::env::current_exe()?
            .parent()
            .context("binary dir")?
            .join("shopsync"),
        baseline: None,
        runs: 0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--only" => o.only = value()?.split(',').map(String::from).collect(),
            "--customers" => o.customers = value()?.parse()?,
            "--million" => o.million = value()?.parse()?,
            "--streams-size" => {
                let v = value()?;
                let n: Vec<usize> = v
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()
                    .with_context(|| format!("--streams-size {v}: expected P,C,O"))?;
                let [p, c, or] = n[..] else {
                    bail!("--streams-size {v}: expected three numbers, P,C,O");
                };
                o.streams_size = (p, c, or);
            }
            "--orders" => o.orders = value()?.parse()?,
            "--scale" => o.scale = value()?.parse()?,
            "--shopsync" => o.shopsync = value()?.into(),
            "--baseline" => o.baseline = Some(value()?.into()),
            "--runs" => o.runs = value()?.parse()?,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown option {other} (see --help)"),
        }
    }
    if o.runs == 0 {
        o.runs = if o.baseline.is_some() { 3 } else { 1 };
    }
    for binary in std::iter::once(&o.shopsync).chain(&o.baseline) {
        if !binary.exists() {
            bail!(
                "{} not found: cargo build --release -p shopsync first, or pass --shopsync",
                binary.display()
            );
        }
    }
    Ok(o)
}

/// One HubSpot object type's write phase within a run: from its first record written to its
/// last, and the HubSpot requests made meanwhile.
#[derive(Clone, Debug)]
struct Phase {
    object: String,
    records: u64,
    seconds: f64,
    requests: u64,
}

/// What one shopsync run cost.
#[derive(Clone)]
struct Measured {
    wall: f64,
    /// Seconds from start to the first record written to HubSpot (the read phase).
    first_write: Option<f64>,
    peak_rss_kb: u64,
    /// User + system CPU seconds of the shopsync process alone (the fakes run in this process).
    cpu: f64,
    exit: i32,
    records: u64,
    hubspot_requests: u64,
    hubspot_429: u64,
    shopify_requests: u64,
    shopify_throttled: u64,
    phases: Vec<Phase>,
}

struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(name: &str, sandbox: &Sandbox, streams: &[&str]) -> anyhow::Result<Home> {
        let dir =
            std::env::temp_dir().join(format!("shopsync-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let streams = streams
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        std::fs::write(
            dir.join("profiles.toml"),
            format!(
                "[profiles.bench]\nsource = \"shopify\"\ntarget = \"hubspot\"\nstreams = [{streams}]\n\n\
                 [profiles.bench.shopify]\nshop = \"sandbox-store.myshopify.com\"\nbase_url = \"{}\"\n\n\
                 [profiles.bench.hubspot]\nbase_url = \"{}\"\n",
                sandbox.shopify_url(),
                sandbox.hubspot_url()
            ),
        )?;
        Ok(Home { dir })
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// CPU seconds used so far by this process's waited-for children.
fn children_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Tracks, per HubSpot object type, when its writes started and last changed.
#[derive(Default)]
struct PhaseClock {
    /// object -> (records, first change s, last change s, requests before first, requests at last)
    seen: BTreeMap<String, (u64, f64, f64, u64, u64)>,
    last_requests: u64,
}

impl PhaseClock {
    fn sample(&mut self, t: f64, stats: &shopsync_sandbox::hubspot::HubSpotStats) {
        for (object, &n) in &stats.written_by_object {
            let before = self.last_requests;
            let e = self
                .seen
                .entry(object.clone())
                .or_insert((0, t, t, before, before));
            if n != e.0 {
                e.0 = n;
                e.2 = t;
                e.4 = stats.requests_total;
            }
        }
        self.last_requests = stats.requests_total;
    }

    fn phases(&self) -> Vec<Phase> {
        self.seen
            .iter()
            .map(|(object, &(records, first, last, req0, req1))| Phase {
                object: object.clone(),
                records,
                seconds: last - first,
                requests: req1.saturating_sub(req0),
            })
            .collect()
    }
}

async fn run_shopsync(
    shopsync: &Path,
    home: &Home,
    sandbox: &Sandbox,
    config: &SandboxConfig,
    dry_run: bool,
) -> anyhow::Result<Measured> {
    sandbox.hubspot.reset_stats();
    sandbox.shopify.reset_stats();
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let mut args = vec!["--json", "initial-sync", "--profile", "bench"];
    if dry_run {
        args.push("--dry-run");
    }
    let mut child = tokio::process::Command::new(shopsync)
        .args(&args)
        .env("SHOPSYNC_CONFIG", home.dir.join("profiles.toml"))
        .env("SHOPSYNC_STATE_DIR", home.dir.join("state"))
        .env("SHOPSYNC_BENCH_SHOPIFY_TOKEN", &config.shopify_token)
        .env("SHOPSYNC_BENCH_HUBSPOT_TOKEN", &config.hubspot_token)
        .env("HOME", &home.dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("start shopsync")?;
    let pid = child.id().context("pid")?;
    let stdout = child.stdout.take().context("stdout")?;
    let stderr = child.stderr.take().context("stderr")?;
    let out = tokio::spawn(read_all(stdout));
    let err = tokio::spawn(read_all(stderr));
    let mut peak = 0;
    let mut first_write = None;
    let mut clock = PhaseClock::default();
    let status = loop {
        if let Some(kb) = vm_hwm_kb(pid) {
            peak = peak.max(kb);
        }
        let t = started.elapsed().as_secs_f64();
        let stats = sandbox.hubspot.stats();
        if first_write.is_none() && stats.records_created > 0 {
            first_write = Some(t);
        }
        clock.sample(t, &stats);
        tokio::select! {
            s = child.wait() => break s?,
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    };
    let wall = started.elapsed().as_secs_f64();
    let cpu = children_cpu_seconds() - cpu_before;
    let hs = sandbox.hubspot.stats();
    clock.sample(wall, &hs);
    let stdout = out.await??;
    let stderr = err.await??;
    let report: serde_json::Value = serde_json::from_slice(&stdout).unwrap_or_else(|_| {
        eprintln!("shopsync said:\n{}", String::from_utf8_lossy(&stderr));
        serde_json::Value::Null
    });
    let sh = sandbox.shopify.stats();
    Ok(Measured {
        wall,
        first_write,
        peak_rss_kb: peak,
        cpu,
        exit: status.code().unwrap_or(-1),
        records: records_written(&report),
        hubspot_requests: hs.requests_total,
        hubspot_429: hs.rate_limited.values().sum(),
        shopify_requests: sh.requests,
        shopify_throttled: sh.throttled + sh.http_429,
        phases: clock.phases(),
    })
}

async fn read_all(mut r: impl tokio::io::AsyncRead + Unpin) -> std::io::Result<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut v = Vec::new();
    r.read_to_end(&mut v).await?;
    Ok(v)
}

fn store(
    (products, customers, orders): (usize, usize, usize),
    scale: f64,
    lifted: bool,
) -> SandboxConfig {
    let mut c = SandboxConfig {
        time_scale: scale,
        limits_lifted: lifted,
        hubspot_ten_secondly: HUBSPOT_TEN_SECONDLY,
        ..SandboxConfig::default()
    };
    c.seed.customers = customers;
    c.seed.products = products;
    c.seed.orders = orders;
    c.seed.abandoned_checkouts = 0;
    c
}

/// Records created or updated in HubSpot, over every stream of the run report.
fn records_written(report: &serde_json::Value) -> u64 {
    let Some(streams) = report["streams"].as_object() else {
        return 0;
    };
    streams
        .values()
        .flat_map(|s| ["create", "update"].map(|k| s[k].as_u64().unwrap_or(0)))
        .sum()
}

/// HubSpot's sustained request rate at `scale`, in requests per second.
fn hubspot_requests_per_second(scale: f64) -> f64 {
    HUBSPOT_TEN_SECONDLY as f64 / 10.0 * scale
}

/// One scenario, ready to run any number of times with any binary.
struct Scenario {
    name: String,
    size: (usize, usize, usize),
    streams: &'static [&'static str],
    scale: f64,
    lifted: bool,
    /// Run once before the measured run (the no-change scenario).
    warm_up: bool,
    /// Print the state DB size after the run.
    db_size: bool,
    /// Plan only (`--dry-run`): nothing is written to HubSpot.
    dry_run: bool,
}

impl Scenario {
    fn from_name(name: &str, o: &Options) -> anyhow::Result<Scenario> {
        let customers_only = |n: usize| (0, n, 0);
        let base = Scenario {
            name: String::new(),
            size: customers_only(o.customers),
            streams: &["customers"],
            scale: 1.0,
            lifted: true,
            warm_up: false,
            db_size: false,
            dry_run: false,
        };
        Ok(match name {
            "real" => Scenario {
                name: format!("initial, real rates (x{})", o.scale),
                scale: o.scale,
                lifted: false,
                ..base
            },
            "lifted" => Scenario {
                name: format!("initial, limits lifted ({} customers)", o.customers),
                ..base
            },
            "nochange" => Scenario {
                name: format!("no-change incremental ({} customers)", o.customers),
                warm_up: true,
                ..base
            },
            "million" => Scenario {
                name: format!("initial, {} customers, limits lifted", o.million),
                size: customers_only(o.million),
                db_size: true,
                ..base
            },
            "streams" => Scenario {
                name: format!(
                    "initial, 3 streams, real rates (x{}; {} products, {} customers, {} orders)",
                    o.scale, o.streams_size.0, o.streams_size.1, o.streams_size.2
                ),
                size: o.streams_size,
                streams: &["products", "customers", "orders"],
                scale: o.scale,
                lifted: false,
                ..base
            },
            "orders" => Scenario {
                name: format!(
                    "dry run, {} orders with line items, Shopify Standard rates",
                    o.orders
                ),
                size: (0, 0, o.orders),
                streams: &["orders"],
                lifted: false,
                dry_run: true,
                ..base
            },
            other => bail!("unknown scenario {other} (see --help)"),
        })
    }

    /// Records/s the vendor limits allow for a customers-only run (None: limits lifted or a mix
    /// of streams, whose bound is per phase).
    fn bound(&self) -> Option<f64> {
        (!self.lifted && self.streams == ["customers"])
            .then(|| hubspot_requests_per_second(self.scale) * BATCH)
    }

    async fn run(&self, shopsync: &Path) -> anyhow::Result<(Measured, Option<u64>)> {
        let config = store(self.size, self.scale, self.lifted);
        let sandbox = Sandbox::start(config.clone()).await?;
        let home = Home::new("run", &sandbox, self.streams)?;
        if self.warm_up {
            let first = run_shopsync(shopsync, &home, &sandbox, &config, false).await?;
            if first.exit != 0 {
                bail!("the warm-up sync failed (exit {})", first.exit);
            }
        }
        let m = run_shopsync(shopsync, &home, &sandbox, &config, self.dry_run).await?;
        let db = self
            .db_size
            .then(|| std::fs::metadata(home.dir.join("state/bench.sqlite")).map(|m| m.len()))
            .transpose()?;
        Ok((m, db))
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The medians of several runs of one binary.
struct Summary {
    runs: usize,
    records: f64,
    wall: f64,
    rate: f64,
    cpu: f64,
    per_cpu: f64,
    first_write: Option<f64>,
    rss_mb: f64,
    hubspot_429: f64,
    hubspot_requests: f64,
    shopify_throttled: f64,
    shopify_requests: f64,
    exits: String,
    db_bytes: Option<f64>,
    phases: Vec<Phase>,
}

fn summarise(runs: &[(Measured, Option<u64>)]) -> Summary {
    let med = |f: &dyn Fn(&Measured) -> f64| median(runs.iter().map(|(m, _)| f(m)).collect());
    let first: Vec<f64> = runs.iter().filter_map(|(m, _)| m.first_write).collect();
    let dbs: Vec<f64> = runs
        .iter()
        .filter_map(|(_, d)| d.map(|d| d as f64))
        .collect();
    let mut exits: Vec<String> = runs.iter().map(|(m, _)| m.exit.to_string()).collect();
    exits.dedup();
    // Phases: the median of each object type's seconds and requests over the runs.
    let mut by_object: BTreeMap<String, Vec<&Phase>> = BTreeMap::new();
    for (m, _) in runs {
        for p in &m.phases {
            by_object.entry(p.object.clone()).or_default().push(p);
        }
    }
    let phases = by_object
        .into_iter()
        .map(|(object, ps)| Phase {
            records: median(ps.iter().map(|p| p.records as f64).collect()) as u64,
            seconds: median(ps.iter().map(|p| p.seconds).collect()),
            requests: median(ps.iter().map(|p| p.requests as f64).collect()) as u64,
            object,
        })
        .collect();
    Summary {
        runs: runs.len(),
        records: med(&|m| m.records as f64),
        wall: med(&|m| m.wall),
        rate: med(&|m| m.records as f64 / m.wall),
        cpu: med(&|m| m.cpu),
        per_cpu: med(&|m| m.records as f64 / m.cpu.max(0.001)),
        first_write: (!first.is_empty()).then(|| median(first)),
        rss_mb: med(&|m| m.peak_rss_kb as f64 / 1024.0),
        hubspot_429: med(&|m| m.hubspot_429 as f64),
        hubspot_requests: med(&|m| m.hubspot_requests as f64),
        shopify_throttled: med(&|m| m.shopify_throttled as f64),
        shopify_requests: med(&|m| m.shopify_requests as f64),
        exits: exits.join(","),
        db_bytes: (!dbs.is_empty()).then(|| median(dbs)),
        phases,
    }
}

const HEADER: &str = "| scenario | binary | runs | records | wall s | records/s | bound records/s | achieved/bound | shopsync CPU s | records per shopsync CPU s | HubSpot 429 / requests | Shopify throttled / requests | peak RSS MB | exit |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

fn print_summary(scenario: &Scenario, binary: &str, s: &Summary) {
    let (bound, ratio) = match scenario.bound() {
        Some(b) => {
            let write = match s.first_write {
                Some(t) if s.wall > t => {
                    format!(
                        " (write phase {:.1}%)",
                        100.0 * s.records / (s.wall - t) / b
                    )
                }
                _ => String::new(),
            };
            (
                format!("{b:.0}"),
                format!("{:.1}%{write}", 100.0 * s.rate / b),
            )
        }
        None if scenario.lifted => ("lifted".into(), "-".into()),
        None => ("per phase".into(), "below".into()),
    };
    println!(
        "| {} | {binary} | {} | {:.0} | {:.2} | {:.0} | {bound} | {ratio} | {:.2} | {:.0} | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} | {} |",
        scenario.name,
        s.runs,
        s.records,
        s.wall,
        s.rate,
        s.cpu,
        s.per_cpu,
        s.hubspot_429,
        s.hubspot_requests,
        s.shopify_throttled,
        s.shopify_requests,
        s.rss_mb,
        s.exits
    );
}

/// Lines printed under the table: the state DB size, and each phase against its bound.
fn extras(scenario: &Scenario, binary: &str, s: &Summary, notes: &mut Vec<String>) {
    if let Some(db) = s.db_bytes {
        let records = scenario.size.1.max(1) as f64;
        notes.push(format!(
            "- {}, {binary}: state DB {:.0} MB ({:.0} bytes per customer)",
            scenario.name,
            db / 1e6,
            db / records
        ));
    }
    if !scenario.lifted && scenario.streams.len() > 1 {
        let rate = hubspot_requests_per_second(scenario.scale);
        for p in &s.phases {
            let bound = p.requests as f64 / rate;
            notes.push(format!(
                "- {}, {binary}: {} phase: {} records in {:.1} s with {} HubSpot requests (bound {:.1} s: {:.0}%)",
                scenario.name,
                p.object,
                p.records,
                p.seconds,
                p.requests,
                bound,
                if p.seconds > 0.0 { 100.0 * bound / p.seconds } else { 100.0 }
            ));
        }
    }
}

fn ratio(scenario: &Scenario, new: &Summary, old: &Summary) -> String {
    format!(
        "- {}: new/baseline wall {:.3}, records/s {:.3}, CPU {:.3}, records per CPU s {:.3}, peak RSS {:.3}",
        scenario.name,
        new.wall / old.wall,
        new.rate / old.rate,
        new.cpu / old.cpu,
        new.per_cpu / old.per_cpu,
        new.rss_mb / old.rss_mb
    )
}

fn version(binary: &Path) -> String {
    std::process::Command::new(binary)
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .replace('\n', "; ")
        })
        .unwrap_or_else(|e| format!("unknown ({e})"))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let o = options()?;
    let scenarios = o
        .only
        .iter()
        .map(|name| Scenario::from_name(name, &o))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut binaries = vec![("new", o.shopsync.clone())];
    if let Some(b) = &o.baseline {
        // The baseline runs first in every round, so neither binary always gets a warm cache.
        binaries.insert(0, ("baseline", b.clone()));
    }
    for (label, path) in &binaries {
        eprintln!("{label}: {} ({})", path.display(), version(path));
    }
    eprintln!("load average before: {}", load_average());
    println!("{HEADER}");
    let mut notes = Vec::new();
    for scenario in &scenarios {
        let mut runs: Vec<Vec<(Measured, Option<u64>)>> = vec![Vec::new(); binaries.len()];
        for round in 0..o.runs {
            // Alternate the order each round: baseline, new, new, baseline, ...
            let order: Vec<usize> = if round % 2 == 0 {
                (0..binaries.len()).collect()
            } else {
                (0..binaries.len()).rev().collect()
            };
            for i in order {
                runs[i].push(scenario.run(&binaries[i].1).await?);
            }
        }
        let summaries: Vec<Summary> = runs.iter().map(|r| summarise(r)).collect();
        for ((label, _), s) in binaries.iter().zip(&summaries) {
            print_summary(scenario, label, s);
        }
        if let [old, new] = &summaries[..] {
            notes.push(ratio(scenario, new, old));
        }
        for ((label, _), s) in binaries.iter().zip(&summaries) {
            extras(scenario, label, s, &mut notes);
        }
    }
    if !notes.is_empty() {
        println!();
        for note in notes {
            println!("{note}");
        }
    }
    eprintln!("load average after: {}", load_average());
    Ok(())
}
