//! Fake of the HubSpot CRM API (date-based 2026-03 paths, and the legacy `/crm/v3` and
//! `/crm/v4` paths with the same behaviour).
//!
//! Serves contacts, products, deals and line items (also by type id `0-1`, `0-7`, `0-3`,
//! `0-8`): records with list/read/create/update/archive and the batch endpoints, search,
//! properties and property groups, deal pipelines, associations v4; HubSpot's bearer-token
//! auth, error bodies, rate limits and rate-limit headers; and the sandbox's faults. The facts
//! it follows are in `../shared/api-notes/hubspot.md`; where HubSpot's docs were silent, the
//! reading chosen is said in a comment next to the code.
//!
//! Layout: `router` (routes, auth, limits, faults), `objects` (records and batches), `search`,
//! `properties`, `pipelines`, `associations`, `ratelimit`, `errors`, `store` (the in-memory
//! account), `admin` (`/_sandbox/...`).

mod admin;
mod associations;
mod errors;
mod objects;
mod pipelines;
mod properties;
mod ratelimit;
mod router;
mod search;
mod store;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use pipelines::{Pipeline, PipelineStage};
pub use properties::{PropertyDef, PropertyGroup, PropertyOption};

use crate::faults::Faults;
use errors::ApiError;
use ratelimit::Limiter;
use router::FaultState;
use store::{ObjectType, Store};

/// The portal id this fake's account has (appears in some error messages).
pub(crate) const PORTAL_ID: u64 = 20_000_001;

/// A record with every property it has (values are strings, as HubSpot returns them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub id: String,
    pub properties: BTreeMap<String, String>,
    pub created_at: String,
    pub updated_at: String,
    pub archived: bool,
}

impl Record {
    /// A property's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.properties.get(name).map(String::as_str)
    }
}

/// What the fake has seen since it started (or since [`HubSpotHandle::reset_stats`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HubSpotStats {
    /// Every CRM request (admin requests not counted), refused ones included.
    pub requests_total: u64,
    /// By route kind: `objects.list`, `objects.batch.upsert`, `objects.search`,
    /// `associations.batch.create`, `properties`, `pipelines`, ...
    pub requests_by_route: BTreeMap<String, u64>,
    /// Requests refused with 401.
    pub unauthorized: u64,
    /// 429 answers by policy: `TEN_SECONDLY_ROLLING`, `SECONDLY`, `DAILY`.
    pub rate_limited: BTreeMap<String, u64>,
    /// Faults injected, by name (`server_error`, `partial_batch_failure`, ...).
    pub faults_injected: BTreeMap<String, u64>,
    /// Records written through the API (created + updated + archived).
    pub inputs_written: u64,
    pub records_created: u64,
    pub records_updated: u64,
    pub records_archived: u64,
    /// Records written (created + updated + archived) by object type (`contacts`, `deals`, ...).
    pub written_by_object: BTreeMap<String, u64>,
    pub associations_created: u64,
}

/// State shared by the routes and the handle.
pub(crate) struct Shared {
    store: Mutex<Store>,
    limiter: Mutex<Limiter>,
    faults: Mutex<FaultState>,
    stats: Mutex<HubSpotStats>,
    pub token: String,
}

pub(crate) type AppState = Arc<Shared>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub fn limiter(&self) -> MutexGuard<'_, Limiter> {
        lock(&self.limiter)
    }

    pub fn fault_state(&self) -> MutexGuard<'_, FaultState> {
        lock(&self.faults)
    }

    fn stats(&self) -> MutexGuard<'_, HubSpotStats> {
        lock(&self.stats)
    }

    /// Draws which of `n` batch inputs the `partial_batch_failure` fault fails.
    pub fn partial_failures(&self, n: usize) -> Vec<bool> {
        let mask = self.fault_state().mask(n);
        let hits = mask.iter().filter(|x| **x).count() as u64;
        if hits > 0 {
            *self
                .stats()
                .faults_injected
                .entry("partial_batch_failure".into())
                .or_default() += hits;
        }
        mask
    }

    pub fn count_request(&self, label: &str) {
        let mut s = self.stats();
        s.requests_total += 1;
        *s.requests_by_route.entry(label.to_string()).or_default() += 1;
    }

    pub fn count_unauthorized(&self) {
        self.stats().unauthorized += 1;
    }

    pub fn count_rate_limited(&self, policy: &str) {
        *self
            .stats()
            .rate_limited
            .entry(policy.to_string())
            .or_default() += 1;
    }

    pub fn count_fault(&self, name: &str) {
        *self
            .stats()
            .faults_injected
            .entry(name.to_string())
            .or_default() += 1;
    }

    pub fn count_writes(&self, ot: ObjectType, created: u64, updated: u64, archived: u64) {
        let mut s = self.stats();
        *s.written_by_object
            .entry(ot.name().to_string())
            .or_default() += created + updated + archived;
        s.records_created += created;
        s.records_updated += updated;
        s.records_archived += archived;
        s.inputs_written += created + updated + archived;
    }

    pub fn count_associations(&self, n: u64) {
        self.stats().associations_created += n;
    }
}

