//! Shopware -> Spotler Mail+: customers become contacts keyed by the external id the profile
//! chose; on every run after the first, permission changes and hard bounces come back first
//! (`feedback`), then the shop's changed customers go out through the engine.

pub mod feedback;

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use crate::config::credentials::{self, Secret};
use crate::config::Profile;
use crate::connectors::shopware::settings::ShopwareSettings;
use crate::connectors::shopware::Shop;
use crate::connectors::spotler::mapping::{self, FieldMap, Requested, ShopField, ShopKind};
use crate::connectors::spotler::settings::SpotlerSettings;
use crate::connectors::spotler::{client::Property, SpotlerClient, SpotlerTarget};
use crate::connectors::system::System;
use crate::engine::oneway::{run_streams, NextCursor, PlannedStream, RunOptions};
use crate::error::{CliError, CliResult};
use crate::flows::oneway::{open_state, OneWayRun};
use crate::flows::report::{Requests, StreamSummary, SyncOptions, SyncReport, SystemRequests};
use crate::model::Stream;
use crate::ui::{Printer, RunProgress};

/// The shop field the profile chose as the contact's external id, as last used.
pub const KEY_META: &str = "spotler.external_id_key";
/// Where the Spotler feeds were last read up to (`yyyy-mm-ddThh:mm:ss`, UTC).
const FEEDBACK_CURSOR: &str = "spotler.feedback";
const STREAM: Stream = Stream::Customers;

/// The four secrets of this flow.
pub struct Credentials {
    pub shopware_user: Secret,
    pub shopware_key: Secret,
    pub spotler_key: Secret,
    pub spotler_secret: Secret,
}

impl Credentials {
    /// From the environment or the keyring (`shopsync auth set NAME spotler-key`, ...).
    pub fn resolve(profile: &str) -> CliResult<Credentials> {
        Ok(Credentials {
            shopware_user: credentials::resolve(profile, System::ShopwareUser)?.0,
            shopware_key: credentials::resolve(profile, System::ShopwareKey)?.0,
            spotler_key: credentials::resolve(profile, System::SpotlerKey)?.0,
            spotler_secret: credentials::resolve(profile, System::SpotlerSecret)?.0,
        })
    }
}

/// Both systems' clients for a validated Shopware -> Spotler profile.
pub fn clients(profile: &Profile, creds: Credentials) -> (Shop, SpotlerClient) {
    let sw = profile.table::<ShopwareSettings>();
    (
        Shop::new(
            &sw.kind,
            &sw.base_url,
            creds.shopware_user,
            creds.shopware_key,
        ),
        SpotlerClient::new(
            &profile.table::<SpotlerSettings>().api_base_url(),
            creds.spotler_key,
            creds.spotler_secret,
        ),
    )
}

/// Both catalogues and the checked map between them. Reading them proves both credentials;
/// a map that does not fit is a config error that names every problem.
pub struct Catalogues {
    pub shop: Vec<ShopField>,
    pub spotler: Vec<Property>,
    pub map: FieldMap,
    /// Property -> (Spotler type, shop kind) of each mapped property.
    pub kinds: BTreeMap<String, (String, ShopKind)>,
}

/// Reads both catalogues and checks the map; a map that does not fit is a config error that
/// names every problem.
pub async fn catalogues(
    profile: &Profile,
    shop: &Shop,
    spotler: &SpotlerClient,
) -> CliResult<Catalogues> {
    let (shop_fields, properties) = read_catalogues(shop, spotler).await?;
    match check_map(profile, &shop_fields, &properties) {
        Ok((map, kinds)) => Ok(Catalogues {
            shop: shop_fields,
            spotler: properties,
            map,
            kinds,
        }),
        Err(problems) => Err(CliError::config(format!(
            "the field map of profile `{}` does not fit the two systems (nothing was written):\n  - {}",
            profile.name,
            problems.join("\n  - ")
        ))
        .hint(format!(
            "`shopsync fields --profile {}` shows both catalogues side by side",
            profile.name
        ))),
    }
}

