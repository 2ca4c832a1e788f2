//! shopsync-bench: runs shopsync's real release binary against the sandbox and reports, per
//! scenario, records, wall time, records/s, the rate-limit bound computed from the sandbox's
//! configured vendor limits, the ratio achieved/bound, throttled answers and peak RSS.
//!
//! ```sh
//! cargo build --release -p shopsync -p shopsync-bench
//! target/release/shopsync-bench                       # every scenario
//! target/release/shopsync-bench --only real,lifted    # some of them
//! ```
//! Options: `--only LIST` (real, lifted, nochange, million), `--customers N` (default 100000),
//! `--million N` (default 1000000), `--scale X` (time scale of the real-rate scenario, default
//! 1 = the vendors' real pace), `--shopsync PATH` (default: `shopsync` next to this binary).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use shopsync_sandbox::{Sandbox, SandboxConfig};

/// HubSpot Professional: requests per rolling ten seconds, inputs per batch write.
const HUBSPOT_TEN_SECONDLY: u32 = 190;
const BATCH: f64 = 100.0;

struct Options {
    only: Vec<String>,
    customers: usize,
    million: usize,
    scale: f64,
    shopsync: PathBuf,
}

fn options() -> anyhow::Result<Options> {
    let mut o = Options {
        only: ["real", "lifted", "nochange", "million"]
            .map(String::from)
            .to_vec(),
        customers: 100_000,
        million: 1_000_000,
        scale: 1.0,
        shopsync: std::env::current_exe()?
            .parent()
            .context("binary dir")?
            .join("shopsync"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--only" => o.only = value()?.split(',').map(String::from).collect(),
            "--customers" => o.customers = value()?.parse()?,
            "--million" => o.million = value()?.parse()?,
            "--scale" => o.scale = value()?.parse()?,
            "--shopsync" => o.shopsync = value()?.into(),
            "-h" | "--help" => {
                println!("usage: shopsync-bench [--only real,lifted,nochange,million] [--customers N] [--million N] [--scale X] [--shopsync PATH]");
                std::process::exit(0);
            }
            other => bail!("unknown option {other} (see --help)"),
        }
    }
    if !o.shopsync.exists() {
        bail!(
            "{} not found: cargo build --release -p shopsync first, or pass --shopsync",
            o.shopsync.display()
        );
    }
    Ok(o)
}

/// What one shopsync run cost.
struct Measured {
    wall: f64,
    /// Seconds from start to the first contact written to HubSpot (the read phase: bulk export).
    first_write: Option<f64>,
    peak_rss_kb: u64,
    /// User + system CPU seconds of the shopsync process alone (the fakes run in this process).
    cpu: f64,
    exit: i32,
    report: serde_json::Value,
    hubspot_requests: u64,
    hubspot_429: u64,
    shopify_requests: u64,
    shopify_throttled: u64,
}

struct Home {
    dir: PathBuf,
}