/// A JSON request body; malformed JSON is HubSpot's 400, not axum's.
pub(crate) struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
        if !json_type {
            // HubSpot's API takes JSON bodies only (this fake's reading: a 415).
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "VALIDATION_ERROR",
                "HTTP 415 Unsupported Media Type: send the body as application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::validation(format!("Could not read the request body: {e}")))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::empty_body());
        }
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::invalid_json(&e))
    }
}

/// In-process control and inspection of the HubSpot fake. Cheap to clone; all clones see the
/// same account.
///
/// Object types are given as HubSpot names them (`contacts`, `products`, `deals`,
/// `line_items`, singular forms, or type ids `0-1`, `0-7`, `0-3`, `0-8`); an unknown type is a
/// programming error and panics.
#[derive(Clone)]
pub struct HubSpotHandle {
    shared: AppState,
}

fn ot(object_type: &str) -> ObjectType {
    ObjectType::parse(object_type)
        .unwrap_or_else(|| panic!("unknown HubSpot object type {object_type:?}"))
}

fn props_map<I, K, V>(props: I) -> Map<String, Value>
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    props
        .into_iter()
        .map(|(k, v)| (k.into(), Value::String(v.into())))
        .collect()
}

impl HubSpotHandle {
    /// Every live (not archived) record of a type, by id, with every property.
    pub fn objects(&self, object_type: &str) -> Vec<Record> {
        let store = self.shared.store();
        let os = store.obj(ot(object_type));
        os.live.values().map(|r| os.to_record(r)).collect()
    }

    /// Every archived record of a type.
    pub fn archived_objects(&self, object_type: &str) -> Vec<Record> {
        let store = self.shared.store();
        let os = store.obj(ot(object_type));
        os.archived.values().map(|r| os.to_record(r)).collect()
    }

    /// Number of live records of a type.
    pub fn count(&self, object_type: &str) -> usize {
        self.shared.store().obj(ot(object_type)).live.len()
    }

    /// One record by id (live, else archived with `archived: true`).
    pub fn object(&self, object_type: &str, id: &str) -> Option<Record> {
        let store = self.shared.store();
        let os = store.obj(ot(object_type));
        let n = id.parse::<u64>().ok()?;
        os.live
            .get(&n)
            .or_else(|| os.archived.get(&n))
            .map(|r| os.to_record(r))
    }

    /// The live record whose property `name` equals `value` (the lowest id when several do).
    /// Indexed for unique properties and the contact e-mail (case-insensitive there), a scan
    /// otherwise.
    pub fn find_by_property(&self, object_type: &str, name: &str, value: &str) -> Option<Record> {
        let store = self.shared.store();
        let os = store.obj(ot(object_type));
        if name == "hs_object_id" {
            let n = value.parse::<u64>().ok()?;
            return os.live.get(&n).map(|r| os.to_record(r));
        }
        let k = os.key(name)?;
        if os.is_indexed(k) {
            let id = os.lookup(k, value)?;
            return os.live.get(&id).map(|r| os.to_record(r));
        }
        os.live
            .values()
            .find(|r| os.value(r, k).as_deref() == Some(value))
            .map(|r| os.to_record(r))
    }

    /// Associations of one record to records of a type: (to id, association type id), one
    /// entry per type, by to id.
    pub fn associations(
        &self,
        from_type: &str,
        from_id: &str,
        to_type: &str,
    ) -> Vec<(String, u32)> {
        let Ok(fid) = from_id.parse::<u64>() else {
            return Vec::new();
        };
        let store = self.shared.store();
        store
            .associations(ot(from_type), fid, ot(to_type))
            .into_iter()
            .flat_map(|(tid, types)| types.into_iter().map(move |t| (tid.to_string(), t)))
            .collect()
    }

    /// Associates two records with the default (unlabeled) type, both ways.
    pub fn associate(
        &self,
        from_type: &str,
        from_id: &str,
        to_type: &str,
        to_id: &str,
    ) -> anyhow::Result<()> {
        let (from, to) = (ot(from_type), ot(to_type));
        let Some(ty) = associations::default_type(from, to) else {
            anyhow::bail!("{from_type} and {to_type} records cannot be associated");
        };
        let mut store = self.shared.store();
        let (Ok(f), Ok(t)) = (from_id.parse::<u64>(), to_id.parse::<u64>()) else {
            anyhow::bail!("record ids are numeric");
        };
        if !store.obj(from).live.contains_key(&f) || !store.obj(to).live.contains_key(&t) {
            anyhow::bail!("no such live records: {from_type} {from_id}, {to_type} {to_id}");
        }
        store.associate(from, f, to, t, ty);
        Ok(())
    }