/// The shop's customer fields and Spotler's contact properties. Reading them proves both
/// credentials.
pub async fn read_catalogues(
    shop: &Shop,
    spotler: &SpotlerClient,
) -> CliResult<(Vec<ShopField>, Vec<Property>)> {
    let shop_fields = shop.catalogue().await?;
    let properties = spotler.properties().await?;
    Ok((shop_fields, properties))
}

/// The profile's map (defaults and overrides) checked against both catalogues, with each
/// mapped property's types; or every problem, located in the profile.
#[allow(clippy::type_complexity)]
pub fn check_map(
    profile: &Profile,
    shop_fields: &[ShopField],
    properties: &[Property],
) -> Result<(FieldMap, BTreeMap<String, (String, ShopKind)>), Vec<String>> {
    let sw = profile.table::<ShopwareSettings>();
    let settings = profile.settings::<SpotlerSettings>().cloned();
    let permission_field = sw
        .permission_field
        .clone()
        .unwrap_or_else(|| "newsletter".into());
    let requested = Requested {
        fields: settings
            .as_ref()
            .map(|s| s.fields.clone())
            .unwrap_or_default(),
        permissions: settings.map(|s| s.permissions).unwrap_or_default(),
        default_permission_field: permission_field.clone(),
        defaults: crate::connectors::shopware::default_map(&sw.kind),
    };
    let table = format!("[profiles.{}.spotler]", profile.name);
    let has = |f: &str| shop_fields.iter().any(|s| s.name == f);
    let built = mapping::build(&requested, properties, shop_fields, &table);
    let mut problems = match &built {
        Ok(_) => Vec::new(),
        Err(p) => p.clone(),
    };
    let here = format!("[profiles.{}.shopware]", profile.name);
    if !has(sw.key.trim()) {
        problems.push(format!(
            "{here}: `key = \"{}\"`: the shop has no customer field `{}` to key contacts by",
            sw.key, sw.key
        ));
    }
    match shop_fields.iter().find(|f| f.name == permission_field) {
        Some(f) if f.kind == ShopKind::Bool => {}
        Some(_) => problems.push(format!(
            "{here}: `permission_field = \"{permission_field}\"` is not a yes/no field"
        )),
        None => problems.push(format!(
            "{here}: the shop has no customer field `{permission_field}` for the e-mail permission"
        )),
    }
    if let Some(b) = &sw.bounce_field {
        if !has(b) {
            problems.push(format!(
                "{here}: `bounce_field = \"{b}\"`: the shop has no customer field `{b}`"
            ));
        }
    }
    if let Some(p) = &sw.parent_field {
        if !has(p) {
            problems.push(format!(
                "{here}: `parent_field = \"{p}\"`: the shop has no customer field `{p}`"
            ));
        }
    }
    let map = match built {
        Ok(map) if problems.is_empty() => map,
        _ => return Err(problems),
    };
    let kinds = map
        .fields
        .iter()
        .filter_map(|(p, f)| {
            let pt = properties.iter().find(|x| &x.name == p)?.kind.clone();
            let fk = shop_fields.iter().find(|x| &x.name == f)?.kind;
            Some((p.clone(), (pt, fk)))
        })
        .collect();
    Ok((map, kinds))
}

