//! HostedShop (Wannafind) customers <-> Heyloyalty members, two-way (seed
//! `002_fda792a6ea78f3e9.txt`).
//!
//! A run reads every customer, customer group and order of the shop (the SOAP user and order
//! reads are unpaginated: one call each), the lists and the members of the synced lists, pairs
//! customers with members per list (by the link of the last sync, else by e-mail within the
//! list), and settles each pair with [`crate::engine::twoway::reconcile`]. Writes go to
//! Heyloyalty first, then the shop, then the link is saved: a run killed in between is
//! repaired by the next (both sides then hold the same value, which only updates the link).
//!
//! Lists by strategy: `per_group` one list per customer group, created once the group has a
//! customer with newsletter permission; `single` one list for all with the group as a field;
//! `both`. Missing list fields are added with the v2 PATCH; a field with another format stops
//! the run before anything is written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use crate::config::credentials::{self, Secret};
use crate::config::Profile;
use crate::connectors::heyloyalty::settings::{ConflictPolicy, HeyloyaltySettings, ListStrategy};
use crate::connectors::heyloyalty::webhook::WebhookEvent;
use crate::connectors::heyloyalty::{FieldMap, HeyloyaltyClient, HlError, ListInfo};
use crate::connectors::hostedshop::settings::HostedShopSettings;
use crate::connectors::hostedshop::{self, HostedShop, OrderTotals, SoapClient, User};
use crate::connectors::system::System;
use crate::engine::twoway::{fingerprint, reconcile, PairPlan, Policy, Rules, SideOp, SideRecord};
use crate::error::{CliError, CliResult};
use crate::model::contact as c;
use crate::state::{Failure, Fields, PairLink, StateStore};

/// The pair's name in the state store.
pub const PAIR: &str = "customers-members";

pub struct Secrets {
    pub shop_user: Secret,
    pub shop_password: Secret,
    pub hl_key: Secret,
    pub hl_secret: Secret,
}

impl Secrets {
    pub fn resolve(profile: &str) -> CliResult<Secrets> {
        Ok(Secrets {
            shop_user: credentials::resolve(profile, System::HostedshopUser)?.0,
            shop_password: credentials::resolve(profile, System::HostedshopPassword)?.0,
            hl_key: credentials::resolve(profile, System::HeyloyaltyKey)?.0,
            hl_secret: credentials::resolve(profile, System::HeyloyaltySecret)?.0,
        })
    }
}

#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    pub members_created: u64,
    pub members_updated: u64,
    pub members_removed: u64,
    pub customers_created: u64,
    pub customers_updated: u64,
    pub unchanged: u64,
    pub conflicts: u64,
    pub skipped: u64,
    pub failed: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct Requests {
    pub shop: u64,
    pub heyloyalty: u64,
    pub heyloyalty_throttled: u64,
}

/// What a run did (or, dry, would do).
#[derive(Debug, Serialize)]
pub struct MembersReport {
    pub profile: String,
    pub dry_run: bool,
    pub run_id: i64,
    pub customers: u64,
    pub members: u64,
    /// Lists created (or, dry, to create), by name.
    pub lists_created: Vec<String>,
    /// `list: field` added (or to add) with the v2 PATCH.
    pub fields_added: Vec<String>,
    /// The synced lists' names by id (a dry run's lists still to create have made-up ids).
    pub lists: BTreeMap<String, String>,
    pub counts: Counts,
    /// Every pair with a change, a conflict or a skip (all of them with `--diff`/`--json`).
    pub changes: Vec<PairPlan>,
    pub failures: Vec<Failure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    pub seconds: f64,
    pub requests: Requests,
    pub state_file: String,
}

impl MembersReport {
    pub fn has_changes(&self) -> bool {
        let c = &self.counts;
        c.members_created
            + c.members_updated
            + c.members_removed
            + c.customers_created
            + c.customers_updated
            > 0
            || !self.lists_created.is_empty()
            || !self.fields_added.is_empty()
    }
}

/// The synced lists of a run: list id -> (list, the customer group it belongs to, if one).
struct Lists {
    lists: BTreeMap<u64, (ListInfo, Option<i64>)>,
    /// A dry run's lists still to create (no members to read).
    planned: BTreeSet<u64>,
}

pub struct Flow {
    shop: HostedShop,
    hl: HeyloyaltyClient,
    settings: HeyloyaltySettings,
    map: FieldMap,
    rules: Rules,
    state: StateStore,
    profile: String,
}