impl Home {
    fn new(name: &str, sandbox: &Sandbox) -> anyhow::Result<Home> {
        let dir =
            std::env::temp_dir().join(format!("shopsync-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("profiles.toml"),
            format!(
                "[profiles.bench]\nsource = \"shopify\"\ntarget = \"hubspot\"\nstreams = [\"customers\"]\n\n\
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

async fn run_shopsync(
    shopsync: &Path,
    home: &Home,
    sandbox: &Sandbox,
    config: &SandboxConfig,
) -> anyhow::Result<Measured> {
    sandbox.hubspot.reset_stats();
    sandbox.shopify.reset_stats();
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let mut child = tokio::process::Command::new(shopsync)
        .args(["--json", "initial-sync", "--profile", "bench"])
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
    let status = loop {
        if let Some(kb) = vm_hwm_kb(pid) {
            peak = peak.max(kb);
        }
        if first_write.is_none() && sandbox.hubspot.stats().records_created > 0 {
            first_write = Some(started.elapsed().as_secs_f64());
        }
        tokio::select! {
            s = child.wait() => break s?,
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    };
    let wall = started.elapsed().as_secs_f64();
    let cpu = children_cpu_seconds() - cpu_before;
    let stdout = out.await??;
    let stderr = err.await??;
    let report = serde_json::from_slice(&stdout).unwrap_or_else(|_| {
        eprintln!("shopsync said:\n{}", String::from_utf8_lossy(&stderr));
        serde_json::Value::Null
    });
    let hs = sandbox.hubspot.stats();
    let sh = sandbox.shopify.stats();
    Ok(Measured {
        wall,
        first_write,
        peak_rss_kb: peak,
        cpu,
        exit: status.code().unwrap_or(-1),
        report,
        hubspot_requests: hs.requests_total,
        hubspot_429: hs.rate_limited.values().sum(),
        shopify_requests: sh.requests,
        shopify_throttled: sh.throttled + sh.http_429,
    })
}

async fn read_all(mut r: impl tokio::io::AsyncRead + Unpin) -> std::io::Result<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let mut v = Vec::new();
    r.read_to_end(&mut v).await?;
    Ok(v)
}

fn store(customers: usize, scale: f64, lifted: bool) -> SandboxConfig {
    let mut c = SandboxConfig {
        time_scale: scale,
        limits_lifted: lifted,
        hubspot_ten_secondly: HUBSPOT_TEN_SECONDLY,
        ..SandboxConfig::default()
    };
    c.seed.customers = customers;
    c.seed.products = 0;
    c.seed.orders = 0;
    c.seed.abandoned_checkouts = 0;
    c
}

struct Row {
    scenario: String,
    records: u64,
    m: Measured,
    /// Records/s the vendor limits allow (None: limits lifted).
    bound: Option<f64>,
}

fn records_written(report: &serde_json::Value) -> u64 {
    let c = &report["streams"]["customers"];
    ["create", "update"]
        .iter()
        .map(|k| c[k].as_u64().unwrap_or(0))
        .sum()
}

fn print_row(r: &Row) {
    let rate = r.records as f64 / r.m.wall;
    let (bound, ratio) = match r.bound {
        Some(b) => (format!("{b:.0}"), format!("{:.1}%", 100.0 * rate / b)),
        None => ("lifted".into(), "-".into()),
    };
    let writes = match (r.bound, r.m.first_write) {
        (Some(b), Some(t)) if r.m.wall > t => format!(
            "{:.1}% (after {t:.1} s read)",
            100.0 * r.records as f64 / (r.m.wall - t) / b
        ),
        (None, Some(t)) if r.m.wall > t => format!(
            "{:.0} records/s (after {t:.1} s read)",
            r.records as f64 / (r.m.wall - t)
        ),
        _ => "-".into(),
    };
    println!(
        "| {} | {} | {:.1} | {:.0} | {} | {} | {} | {:.1} | {:.0} | {} / {} | {} / {} | {:.0} | {} |",
        r.scenario,
        r.records,
        r.m.wall,
        rate,
        bound,
        ratio,
        writes,
        r.m.cpu,
        r.records as f64 / r.m.cpu.max(0.001),
        r.m.hubspot_429,
        r.m.hubspot_requests,
        r.m.shopify_throttled,
        r.m.shopify_requests,
        r.m.peak_rss_kb as f64 / 1024.0,
        r.m.exit
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let o = options()?;
    println!(
        "| scenario | records | wall s | records/s | bound records/s | achieved/bound | write phase/bound | shopsync CPU s | records per shopsync CPU s | HubSpot 429 / requests | Shopify throttled / requests | peak RSS MB | exit |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for name in &o.only {
        match name.as_str() {
            "real" => {
                let config = store(o.customers, o.scale, false);
                let sandbox = Sandbox::start(config.clone()).await?;
                let home = Home::new("real", &sandbox)?;
                let m = run_shopsync(&o.shopsync, &home, &sandbox, &config).await?;
                // HubSpot: 190 requests per 10 s (scaled), 100 inputs each. Shopify: the bulk
                // export is not rate-limited by cost points (one mutation, a few polls).
                let bound = HUBSPOT_TEN_SECONDLY as f64 / 10.0 * BATCH * o.scale;
                print_row(&Row {
                    scenario: format!("initial, real rates (x{})", o.scale),
                    records: records_written(&m.report),
                    m,
                    bound: Some(bound),
                });
            }
            "lifted" => {
                let config = store(o.customers, 1.0, true);
                let sandbox = Sandbox::start(config.clone()).await?;
                let home = Home::new("lifted", &sandbox)?;
                let m = run_shopsync(&o.shopsync, &home, &sandbox, &config).await?;
                print_row(&Row {
                    scenario: "initial, limits lifted".into(),
                    records: records_written(&m.report),
                    m,
                    bound: None,
                });
            }
            "nochange" => {
                let config = store(o.customers, 1.0, true);
                let sandbox = Sandbox::start(config.clone()).await?;
                let home = Home::new("nochange", &sandbox)?;
                let first = run_shopsync(&o.shopsync, &home, &sandbox, &config).await?;
                if first.exit != 0 {
                    bail!("the initial sync failed (exit {})", first.exit);
                }
                let m = run_shopsync(&o.shopsync, &home, &sandbox, &config).await?;
                print_row(&Row {
                    scenario: format!("no-change incremental ({} customers)", o.customers),
                    records: records_written(&m.report),
                    m,
                    bound: None,
                });
            }
            "million" => {
                let config = store(o.million, 1.0, true);
                let sandbox = Sandbox::start(config.clone()).await?;
                let home = Home::new("million", &sandbox)?;
                let m = run_shopsync(&o.shopsync, &home, &sandbox, &config).await?;
                let db = std::fs::metadata(home.dir.join("state/bench.sqlite"))
                    .map(|m| m.len())
                    .unwrap_or(0);
                print_row(&Row {
                    scenario: "initial, 1M, limits lifted".into(),
                    records: records_written(&m.report),
                    m,
                    bound: None,
                });
                println!(
                    "|   state DB {:.0} MB ({:.0} bytes/record) |||||||||||",
                    db as f64 / 1e6,
                    db as f64 / o.million as f64
                );
            }
            other => bail!("unknown scenario {other}"),
        }
    }
    Ok(())
}