/// `doctor`'s (and `setup`'s) checks of this flow: each system's API with its credentials
/// (by the connectors), then the field map against both catalogues.
pub async fn health(
    profile: &Profile,
    secrets: [Option<Secret>; 4],
    checks: &mut Vec<crate::health::Check>,
) {
    use crate::health::Check;
    let name = profile.name.as_str();
    let [user, key, spotler_key, spotler_secret] = secrets;
    let sw = profile.table::<ShopwareSettings>();
    let shop = match (user, key) {
        (Some(u), Some(k)) => {
            crate::connectors::shopware::health::check(
                name,
                &sw.base_url,
                Shop::new(&sw.kind, &sw.base_url, u, k),
                checks,
            )
            .await
        }
        _ => {
            checks.push(Check::skipped(
                Some(name),
                "shopware.api",
                "a Shopware credential is missing",
            ));
            None
        }
    };
    let spotler = match (spotler_key, spotler_secret) {
        (Some(k), Some(s)) => {
            crate::connectors::spotler::health::check(
                name,
                &profile.table::<SpotlerSettings>().api_base_url(),
                k,
                s,
                checks,
            )
            .await
        }
        _ => {
            checks.push(Check::skipped(
                Some(name),
                "spotler.api",
                "a Spotler credential is missing",
            ));
            None
        }
    };
    let (Some(shop), Some((_, properties))) = (shop, spotler) else {
        checks.push(Check::skipped(
            Some(name),
            "fields",
            "a system could not be read",
        ));
        return;
    };
    let shop_fields = match shop.catalogue().await {
        Ok(f) => f,
        Err(e) => {
            checks.push(Check::error(Some(name), "fields", e.to_string()));
            return;
        }
    };
    match check_map(profile, &shop_fields, &properties) {
        Ok((map, _)) => checks.push(Check::ok(
            Some(name),
            "fields",
            format!(
                "{} Spotler properties and {} permission bit(s) mapped to shop fields",
                map.fields.len(),
                map.permissions.len()
            ),
        )),
        Err(problems) => checks.push(Check::error(Some(name), "fields", problems.join("; ")).fix(
            format!("`shopsync fields --profile {name}` shows both catalogues side by side"),
        )),
    }
}

/// [`run`] with the profile's credentials, as the flow table's `sync`.
pub fn sync<'a>(
    profile: &'a Profile,
    options: &'a SyncOptions,
    printer: &'a Printer,
) -> super::Syncing<'a> {
    Box::pin(async move {
        let creds = Credentials::resolve(&profile.name)?;
        run(profile, creds, options, printer).await
    })
}

pub async fn run(
    profile: &Profile,
    creds: Credentials,
    options: &SyncOptions,
    printer: &Printer,
) -> CliResult<(SyncReport, Option<CliError>)> {
    let rekey = options.rekey;
    let (state, relink) = open_state(
        &profile.name,
        options,
        printer,
        "contacts are re-linked by their external ids",
    )?;
    let sw = profile.table::<ShopwareSettings>().clone();
    let key = sw.key.trim().to_string();

    // The key decides every contact's identity: a changed key is refused before anything else.
    let stored_key = state.meta(KEY_META)?;
    let rekeying = match &stored_key {
        Some(old) if *old != key && !rekey => {
            return Err(CliError::config(format!(
                "the profile `{}` now keys contacts by `{key}`, but its contacts in Spotler were \
                 written with `{old}` as their external id: a run would create a second contact \
                 for every customer and leave the first orphaned (still mailed, no longer updated)",
                profile.name
            ))
            .hint(format!(
                "put `key = \"{old}\"` back in [profiles.{}.shopware], or move every contact to \
                 its new external id with `--rekey` (look first: `--dry-run --rekey --diff`); \
                 the contacts under the old ids stay in Spotler until you remove them there",
                profile.name
            )))
        }
        Some(old) => *old != key,
        None => false,
    };
    if rekey && !rekeying {
        printer.status(format!(
            "--rekey: the key is `{key}` as before; nothing to move"
        ));
    }

    crate::interrupt::install(printer.is_quiet());
    let (shop, spotler) = clients(profile, creds);
    let cat = catalogues(profile, &shop, &spotler).await?;
    if stored_key.is_none() && !options.dry_run {
        state.set_meta(KEY_META, &key)?;
    }
    let mut run = OneWayRun::begin(state, &profile.name, options, relink)?;
    printer.status(if options.dry_run {
        "Planning (dry run: nothing is written)"
    } else {
        "Syncing"
    });
    let mut target = SpotlerTarget::new(spotler, cat.map.clone(), cat.kinds.clone(), key.clone());
    if let (Some(parent), false) = (&sw.parent_field, sw.sub_contacts) {
        target = target.excluding(
            parent,
            "a B2B sub-contact; `sub_contacts = true` in the profile's [shopware] table syncs sub-contacts too",
        );
    }
    let outcome = feedback_then_push(
        profile, &shop, &target, &mut run, &cat, options, rekeying, printer,
    )
    .await;
    if outcome.is_ok() && !options.dry_run && rekeying {
        run.state.set_meta(KEY_META, &key)?;
    }
    let requests = Requests(vec![
        SystemRequests {
            key: "shopware",
            name: "Shopware",
            requests: shop.requests(),
            throttled: None,
        },
        SystemRequests {
            key: "spotler",
            name: "Spotler",
            requests: target.client.stats.requests.load(Ordering::Relaxed),
            throttled: None,
        },
    ]);
    run.finish(outcome, requests)
}