    /// The pipelines of an object type (only `deals` has any), archived ones left out.
    pub fn pipelines(&self, object_type: &str) -> Vec<Pipeline> {
        let name = ot(object_type).name();
        self.shared
            .store()
            .pipelines
            .iter()
            .filter(|p| p.object_type == name && !p.archived)
            .cloned()
            .collect()
    }

    /// The property definitions of an object type, standard and custom.
    pub fn properties(&self, object_type: &str) -> Vec<PropertyDef> {
        self.shared.store().obj(ot(object_type)).defs.clone()
    }

    /// Creates a record as if someone had made it in HubSpot (e.g. a contact that already has a
    /// Shopify customer's e-mail). The API's validation and uniqueness rules apply.
    pub fn create_object<I, K, V>(&self, object_type: &str, props: I) -> anyhow::Result<Record>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let t = ot(object_type);
        let input = props_map(props);
        let mut store = self.shared.store();
        let changes = store
            .prepare(t, &input, None)
            .map_err(|e| anyhow::anyhow!(errors::property_values_message(&e)))?;
        if let Some(c) = store.conflict(t, &changes, None, &Default::default()) {
            anyhow::bail!(c.message);
        }
        let id = store.create(t, changes);
        let os = store.obj(t);
        Ok(os.to_record(&os.live[&id]))
    }

    /// Changes a record as a HubSpot user would (empty values clear properties).
    pub fn update_object<I, K, V>(
        &self,
        object_type: &str,
        id: &str,
        props: I,
    ) -> anyhow::Result<Record>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let t = ot(object_type);
        let input = props_map(props);
        let mut store = self.shared.store();
        let Some(rid) = id
            .parse::<u64>()
            .ok()
            .filter(|n| store.obj(t).live.contains_key(n))
        else {
            anyhow::bail!("no live {object_type} record {id}");
        };
        let changes = store
            .prepare(t, &input, Some(rid))
            .map_err(|e| anyhow::anyhow!(errors::property_values_message(&e)))?;
        if let Some(c) = store.conflict(t, &changes, Some(rid), &Default::default()) {
            anyhow::bail!(c.message);
        }
        store.update(t, rid, changes);
        let os = store.obj(t);
        Ok(os.to_record(&os.live[&rid]))
    }

    /// Archives a record as a HubSpot user deleting it would. False when there was no such
    /// live record.
    pub fn archive_object(&self, object_type: &str, id: &str) -> bool {
        let Ok(n) = id.parse::<u64>() else {
            return false;
        };
        self.shared.store().archive(ot(object_type), n)
    }

    /// Replaces the fault switches (and reseeds the fault generator with `faults.seed`).
    pub fn set_faults(&self, faults: Faults) {
        *self.shared.fault_state() = FaultState::new(faults);
    }

    pub fn faults(&self) -> Faults {
        self.shared.fault_state().faults.clone()
    }

    /// Sets what is left of today's allowance (0: every further request is a 429 `DAILY`
    /// until [`reset_daily`](Self::reset_daily) or the next (virtual) midnight).
    pub fn set_daily_remaining(&self, n: u64) {
        self.shared.limiter().set_daily_remaining(n);
    }

    pub fn daily_remaining(&self) -> u64 {
        self.shared.limiter().daily_remaining()
    }

    /// A new day: the full daily allowance again.
    pub fn reset_daily(&self) {
        self.shared.limiter().reset_daily();
    }

    pub fn stats(&self) -> HubSpotStats {
        self.shared.stats().clone()
    }

    pub fn reset_stats(&self) {
        *self.shared.stats() = HubSpotStats::default();
    }

    /// The bearer token the fake accepts.
    pub fn token(&self) -> String {
        self.shared.token.clone()
    }
}

/// Builds the HubSpot fake for a sandbox: its handle and its routes.
pub fn build(config: &crate::SandboxConfig) -> anyhow::Result<(HubSpotHandle, axum::Router)> {
    if !(config.time_scale.is_finite() && config.time_scale > 0.0) {
        anyhow::bail!(
            "time_scale must be a positive number, got {}",
            config.time_scale
        );
    }
    if config.hubspot_ten_secondly == 0 {
        anyhow::bail!("hubspot_ten_secondly must be at least 1");
    }
    let shared = Arc::new(Shared {
        store: Mutex::new(Store::new()),
        limiter: Mutex::new(Limiter::new(
            config.time_scale,
            config.limits_lifted,
            config.hubspot_ten_secondly,
            config.hubspot_daily,
        )),
        faults: Mutex::new(FaultState::new(config.faults.clone())),
        stats: Mutex::new(HubSpotStats::default()),
        token: config.hubspot_token.clone(),
    });
    let router = router::router(shared.clone());
    Ok((HubSpotHandle { shared }, router))
}
