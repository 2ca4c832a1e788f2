//! `pull-customers`: Shopify customers into the back office (Tellix customers, or the customer
//! file). Incremental by `updatedAt` with a cursor in the state (the run's start time less a
//! look-back, so a customer changed while the run read is read again next time); `--full`
//! reads every customer; `--since` reads from a date.
//!
//! Tellix: a customer is linked to its Tellix customer in the state (`backoffice_customers`:
//! Shopify id -> Tellix id, with the fields last written). A customer not linked yet is paired
//! with an existing Tellix customer by e-mail (case-insensitive) before one is created, so a
//! first run never duplicates the back office's customers. A linked customer whose fields did
//! not change since the last write is left alone.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use serde_json::Value;

use super::{BackOffice, Report, Requests};
use crate::config::Profile;
use crate::connectors::files;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::{ReadMode, ShopifyClient};
use crate::connectors::tellix::{customer_body, id_text};
use crate::engine::plan::{diff, Action, Change, Counts};
use crate::engine::SourceItem;
use crate::error::{CliError, CliResult};
use crate::model::Customer;
use crate::model::Stream;
use crate::state::{Checkpoint, Failure, Fields, LinkUpdate, StateStore};
use crate::ui::Printer;

/// The state stream (links, cursor, retries) of this flow.
pub const STREAM: &str = "backoffice_customers";
/// Customers changed this long before a run started are read again by the next run.
const LOOKBACK: chrono::Duration = chrono::Duration::minutes(2);

pub struct Options {
    pub dry_run: bool,
    pub full: bool,
    /// Read customers changed at or after this instant (RFC 3339).
    pub since: Option<String>,
    /// The customer file (files back office): the flag, else the profile's `customers_file`.
    pub out: Option<PathBuf>,
    pub state_dir: PathBuf,
}

pub async fn run(
    profile: &Profile,
    shopify: ShopifyClient,
    backoffice: BackOffice,
    options: &Options,
    printer: &Printer,
) -> CliResult<Report> {
    let started = Instant::now();
    let run_start = chrono::Utc::now();
    let out = match &backoffice {
        BackOffice::Files(s) => {
            let path = options.out.clone().or_else(|| s.customers_file.clone()).ok_or_else(|| {
                CliError::config("no customer file to write")
                    .hint("pass --out FILE (.csv or .jsonl), or set `customers_file` in the profile's [backoffice] table")
            })?;
            files::Format::of(&path)?;
            Some(path)
        }
        BackOffice::Tellix(_) => {
            if options.out.is_some() {
                return Err(CliError::config(
                    "--out is for a file back office; this profile's back office is Tellix",
                )
                .hint("leave --out away: the customers are written to Tellix"));
            }
            None
        }
    };
    let state = StateStore::open(&options.state_dir, &profile.name)?;
    let command = if options.dry_run {
        "pull-customers --dry-run"
    } else {
        "pull-customers"
    };
    let run_id = state.begin_run(command, &profile.name, options.dry_run)?;
    crate::interrupt::install(printer.is_quiet());
    let cursor = state.cursor(STREAM)?;
    let mode = match (&options.since, options.full, &cursor) {
        (Some(since), _, _) => ReadMode::Since(since.clone()),
        (None, true, _) | (None, false, None) => ReadMode::Full,
        (None, false, Some(c)) => ReadMode::Since(c.clone()),
    };
    printer.status(match &mode {
        ReadMode::Full => "Reading every Shopify customer".to_string(),
        ReadMode::Since(t) => format!("Reading Shopify customers changed since {t}"),
    });
    let retries = state.retries(STREAM)?;
    let (customers, malformed) = read_customers(&shopify, &mode, &retries, profile).await?;

    let mut report = Report {
        command: "pull-customers",
        profile: profile.name.clone(),
        backoffice: backoffice.kind(),
        dry_run: options.dry_run,
        run_id,
        read: Some(if matches!(mode, ReadMode::Full) {
            "full"
        } else {
            "incremental"
        }),
        records: customers.len() as u64,
        counts: Counts::default(),
        changes: Vec::new(),
        failures: malformed,
        file: out.as_ref().map(|p| p.display().to_string()),
        seconds: 0.0,
        requests: Requests::default(),
        state_file: state.path().to_string(),
    };
    report.counts.failed = report.failures.len() as u64;

    let outcome = match (&backoffice, &out) {
        (BackOffice::Files(_), Some(path)) => {
            to_file(path, &customers, options.dry_run, &mut report)
        }
        (BackOffice::Tellix(t), _) => {
            to_tellix(t, &state, run_id, &customers, options.dry_run, &mut report).await
        }
        _ => unreachable!("a file back office has a path"),
    };
    let stopped = outcome.err();
    if !options.dry_run && stopped.is_none() && crate::interrupt::requested().is_none() {
        let next = (run_start - LOOKBACK).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        state.set_cursor(STREAM, &next)?;
    }
    super::finish(
        &mut report,
        started,
        &shopify,
        &backoffice,
        &state,
        run_id,
        stopped.is_some(),
    )?;
    match stopped {
        Some(e) => Err(e),
        None => Ok(report),
    }
}

