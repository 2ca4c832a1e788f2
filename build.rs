//! Stamps the binary with the commit it was built from and the build date, for `--version`
//! (`shopsync -V`: one line; `shopsync --version`: one line per fact, like `cargo -V -v`).
//! Building from a tarball without `.git` (or without git) works: the commit is then "unknown".

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

/// `YYYY-MM-DD` of a Unix time (UTC), without a date crate in the build script.
fn civil_date(unix: u64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let z = (unix / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let manifest = Path::new(&manifest);
    // Only this project's own repository: a tarball unpacked inside another one has no commit.
    let ours = git(manifest, &["rev-parse", "--show-toplevel"])
        .and_then(|top| Path::new(&top).canonicalize().ok())
        .zip(manifest.canonicalize().ok())
        .is_some_and(|(top, dir)| top == dir);
    let (hash, commit_date) = if ours {
        for path in ["HEAD", "packed-refs"] {
            if let Some(p) = git(manifest, &["rev-parse", "--git-path", path]) {
                println!("cargo:rerun-if-changed={}", manifest.join(p).display());
            }
        }
        if let Some(head_ref) = git(manifest, &["symbolic-ref", "-q", "HEAD"]) {
            if let Some(p) = git(manifest, &["rev-parse", "--git-path", &head_ref]) {
                println!("cargo:rerun-if-changed={}", manifest.join(p).display());
            }
        }
        (
            git(manifest, &["rev-parse", "--short=9", "HEAD"]),
            git(manifest, &["log", "-1", "--format=%cs"]),
        )
    } else {
        // Looked for again when a checkout appears (or when another copy of the package shared
        // this target dir last).
        println!("cargo:rerun-if-changed={}", manifest.join(".git").display());
        (None, None)
    };
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    let build_date = civil_date(now);
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let host = std::env::var("TARGET").unwrap_or_default();
    let short = match (&hash, &commit_date) {
        (Some(h), Some(d)) => format!("{version} ({h} {d})"),
        _ => format!("{version} (built {build_date})"),
    };
    let long = format!(
        "{short}\nrelease: {version}\ncommit-hash: {}\ncommit-date: {}\nbuild-date: {build_date}\nhost: {host}",
        hash.as_deref().unwrap_or("unknown"),
        commit_date.as_deref().unwrap_or("unknown"),
    );
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("version.rs");
    let code = format!(
        "/// `shopsync -V`.\npub const SHORT: &str = {short:?};\n/// `shopsync --version`.\npub const LONG: &str = {long:?};\n"
    );
    std::fs::write(out, code).expect("write version.rs");
}
