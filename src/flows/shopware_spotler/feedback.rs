//! Spotler -> shop: permission changes (opt-in, opt-out) and hard bounces since the last run,
//! and nothing else.
//!
//! A contact in the updates feed counts only where a mapped permission bit differs from what
//! shopsync last wrote (the link's fields): the feed lists every changed contact, shopsync's own
//! writes too, and those must not echo back. A permission taken over is written to the link
//! too, so the next push does not send the old value back.

use std::collections::{BTreeMap, BTreeSet};

use crate::connectors::shopware::{Shop, ShopwareError};
use crate::connectors::spotler::mapping::{permission_bits, FieldMap};
use crate::connectors::spotler::SpotlerClient;
use crate::engine::plan::{Action, Change, Counts, FieldChange};
use crate::error::CliResult;
use crate::state::{Checkpoint, Failure, LinkUpdate, StateStore};

const STREAM: &str = "customers";

#[derive(Debug, Default)]
pub struct Feedback {
    pub permissions_read: u64,
    pub permissions: Counts,
    pub bounces_read: u64,
    pub bounces: Counts,
    pub changes: Vec<Change>,
    pub failures: Vec<Failure>,
}

pub struct Settings<'a> {
    pub map: &'a FieldMap,
    /// The shop field a hard bounce turns off.
    pub permission_field: &'a str,
    pub bounce_field: Option<&'a str>,
    pub dry_run: bool,
    pub run_id: i64,
}

fn change(
    action: Action,
    source_id: &str,
    label: &str,
    target: &str,
    fields: Vec<FieldChange>,
) -> Change {
    Change {
        stream: STREAM.into(),
        action,
        source_id: source_id.into(),
        label: label.into(),
        target_id: Some(target.into()),
        reason: None,
        fields,
    }
}

/// Applies (or, dry, plans) what changed in Spotler in [from, to).
pub async fn pull(
    spotler: &SpotlerClient,
    shop: &Shop,
    state: &StateStore,
    settings: &Settings<'_>,
    from: &str,
    to: &str,
) -> CliResult<Feedback> {
    let mut out = Feedback::default();
    let updates = spotler.updates(from, to).await?;
    out.permissions_read = updates.len() as u64;
    let mut seen = BTreeSet::new();
    for contact in updates {
        let Some(ext) = contact["externalId"].as_str().map(str::to_string) else {
            continue;
        };
        // The feed is oldest first: the newest state of a contact is the one that counts.
        if !seen.insert(ext.clone()) {
            continue;
        }
        let Some(source_id) = state.source_id_of(STREAM, &ext)? else {
            // A contact this shop did not write (another shop's, or made in Spotler).
            continue;
        };
        let Some(link) = state.links(STREAM, &[&source_id])?.remove(&source_id) else {
            continue;
        };
        let bits: BTreeMap<i64, bool> = permission_bits(&contact).into_iter().collect();
        let mut writes: Vec<(String, bool)> = Vec::new();
        let mut fields = Vec::new();
        let mut new_link = link.fields.clone();
        for (bit, shop_field) in &settings.map.permissions {
            let Some(now) = bits.get(bit) else { continue };
            let key = format!("permissions.{bit}");
            let was = link.fields.get(&key).map(|v| v == "true");
            if was == Some(*now) {
                continue;
            }
            writes.push((shop_field.clone(), *now));
            fields.push(FieldChange {
                field: shop_field.clone(),
                old: was.map(|w| w.to_string()),
                new: Some(now.to_string()),
                old_not_kept: false,
            });
            new_link.insert(key, now.to_string());
        }
        let label = contact["properties"]["email"]
            .as_str()
            .unwrap_or(&ext)
            .to_string();
        if fields.is_empty() {
            out.permissions.add(Action::Unchanged);
            continue;
        }
        if !settings.dry_run {
            let mut written = Ok(());
            for (field, on) in &writes {
                written = shop.write_permission(&source_id, field, *on, None).await;
                if written.is_err() {
                    break;
                }
            }
            match written {
                Ok(()) => {
                    let cp = Checkpoint {
                        written: vec![LinkUpdate {
                            source_id: source_id.clone(),
                            target_id: ext.clone(),
                            fields: new_link,
                        }],
                        ..Default::default()
                    };
                    state.checkpoint(settings.run_id, STREAM, &cp)?;
                }
                Err(e @ ShopwareError::Refused { .. }) => {
                    out.permissions.failed += 1;
                    out.failures.push(Failure {
                        stream: "permissions".into(),
                        source_id,
                        reason: e.to_string(),
                    });
                    continue;
                }
                Err(e) => return Err(e.into()),
            }
        }
        out.permissions.add(Action::Update);
        let mut c = change(Action::Update, &source_id, &label, &ext, fields);
        c.stream = "permissions".into();
        out.changes.push(c);
    }

    let bounces = spotler.bounces(from, to).await?;
    out.bounces_read = bounces.len() as u64;
    let mut bounced = BTreeSet::new();
    for b in bounces {
        if !b.hard || !bounced.insert(b.external_id.clone()) {
            out.bounces.add(Action::Unchanged);
            continue;
        }
        let Some(source_id) = state.source_id_of(STREAM, &b.external_id)? else {
            out.bounces.add(Action::Unchanged);
            continue;
        };
        let note = format!("hard bounce {}", b.date);
        let mut fields = vec![FieldChange {
            field: settings.permission_field.into(),
            old: None,
            new: Some("false".into()),
            old_not_kept: false,
        }];
        if let Some(f) = settings.bounce_field {
            fields.push(FieldChange {
                field: f.into(),
                old: None,
                new: Some(note.clone()),
                old_not_kept: false,
            });
        }
        if !settings.dry_run {
            let note = settings.bounce_field.map(|f| (f, note.as_str()));
            if let Err(e) = shop
                .write_permission(&source_id, settings.permission_field, false, note)
                .await
            {
                match e {
                    ShopwareError::Refused { .. } => {
                        out.bounces.failed += 1;
                        out.failures.push(Failure {
                            stream: "bounces".into(),
                            source_id,
                            reason: e.to_string(),
                        });
                        continue;
                    }
                    e => return Err(e.into()),
                }
            }
        }
        out.bounces.add(Action::Update);
        let mut c = change(
            Action::Update,
            &source_id,
            &b.external_id,
            &b.external_id,
            fields,
        );
        c.stream = "bounces".into();
        out.changes.push(c);
    }
    Ok(out)
}