/// Reads the customers to pull (and those that failed last time), in order of `updatedAt`.
async fn read_customers(
    shopify: &ShopifyClient,
    mode: &ReadMode,
    retries: &[String],
    profile: &Profile,
) -> CliResult<(Vec<Customer>, Vec<Failure>)> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<SourceItem>(2_000);
    let reader = async {
        let tx = tx;
        if !retries.is_empty() {
            shopify.read_ids(Stream::Customers, retries, &tx).await?;
        }
        shopify
            .read(
                Stream::Customers,
                mode,
                profile.table::<ShopifySettings>().bulk_threshold(),
                None,
                &tx,
            )
            .await
    };
    let collect = async {
        let mut customers: BTreeMap<String, Customer> = BTreeMap::new();
        let mut malformed = Vec::new();
        while let Some(item) = rx.recv().await {
            match item {
                SourceItem::Record(r) => {
                    if let crate::model::Record::Customer(c) = *r {
                        customers.insert(c.id.clone(), c);
                    }
                }
                SourceItem::Malformed { source_id, reason } => malformed.push(Failure {
                    stream: "customers".into(),
                    source_id: source_id.unwrap_or_default(),
                    reason,
                }),
                SourceItem::Position(_) => {} // not sent: this read has no position
            }
        }
        (customers, malformed)
    };
    let (read, (customers, malformed)) = tokio::join!(reader, collect);
    read?;
    let mut list: Vec<Customer> = customers.into_values().collect();
    list.sort_by(|a, b| (&a.updated_at, &a.id).cmp(&(&b.updated_at, &b.id)));
    Ok((list, malformed))
}