fn policy(p: ConflictPolicy) -> Policy {
    match p {
        ConflictPolicy::ShopWins => Policy::AWins,
        ConflictPolicy::ListWins => Policy::BWins,
        ConflictPolicy::NewestWins => Policy::NewestWins,
    }
}

/// `YYYY-MM-DD HH:MM:SS` from that form or RFC 3339, so both sides compare as text.
fn normal_time(s: Option<String>) -> Option<String> {
    let s = s?;
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&s) {
        return Some(t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string());
    }
    Some(s)
}

fn merged(a: &Fields, b: &Fields) -> Fields {
    let mut out = a.clone();
    out.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

impl Flow {
    pub fn new(profile: &Profile, secrets: Secrets, state: StateStore) -> CliResult<Flow> {
        let settings = profile
            .settings::<HeyloyaltySettings>()
            .cloned()
            .ok_or_else(|| CliError::config("the profile has no [heyloyalty] table"))?;
        let shop_settings = profile.settings::<HostedShopSettings>().cloned();
        let endpoint = shop_settings
            .as_ref()
            .map(|s| s.endpoint())
            .unwrap_or_else(|| hostedshop::soap::ENDPOINT.to_string());
        let cps = shop_settings
            .and_then(|s| s.calls_per_second)
            .unwrap_or(hostedshop::soap::DEFAULT_CALLS_PER_SECOND);
        let shop = HostedShop::new(SoapClient::new(
            &endpoint,
            secrets.shop_user,
            secrets.shop_password,
            cps,
        ));
        let hl = HeyloyaltyClient::new(
            &settings.base_url(),
            secrets.hl_key,
            secrets.hl_secret,
            settings.requests_per_second.unwrap_or(0.0),
        );
        let map = FieldMap::new(&settings.group_field(), &settings.fields);
        let b_to_a: BTreeSet<String> = if settings.two_way {
            match &settings.back_fields {
                Some(fields) => fields.iter().cloned().collect(),
                None => c::LIST_TO_SHOP.iter().map(|s| s.to_string()).collect(),
            }
        } else {
            BTreeSet::new()
        };
        let rules = Rules {
            a_to_b: c::SHOP_TO_LIST.iter().map(|s| s.to_string()).collect(),
            b_to_a,
            policies: settings
                .conflict_fields
                .iter()
                .map(|(k, v)| (k.clone(), policy(*v)))
                .collect(),
            default_policy: Some(policy(
                settings.conflicts.unwrap_or(ConflictPolicy::ShopWins),
            )),
            presence: c::PERMISSION.to_string(),
        };
        Ok(Flow {
            shop,
            hl,
            settings,
            map,
            rules,
            state,
            profile: profile.name.clone(),
        })
    }

    pub fn requests(&self) -> Requests {
        use std::sync::atomic::Ordering::Relaxed;
        Requests {
            shop: self.shop.client.stats.calls.load(Relaxed),
            heyloyalty: self.hl.stats.requests.load(Relaxed),
            heyloyalty_throttled: self.hl.stats.throttled.load(Relaxed),
        }
    }

    fn list_name(&self, group_title: &str) -> String {
        format!("{}{group_title}", self.settings.list_prefix)
    }

    /// Finds, creates and completes the lists the strategy needs. Nothing is written when a
    /// list's field has another format than shopsync writes.
    async fn prepare_lists(
        &self,
        groups: &BTreeMap<i64, String>,
        users: &[User],
        dry_run: bool,
        report: &mut MembersReport,
    ) -> CliResult<Lists> {
        let existing: HashMap<String, u64> = self
            .hl
            .lists()
            .await?
            .into_iter()
            .map(|(id, name)| (name, id))
            .collect();
        let consenting: BTreeSet<i64> = users
            .iter()
            .filter(|u| {
                u.values
                    .get("Newsletter")
                    .is_some_and(|n| n == "true" || n == "1")
            })
            .map(|u| u.group_id)
            .collect();
        // (name, group) of every list the strategy wants now.
        let mut wanted: Vec<(String, Option<i64>)> = Vec::new();
        if matches!(
            self.settings.list_strategy,
            ListStrategy::PerGroup | ListStrategy::Both
        ) {
            for (id, title) in groups {
                let name = self.list_name(title);
                if existing.contains_key(&name) || consenting.contains(id) {
                    wanted.push((name, Some(*id)));
                }
            }
        }
        if matches!(
            self.settings.list_strategy,
            ListStrategy::Single | ListStrategy::Both
        ) {
            let name = self.settings.list.clone().unwrap_or_default();
            if existing.contains_key(&name) || !consenting.is_empty() {
                wanted.push((name, None));
            }
        }
        // Existing lists first: a wrong field format stops the run before anything is written.
        let mut lists = BTreeMap::new();
        let mut to_patch = Vec::new();
        for (name, group) in &wanted {
            if let Some(id) = existing.get(name) {
                let info = self.hl.list(*id).await?;
                let (missing, wrong) = self.map.check(&info);
                if let Some(problem) = wrong.first() {
                    return Err(CliError::config(format!("Heyloyalty: {problem}")).hint(
                        "change the field's format in Heyloyalty (Lists > Edit list > Fields), or write the contact field to another field with [profiles.NAME.heyloyalty.fields]; nothing was written",
                    ));
                }
                if !missing.is_empty() {
                    to_patch.push((info.clone(), missing));
                }
                lists.insert(*id, (info, *group));
            }
        }
        for (info, missing) in to_patch {
            for f in &missing {
                report
                    .fields_added
                    .push(format!("{}: {}", info.name, f.name));
            }
            if !dry_run {
                self.hl.add_fields(info.id, &missing).await?;
                let fresh = self.hl.list(info.id).await?;
                if let Some(entry) = lists.get_mut(&info.id) {
                    entry.0 = fresh;
                }
            }
        }
        let mut planned = BTreeSet::new();
        for (name, group) in wanted {
            if existing.contains_key(&name) {
                continue;
            }
            report.lists_created.push(name.clone());
            if dry_run {
                // Planned with the fields it would be created with, under a made-up id.
                let id = u64::MAX - planned.len() as u64;
                let fields = self
                    .map
                    .specs()
                    .into_iter()
                    .map(|f| {
                        (
                            f.name,
                            crate::connectors::heyloyalty::client::FieldInfo {
                                format: f.format,
                                options: BTreeMap::new(),
                            },
                        )
                    })
                    .collect();
                planned.insert(id);
                lists.insert(id, (ListInfo { id, name, fields }, group));
            } else {
                let info = self.hl.create_list(&name, &self.map.specs()).await?;
                lists.insert(info.id, (info, group));
            }
        }
        for (id, (info, _)) in &lists {
            report.lists.insert(id.to_string(), info.name.clone());
        }
        Ok(Lists { lists, planned })
    }

    fn customer_record(
        &self,
        user: &User,
        groups: &BTreeMap<i64, String>,
        totals: &HashMap<i64, OrderTotals>,
    ) -> SideRecord {
        let mut r = hostedshop::to_contact(
            user,
            groups.get(&user.group_id).map(String::as_str),
            totals.get(&user.id),
        );
        r.updated_at = normal_time(r.updated_at);
        r
    }

    fn member_record(&self, list: &ListInfo, member: &Value) -> SideRecord {
        let mut r = self.map.from_member(list, member);
        r.updated_at = normal_time(r.updated_at);
        r
    }

    /// The shop group a member without a customer joins.
    fn group_for(
        &self,
        group: Option<i64>,
        b: &SideRecord,
        groups: &BTreeMap<i64, String>,
    ) -> Option<i64> {
        if group.is_some() {
            return group;
        }
        let by_title = |t: &str| {
            groups
                .iter()
                .find(|(_, title)| title.eq_ignore_ascii_case(t))
                .map(|(id, _)| *id)
        };
        b.fields
            .get(c::CUSTOMER_GROUP)
            .and_then(|t| by_title(t))
            .or_else(|| self.settings.default_group.as_deref().and_then(by_title))
            .or_else(|| groups.keys().next().copied())
    }

    /// One sync of every synced list.
    pub async fn run(
        &self,
        dry_run: bool,
        collect_all: bool,
    ) -> CliResult<(MembersReport, Option<CliError>)> {
        let started = Instant::now();
        let command = if dry_run { "sync --dry-run" } else { "sync" };
        let run_id = self.state.begin_run(command, &self.profile, dry_run)?;
        let mut report = MembersReport {
            profile: self.profile.clone(),
            dry_run,
            run_id,
            customers: 0,
            members: 0,
            lists_created: Vec::new(),
            fields_added: Vec::new(),
            lists: BTreeMap::new(),
            counts: Counts::default(),
            changes: Vec::new(),
            failures: Vec::new(),
            stopped: None,
            seconds: 0.0,
            requests: Requests::default(),
            state_file: self.state.path().to_string(),
        };
        let outcome = self.run_inner(dry_run, collect_all, &mut report).await;
        let stop = outcome.err();
        if let Some(e) = &stop {
            report.stopped = Some(e.message.clone());
        }
        report.seconds = started.elapsed().as_secs_f64();
        report.requests = self.requests();
        let status = crate::engine::run_status(stop.as_ref(), !report.failures.is_empty());
        let summary = serde_json::json!({"counts": report.counts, "stopped": report.stopped, "requests": report.requests});
        self.state.finish_run(run_id, status, &summary)?;
        Ok((report, stop))
    }

    async fn run_inner(
        &self,
        dry_run: bool,
        collect_all: bool,
        report: &mut MembersReport,
    ) -> CliResult {
        // The shop first: a credential it refuses stops the run before Heyloyalty is touched.
        let groups = self.shop.groups().await?;
        let users = self.shop.users(None).await?;
        let totals = self.shop.order_totals().await?;
        report.customers = users.len() as u64;
        let lists = self.prepare_lists(&groups, &users, dry_run, report).await?;
        let links = self.state.pair_links(PAIR)?;
        let mut created_customers: HashMap<String, i64> = HashMap::new();
        let by_email: HashMap<String, &User> = users
            .iter()
            .filter_map(|u| Some((u.values.get("Email")?.trim().to_lowercase(), u)))
            .collect();
        for (list_id, (list, group)) in &lists.lists {
            let entity = list_id.to_string();
            let members = if lists.planned.contains(list_id) {
                Vec::new()
            } else {
                self.hl.members(*list_id).await?
            };
            report.members += members.len() as u64;
            let mut b_by_id: BTreeMap<String, SideRecord> = members
                .iter()
                .map(|m| self.member_record(list, m))
                .filter(|r| !r.id.is_empty())
                .map(|r| (r.id.clone(), r))
                .collect();
            let list_links: HashMap<&str, &PairLink> = links
                .iter()
                .filter(|l| l.entity == entity)
                .map(|l| (l.a_id.as_str(), l))
                .collect();
            let linked_b: BTreeSet<&str> = list_links.values().map(|l| l.b_id.as_str()).collect();
            let mut pairs: Vec<Pair> = Vec::new();
            for user in users
                .iter()
                .filter(|u| group.is_none_or(|g| u.group_id == g))
            {
                let a = self.customer_record(user, &groups, &totals);
                let link = list_links.get(a.id.as_str()).map(|l| (*l).clone());
                let b = match &link {
                    Some(l) => b_by_id.remove(&l.b_id),
                    None => {
                        // Paired by e-mail with a member no other customer is linked to.
                        let email = a.fields.get(c::EMAIL).cloned().unwrap_or_default();
                        let id = b_by_id
                            .values()
                            .find(|b| {
                                !email.is_empty()
                                    && !linked_b.contains(b.id.as_str())
                                    && b.fields.get(c::EMAIL) == Some(&email)
                            })
                            .map(|b| b.id.clone());
                        id.and_then(|id| b_by_id.remove(&id))
                    }
                };
                pairs.push((Some(a), b, link, Some(user.group_id)));
            }
            // Members without a customer of this list: new subscribers, or linked to a customer
            // deleted in the shop (which never deletes the member), or to a customer who moved
            // to another group (whose list that group's is now: the member leaves this one).
            let mut moved: Vec<(PairPlan, SideRecord)> = Vec::new();
            for (_, b) in std::mem::take(&mut b_by_id) {
                if !linked_b.contains(b.id.as_str()) {
                    pairs.push((None, Some(b), None, None));
                    continue;
                }
                let Some(list_group) = group else { continue };
                let customer = list_links
                    .values()
                    .find(|l| l.b_id == b.id)
                    .and_then(|l| users.iter().find(|u| u.id.to_string() == l.a_id));
                if let Some(u) = customer.filter(|u| u.group_id != *list_group) {
                    moved.push((left_the_group(&entity, u, &b), b));
                }
            }
            for (plan, b) in moved {
                self.settle(
                    list,
                    plan,
                    None,
                    Some(&b),
                    None,
                    dry_run,
                    collect_all,
                    report,
                    &mut created_customers,
                )
                .await?;
            }
            for (a, b, link, a_group) in pairs {
                let mut plan =
                    reconcile(&entity, a.as_ref(), b.as_ref(), link.as_ref(), &self.rules);
                if let (SideOp::Create { .. }, None) = (&plan.to_a, &a) {
                    // A new subscriber becomes a customer of the list's group, unless a customer
                    // with the e-mail exists (in another group: not paired, as the seed says).
                    let email = b
                        .as_ref()
                        .and_then(|b| b.fields.get(c::EMAIL))
                        .cloned()
                        .unwrap_or_default();
                    if let Some(u) = by_email.get(&email) {
                        if created_customers.contains_key(&email) || group.is_none() {
                            // Created from another list this run, or the single list: pair it.
                            let a = self.customer_record(u, &groups, &totals);
                            plan = reconcile(&entity, Some(&a), b.as_ref(), None, &self.rules);
                            plan.a_id = Some(a.id.clone());
                        } else {
                            plan.to_a = SideOp::None;
                            plan.skipped.push(
                                "a customer with this e-mail is in another customer group; members are paired within the list's group only"
                                    .to_string(),
                            );
                        }
                    } else if let Some(id) = created_customers.get(&email) {
                        plan.to_a = SideOp::None;
                        plan.a_id = Some(id.to_string());
                    }
                }
                let target_group =
                    a_group.or_else(|| b.as_ref().and_then(|b| self.group_for(*group, b, &groups)));
                self.settle(
                    list,
                    plan,
                    a.as_ref(),
                    b.as_ref(),
                    target_group,
                    dry_run,
                    collect_all,
                    report,
                    &mut created_customers,
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Applies one pair's plan (unless dry) and saves its link (or, for a removed member, drops
    /// it); counts it in `report`.
    #[allow(clippy::too_many_arguments)]
    async fn settle(
        &self,
        list: &ListInfo,
        mut plan: PairPlan,
        a: Option<&SideRecord>,
        b: Option<&SideRecord>,
        group: Option<i64>,
        dry_run: bool,
        collect_all: bool,
        report: &mut MembersReport,
        created_customers: &mut HashMap<String, i64>,
    ) -> CliResult {
        let counts = &mut report.counts;
        counts.conflicts += plan.conflicts.len() as u64;
        counts.skipped += plan.skipped.len() as u64;
        match &plan.to_b {
            SideOp::Create { .. } => counts.members_created += 1,
            SideOp::Update { .. } => counts.members_updated += 1,
            SideOp::Remove => counts.members_removed += 1,
            SideOp::None => {}
        }
        match &plan.to_a {
            SideOp::Create { .. } => counts.customers_created += 1,
            SideOp::Update { .. } => counts.customers_updated += 1,
            _ => {}
        }
        if !plan.has_changes() {
            counts.unchanged += 1;
        }
        let interesting =
            plan.has_changes() || !plan.conflicts.is_empty() || !plan.skipped.is_empty();
        if dry_run {
            if interesting || collect_all {
                report.changes.push(plan);
            }
            return Ok(());
        }
        match self
            .apply(list, &mut plan, a, b, group, created_customers)
            .await
        {
            Ok(()) => {}
            Err(ApplyError::Fatal(e)) => return Err(e),
            Err(ApplyError::Record(reason)) => {
                report.counts.failed += 1;
                report.failures.push(Failure {
                    stream: format!("members:{}", list.id),
                    source_id: plan
                        .a_id
                        .clone()
                        .or_else(|| plan.b_id.clone())
                        .unwrap_or_default(),
                    reason: format!("{}: {reason}", plan.label),
                });
                return Ok(());
            }
        }
        if interesting || collect_all {
            report.changes.push(plan);
        }
        Ok(())
    }

    async fn apply(
        &self,
        list: &ListInfo,
        plan: &mut PairPlan,
        a: Option<&SideRecord>,
        b: Option<&SideRecord>,
        group: Option<i64>,
        created_customers: &mut HashMap<String, i64>,
    ) -> Result<(), ApplyError> {
        let mut b_fields = b.map(|r| r.fields.clone()).unwrap_or_default();
        let mut a_fields = a.map(|r| r.fields.clone()).unwrap_or_default();
        let mut remove_link = false;
        match &plan.to_b {
            SideOp::None => {}
            SideOp::Create { fields } => {
                let (values, left_out) = self.map.to_member(list, fields);
                plan.skipped.extend(left_out);
                let id = self
                    .hl
                    .create_member(list.id, &values)
                    .await
                    .map_err(hl_error)?;
                plan.b_id = Some(id);
                b_fields = fields.clone();
                b_fields.insert(c::PERMISSION.into(), "1".into());
            }
            SideOp::Update { fields } => {
                let (values, left_out) = self.map.to_member(list, fields);
                plan.skipped.extend(left_out);
                if !values.is_empty() {
                    let id = plan.b_id.clone().unwrap_or_default();
                    self.hl
                        .patch_member(list.id, &id, &values)
                        .await
                        .map_err(hl_error)?;
                }
                b_fields = merged(&b_fields, fields);
            }
            SideOp::Remove => {
                let id = plan.b_id.clone().unwrap_or_default();
                self.hl
                    .delete_member(list.id, &id)
                    .await
                    .map_err(hl_error)?;
                remove_link = true;
            }
        }
        match &plan.to_a {
            SideOp::None => {}
            SideOp::Create { fields } => {
                let group = group.ok_or_else(|| {
                    ApplyError::Record(
                        "the shop has no customer group to create the customer in".into(),
                    )
                })?;
                let mut fields = fields.clone();
                fields.insert(c::PERMISSION.into(), "1".into());
                let id = self.shop.create(group, &fields).await.map_err(soap_error)?;
                if let Some(email) = fields.get(c::EMAIL) {
                    created_customers.insert(email.clone(), id);
                }
                plan.a_id = Some(id.to_string());
                a_fields = fields;
            }
            SideOp::Update { fields } => {
                let id: i64 = plan
                    .a_id
                    .as_deref()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| ApplyError::Record("no customer id".into()))?;
                self.shop.update(id, fields).await.map_err(soap_error)?;
                a_fields = merged(&a_fields, fields);
            }
            SideOp::Remove => {}
        }
        let (Some(a_id), Some(b_id)) = (plan.a_id.clone(), plan.b_id.clone()) else {
            return Ok(());
        };
        if remove_link {
            self.state
                .delete_pair_link(PAIR, &plan.entity, &a_id)
                .map_err(|e| ApplyError::Fatal(e.into()))?;
            return Ok(());
        }
        let link = PairLink {
            entity: plan.entity.clone(),
            a_id,
            b_id,
            a_fingerprint: fingerprint(&a_fields),
            b_fingerprint: fingerprint(&b_fields),
            fields: plan.synced.clone(),
        };
        self.state
            .save_pair_link(PAIR, &link)
            .map_err(|e| ApplyError::Fatal(e.into()))
    }

    /// Applies one Heyloyalty webhook call: the member is read again by id and its pair settled
    /// as a run would. Calls for lists this profile does not sync change nothing.
    pub async fn apply_webhook(&self, event: &WebhookEvent) -> CliResult<Option<PairPlan>> {
        if !event.applies() {
            return Ok(None);
        }
        let entity = event.list_id.to_string();
        let info = match self.hl.list(event.list_id).await {
            Ok(l) => l,
            Err(e) if e.status() == Some(404) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let groups = self.shop.groups().await?;
        // Which group the list belongs to: by name (per_group), or none (the single list).
        let group = groups
            .iter()
            .find(|(_, t)| self.list_name(t) == info.name)
            .map(|(id, _)| *id)
            .filter(|_| self.settings.list_strategy != ListStrategy::Single);
        let single = self.settings.list.as_deref() == Some(info.name.as_str())
            && self.settings.list_strategy != ListStrategy::PerGroup;
        if group.is_none() && !single {
            return Ok(None);
        }
        let link = self.state.pair_link_by_b(PAIR, &entity, &event.member_id)?;
        let b = match self.hl.member(event.list_id, &event.member_id).await? {
            Some(m) => Some(self.member_record(&info, &m)),
            // Deleted in Heyloyalty: it takes the consent with it.
            None if link.is_some() => Some(SideRecord {
                id: event.member_id.clone(),
                label: event.email.clone().unwrap_or_default(),
                fields: [(c::PERMISSION.to_string(), "0".to_string())].into(),
                updated_at: None,
            }),
            None => return Ok(None),
        };
        let a_user = match &link {
            Some(l) => match l.a_id.parse::<i64>() {
                Ok(id) => self.shop.user(id).await?,
                Err(_) => None,
            },
            None => {
                let email = b
                    .as_ref()
                    .and_then(|b| b.fields.get(c::EMAIL))
                    .cloned()
                    .unwrap_or_default();
                let users = self.shop.users(None).await?;
                let same: Vec<User> = users
                    .into_iter()
                    .filter(|u| {
                        !email.is_empty()
                            && u.values
                                .get("Email")
                                .is_some_and(|e| e.trim().eq_ignore_ascii_case(&email))
                    })
                    .collect();
                match same.iter().find(|u| group.is_none_or(|g| u.group_id == g)) {
                    Some(u) => Some(u.clone()),
                    // A customer with this e-mail in another group: members are paired within
                    // the list's group only, and creating one would move that customer.
                    None if !same.is_empty() => {
                        tracing::info!(
                            "member {} of list {}: a customer with its e-mail is in another group; not paired",
                            event.member_id,
                            event.list_id
                        );
                        return Ok(None);
                    }
                    None => None,
                }
            }
        };
        let totals = match &a_user {
            Some(u) => self.shop.order_totals_of(u.id).await?,
            None => HashMap::new(),
        };
        let a = a_user
            .as_ref()
            .map(|u| self.customer_record(u, &groups, &totals));
        if a.is_none() && link.is_some() {
            // The customer was deleted in the shop: the member stays, nothing flows.
            return Ok(None);
        }
        let plan = reconcile(&entity, a.as_ref(), b.as_ref(), link.as_ref(), &self.rules);
        let target_group = a_user
            .as_ref()
            .map(|u| u.group_id)
            .or_else(|| b.as_ref().and_then(|b| self.group_for(group, b, &groups)));
        let mut plan = plan;
        let mut created = HashMap::new();
        match self
            .apply(
                &info,
                &mut plan,
                a.as_ref(),
                b.as_ref(),
                target_group,
                &mut created,
            )
            .await
        {
            Ok(()) => Ok(Some(plan)),
            Err(ApplyError::Fatal(e)) => Err(e),
            Err(ApplyError::Record(reason)) => {
                Err(CliError::run(format!("{}: {reason}", plan.label)))
            }
        }
    }
}

/// A customer (or none), its member (or none), their link, the customer's group.
type Pair = (
    Option<SideRecord>,
    Option<SideRecord>,
    Option<PairLink>,
    Option<i64>,
);

enum ApplyError {
    /// Stops the run (credentials, the network, the state store).
    Fatal(CliError),
    /// This pair only: reported, the run goes on.
    Record(String),
}

fn hl_error(e: HlError) -> ApplyError {
    if e.is_fatal() {
        ApplyError::Fatal(e.into())
    } else {
        ApplyError::Record(e.to_string())
    }
}

fn soap_error(e: hostedshop::SoapError) -> ApplyError {
    match e.code() {
        Some("PARAM") | Some("NOSUCHPARAM") => ApplyError::Record(e.to_string()),
        _ => ApplyError::Fatal(e.into()),
    }
}

/// `doctor`'s (and `setup`'s) checks: the shop's SOAP API, then the Heyloyalty account.
pub fn check<'a>(
    profile: &'a Profile,
    secrets: &'a super::Secrets,
    checks: &'a mut Vec<crate::health::Check>,
) -> super::Checking<'a> {
    use super::secret;
    Box::pin(async move {
        crate::connectors::hostedshop::health::check(
            &profile.name,
            profile.settings::<HostedShopSettings>(),
            secret(secrets, System::HostedshopUser),
            secret(secrets, System::HostedshopPassword),
            checks,
        )
        .await;
        crate::connectors::heyloyalty::health::check(
            &profile.name,
            profile.settings::<HeyloyaltySettings>(),
            secret(secrets, System::HeyloyaltyKey),
            secret(secrets, System::HeyloyaltySecret),
            checks,
        )
        .await;
    })
}

/// The plan for the member of a customer who moved to another customer group: it leaves the
/// old group's list (the customer joins the new group's list in that list's turn).
fn left_the_group(entity: &str, customer: &User, member: &SideRecord) -> PairPlan {
    PairPlan {
        entity: entity.to_string(),
        label: member
            .fields
            .get(c::EMAIL)
            .cloned()
            .unwrap_or_else(|| member.id.clone()),
        a_id: Some(customer.id.to_string()),
        b_id: Some(member.id.clone()),
        to_a: SideOp::None,
        to_b: SideOp::Remove,
        conflicts: Vec::new(),
        skipped: Vec::new(),
        synced: Fields::new(),
    }
}