#[allow(clippy::too_many_arguments)]
async fn feedback_then_push(
    profile: &Profile,
    shop: &Shop,
    target: &SpotlerTarget,
    run: &mut OneWayRun,
    cat: &Catalogues,
    options: &SyncOptions,
    rekeying: bool,
    printer: &Printer,
) -> CliResult {
    let (state, run_id, run_start, relink) = (&run.state, run.id, run.start, run.relink);
    let report = &mut run.report;
    let sw = profile.table::<ShopwareSettings>();
    let to = run_start.format("%Y-%m-%dT%H:%M:%S").to_string();

    // Spotler -> shop first, so the customers it changes are read by this run's push as they
    // now are (and what was taken over is not sent back).
    if let Some(from) = state.cursor(FEEDBACK_CURSOR)? {
        let permission_field = sw
            .permission_field
            .clone()
            .unwrap_or_else(|| "newsletter".into());
        let settings = feedback::Settings {
            map: &cat.map,
            permission_field: &permission_field,
            bounce_field: sw.bounce_field.as_deref(),
            dry_run: options.dry_run,
            run_id,
        };
        let fb = feedback::pull(&target.client, shop, state, &settings, &from, &to).await?;
        for (name, read, counts) in [
            ("permissions", fb.permissions_read, fb.permissions),
            ("bounces", fb.bounces_read, fb.bounces),
        ] {
            report.streams.insert(
                name.into(),
                StreamSummary {
                    read: "incremental",
                    bulk: false,
                    records: read,
                    counts,
                },
            );
        }
        if options.collect_changes {
            report.changes.extend(fb.changes);
        }
        let failed = !fb.failures.is_empty();
        report.failures.extend(fb.failures);
        printer.status(format!(
            "  from Spotler: {} permission change(s), {} hard bounce(s) written to the shop",
            fb.permissions.update, fb.bounces.update
        ));
        // A window with a failure is read again next time (what was applied then is unchanged).
        if !options.dry_run && !failed {
            state.set_cursor(FEEDBACK_CURSOR, &to)?;
        }
    } else if !options.dry_run {
        // The first run: changes in Spotler count from now on.
        state.set_cursor(FEEDBACK_CURSOR, &to)?;
    }

    // Shop -> Spotler.
    let full = options.full || rekeying || relink;
    let since = if full {
        None
    } else {
        state.cursor(STREAM.as_str())?
    };
    let plan = PlannedStream {
        stream: STREAM,
        full: full || since.is_none(),
        resumable: false,
        read_run: run_id,
        next_cursor: NextCursor::LatestChanged,
        expected: None,
        waiting: None,
        read: since,
    };
    let run_options = RunOptions {
        run_id,
        dry_run: options.dry_run,
        collect_changes: options.collect_changes,
        relink,
        state,
        deletions: &[],
    };
    let (done, stop) = run_streams(
        shop,
        "Shopware",
        target,
        &run_options,
        vec![plan],
        &RunProgress::new(printer),
    )
    .await;
    for d in done {
        report.add_stream(d);
    }
    match stop {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// [`health`] as the flow table's check.
pub fn check<'a>(
    profile: &'a Profile,
    secrets: &'a super::Secrets,
    checks: &'a mut Vec<crate::health::Check>,
) -> super::Checking<'a> {
    let four = [
        System::ShopwareUser,
        System::ShopwareKey,
        System::SpotlerKey,
        System::SpotlerSecret,
    ]
    .map(|system| super::secret(secrets, system));
    Box::pin(health(profile, four, checks))
}
