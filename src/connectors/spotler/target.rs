//! Spotler Mail+ as a sync target: one contact per shop customer, keyed by the external id the
//! profile chose. Written in batches with `POST /contact/list` (`update: true`: an existing
//! contact is updated, so a batch sent again after a crash changes nothing twice).

use std::collections::{BTreeMap, HashMap};

use futures::stream::{self, StreamExt};

use super::client::SpotlerClient;
use super::mapping::{self, FieldMap, ShopKind};
use crate::engine::{Desired, Outcome, Skip, Target, TargetError};
use crate::model::Record;
use crate::model::Stream;
use crate::state::{Fields, Link};

pub struct SpotlerTarget {
    pub client: SpotlerClient,
    map: FieldMap,
    /// Property -> (Spotler type, shop kind) of each mapped property.
    kinds: BTreeMap<String, (String, ShopKind)>,
    /// The shop field whose value is the contact's external id.
    key: String,
    /// Records with this field set are skipped, with this reason (B2B sub-contacts).
    exclude: Option<(String, String)>,
}

impl SpotlerTarget {
    pub fn new(
        client: SpotlerClient,
        map: FieldMap,
        kinds: BTreeMap<String, (String, ShopKind)>,
        key: String,
    ) -> SpotlerTarget {
        SpotlerTarget {
            client,
            map,
            kinds,
            key,
            exclude: None,
        }
    }

    /// Skips the records whose `field` is set, saying `reason`.
    pub fn excluding(mut self, field: &str, reason: &str) -> SpotlerTarget {
        self.exclude = Some((field.to_string(), reason.to_string()));
        self
    }
}

fn valid_email(s: &str) -> bool {
    s.split_once('@').is_some_and(|(l, d)| {
        !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
    }) && !s.contains(char::is_whitespace)
}

impl Target for SpotlerTarget {
    async fn prepare(&self, _streams: &[Stream], _dry_run: bool) -> Result<(), TargetError> {
        // The catalogue was read and the map checked before the run started.
        Ok(())
    }

    fn desired(&self, record: Record) -> Result<Desired, Skip> {
        let Record::Customer(c) = &record else {
            return Err(Skip {
                source_id: record.source_id().to_string(),
                label: record.source_id().to_string(),
                reason: "Spotler takes customers only".into(),
            });
        };
        let label = c.email.clone().unwrap_or_else(|| c.id.clone());
        let skip = |reason: String| Skip {
            source_id: c.id.clone(),
            label: label.clone(),
            reason,
        };
        if let Some((field, reason)) = &self.exclude {
            if let Some(v) = c.fields.get(field).filter(|v| !v.trim().is_empty()) {
                return Err(skip(format!("{reason} (`{field}` is {v})")));
            }
        }
        let key = c
            .fields
            .get(&self.key)
            .map(|k| k.trim())
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                skip(format!(
                    "it has no `{}`, the field chosen as the contact's external id",
                    self.key
                ))
            })?;
        let fields = mapping::contact_fields(&self.map, &self.kinds, &c.fields, key);
        match fields.get("email") {
            Some(e) if valid_email(e) => {}
            Some(e) => {
                return Err(skip(format!(
                    "`{e}` is not an e-mail address Spotler accepts"
                )))
            }
            None => return Err(skip("it has no e-mail address (Spotler needs one)".into())),
        }
        Ok(Desired {
            source_id: c.id.clone(),
            label,
            fields,
            record,
        })
    }

    async fn current(
        &self,
        _stream: Stream,
        records: &[&Desired],
    ) -> Result<HashMap<String, (String, Fields)>, TargetError> {
        let lookups = records.iter().map(|d| async move {
            let id = d.fields.get("externalId").cloned().unwrap_or_default();
            let found = self.client.contact(&id).await?;
            Ok::<_, super::client::SpotlerError>(found.map(|c| {
                (
                    d.source_id.clone(),
                    (id.clone(), mapping::fields_of_contact(&self.map, &c)),
                )
            }))
        });
        let results: Vec<_> = stream::iter(lookups).buffer_unordered(8).collect().await;
        let mut out = HashMap::new();
        for r in results {
            if let Some((k, v)) = r? {
                out.insert(k, v);
            }
        }
        Ok(out)
    }

    async fn write(
        &self,
        _stream: Stream,
        records: &[(Desired, Option<Link>)],
    ) -> Result<Vec<Outcome>, TargetError> {
        let contacts: Vec<_> = records
            .iter()
            .map(|(d, _)| mapping::contact_json(&d.fields))
            .collect();
        let results = match self.client.upsert_batch(&contacts).await {
            Ok(r) => r,
            Err(e @ super::client::SpotlerError::Refused { .. }) => {
                // The whole batch refused (a malformed request): each record fails and is retried.
                let reason = e.to_string();
                return Ok(records
                    .iter()
                    .map(|(d, _)| Outcome::Failed {
                        source_id: d.source_id.clone(),
                        reason: reason.clone(),
                    })
                    .collect());
            }
            Err(e) => return Err(e.into()),
        };
        let by_id: HashMap<String, (String, String)> = results
            .into_iter()
            .map(|r| (r.external_id, (r.code, r.message)))
            .collect();
        Ok(records
            .iter()
            .filter_map(|(d, link)| {
                let id = d.fields.get("externalId")?.clone();
                let (code, message) = by_id.get(&id)?;
                Some(if code == "OK" {
                    // A re-key (a linked record under a new external id) is an update of the
                    // record, as the plan shows it (`externalId: old -> new`), although Spotler
                    // makes a new contact for it.
                    let created = link.is_none();
                    Outcome::Written {
                        source_id: d.source_id.clone(),
                        target_id: id,
                        created,
                        fields: None,
                    }
                } else {
                    Outcome::Failed {
                        source_id: d.source_id.clone(),
                        reason: if message.is_empty() {
                            format!("Spotler answered {code}")
                        } else {
                            format!("Spotler answered {code}: {message}")
                        },
                    }
                })
            })
            .collect())
    }

    async fn delete(
        &self,
        _stream: Stream,
        _records: Vec<(String, Link)>,
    ) -> Result<Vec<Outcome>, TargetError> {
        Ok(Vec::new())
    }

    /// A customer deleted in the shop keeps its contact (and its mailing history) in Spotler.
    fn deletes_follow_source(&self, _stream: Stream) -> bool {
        false
    }

    /// Spotler documents no limit for `POST /contact/list` [?]: 100 contacts keep a request
    /// small enough to retry cheaply.
    fn batch_size(&self) -> usize {
        100
    }

    /// Spotler documents no rate limit [?]; a 429 is honoured, and four batches at once stay
    /// well clear of one.
    fn concurrency(&self) -> usize {
        4
    }
}