fn label(c: &Customer) -> String {
    c.email.clone().unwrap_or_else(|| {
        [c.first_name.as_deref(), c.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn to_file(
    path: &std::path::Path,
    customers: &[Customer],
    dry_run: bool,
    report: &mut Report,
) -> CliResult {
    let mut rows = files::customers::read(path)?;
    for c in customers {
        let row = files::customers::CustomerRow::from_customer(c);
        let new = fields_of(&serde_json::to_value(&row).unwrap_or_default());
        let (action, old) = match rows.get(&c.id) {
            None => (Action::Create, Fields::new()),
            Some(old) => {
                let old = fields_of(&serde_json::to_value(old).unwrap_or_default());
                if old == new {
                    (Action::Unchanged, old)
                } else {
                    (Action::Update, old)
                }
            }
        };
        report.counts.add(action);
        if action != Action::Unchanged {
            report.changes.push(Change {
                stream: "customers".into(),
                action,
                source_id: c.id.clone(),
                label: label(c),
                target_id: None,
                reason: None,
                fields: diff(&old, &new),
            });
        }
        rows.insert(c.id.clone(), row);
    }
    if !dry_run {
        files::customers::write(path, rows.values())?;
    }
    Ok(())
}

/// A JSON object's non-null values as strings, for comparing and for the state.
fn fields_of(v: &Value) -> Fields {
    v.as_object()
        .map(|o| {
            o.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    let s = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), s)
                })
                .filter(|(_, s)| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

async fn to_tellix(
    tellix: &crate::connectors::tellix::TellixBackOffice,
    state: &StateStore,
    run_id: i64,
    customers: &[Customer],
    dry_run: bool,
    report: &mut Report,
) -> CliResult {
    let ids: Vec<&str> = customers.iter().map(|c| c.id.as_str()).collect();
    let links = state.links(STREAM, &ids)?;
    // Customers not linked yet are paired with Tellix customers by e-mail.
    let mut by_email: HashMap<String, (String, Fields)> = HashMap::new();
    if customers.iter().any(|c| !links.contains_key(&c.id)) {
        for t in tellix.customers(None).await? {
            if t["isDeleted"] == true {
                continue;
            }
            if let Some(email) = t["email"].as_str().filter(|e| !e.is_empty()) {
                by_email
                    .entry(email.trim().to_lowercase())
                    .or_insert_with(|| (id_text(&t["customerId"]), fields_of(&t)));
            }
        }
    }
    // A Tellix customer is paired with one Shopify customer at most.
    let mut taken: Vec<String> = Vec::new();
    for c in customers {
        if crate::interrupt::requested().is_some() {
            break; // the customers not reached are read again next run (the cursor stays)
        }
        let body = customer_body(c);
        if body["name"].as_str().is_none_or(|n| n.trim().is_empty()) {
            // Tellix requires a name; one is made from the e-mail or phone when there is none.
            report.counts.skip += 1;
            report.changes.push(Change {
                stream: "customers".into(),
                action: Action::Skip,
                source_id: c.id.clone(),
                label: c.id.clone(),
                target_id: None,
                reason: Some("no name, e-mail or phone: Tellix needs a name".into()),
                fields: Vec::new(),
            });
            continue;
        }
        let new = fields_of(&body);
        let (target, old) = match links.get(&c.id) {
            Some(link) => (Some(link.target_id.clone()), link.fields.clone()),
            None => match c
                .email
                .as_ref()
                .and_then(|e| by_email.get(&e.trim().to_lowercase()))
                .filter(|(id, _)| !taken.contains(id))
            {
                Some((id, fields)) => {
                    taken.push(id.clone());
                    // Compare with what Tellix holds, on the fields shopsync writes.
                    let old = fields
                        .iter()
                        .filter(|(k, _)| new.contains_key(*k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    (Some(id.clone()), old)
                }
                None => (None, Fields::new()),
            },
        };
        let changes = diff(&old, &new);
        let action = match (&target, changes.is_empty()) {
            (None, _) => Action::Create,
            (Some(_), true) => Action::Unchanged,
            (Some(_), false) => Action::Update,
        };
        if action == Action::Unchanged {
            report.counts.add(action);
            if !dry_run && !links.contains_key(&c.id) {
                // Paired by e-mail and already equal: remember the pairing.
                state.checkpoint(
                    run_id,
                    STREAM,
                    &Checkpoint {
                        written: vec![LinkUpdate {
                            source_id: c.id.clone(),
                            target_id: target.clone().unwrap_or_default(),
                            fields: new.clone(),
                        }],
                        ..Default::default()
                    },
                )?;
            }
            continue;
        }
        let change = Change {
            stream: "customers".into(),
            action,
            source_id: c.id.clone(),
            label: label(c),
            target_id: target.clone(),
            reason: None,
            fields: changes,
        };
        if dry_run {
            report.counts.add(action);
            report.changes.push(change);
            continue;
        }
        match tellix.upsert_customer(target.as_deref(), &body).await {
            Ok(id) => {
                report.counts.add(action);
                report.changes.push(Change {
                    target_id: Some(id.clone()),
                    ..change
                });
                state.checkpoint(
                    run_id,
                    STREAM,
                    &Checkpoint {
                        written: vec![LinkUpdate {
                            source_id: c.id.clone(),
                            target_id: id,
                            fields: new,
                        }],
                        ..Default::default()
                    },
                )?;
            }
            Err(e @ crate::connectors::tellix::TellixError::Refused { .. }) => {
                let reason = e.to_string();
                report.counts.failed += 1;
                report.failures.push(Failure {
                    stream: "customers".into(),
                    source_id: c.id.clone(),
                    reason: reason.clone(),
                });
                state.checkpoint(
                    run_id,
                    STREAM,
                    &Checkpoint {
                        failed: vec![(c.id.clone(), reason)],
                        ..Default::default()
                    },
                )?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
