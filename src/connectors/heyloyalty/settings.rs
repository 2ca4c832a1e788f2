//! `[profiles.NAME.heyloyalty]`: the account, the list strategy and the two-way rules.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::connectors::settings::{check_base_url, Context, Settings};
use crate::error::CliError;

/// How shop customers are spread over Heyloyalty lists (the seed's three choices).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListStrategy {
    /// One list per customer group, named after the group (with `list_prefix`).
    #[default]
    PerGroup,
    /// One list (`list`) for every customer; the group is a field on the member.
    Single,
    /// Both: the group's list and the single list.
    Both,
}

/// A conflict policy as written in the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictPolicy {
    ShopWins,
    /// The list (Heyloyalty) side wins.
    ListWins,
    NewestWins,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeyloyaltySettings {
    /// Where the API is reached [default: `https://api.heyloyalty.com/loyalty`; `/v1/...` and
    /// `/v2/...` go under it].
    pub base_url: Option<String>,
    /// Requests per second [default: 4; Heyloyalty documents no limit].
    pub requests_per_second: Option<f64>,
    /// [default: `per_group`]
    #[serde(default)]
    pub list_strategy: ListStrategy,
    /// `single` and `both`: the name of the one list for every customer.
    pub list: Option<String>,
    /// `per_group` and `both`: a group's list is named this prefix + the group's title
    /// [default: ""].
    #[serde(default)]
    pub list_prefix: String,
    /// The member field that names the customer group [default: `customer_group`].
    pub group_field: Option<String>,
    /// Changes in Heyloyalty flow back to the shop [default: true].
    #[serde(default = "yes")]
    pub two_way: bool,
    /// The fields that may flow back, narrowed from the seed's list [default: all of it:
    /// first_name, last_name, address, city, country, email, mobile, birthdate, permission,
    /// zip, gender].
    pub back_fields: Option<Vec<String>>,
    /// The conflict policy of every field [default: `shop_wins`].
    pub conflicts: Option<ConflictPolicy>,
    /// The conflict policy of single fields, over `conflicts`.
    #[serde(default)]
    pub conflict_fields: BTreeMap<String, ConflictPolicy>,
    /// Contact field -> the Heyloyalty field it is written to, over the defaults.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The shop group a new subscriber of the single list joins when the member names none
    /// [default: the shop's first group].
    pub default_group: Option<String>,
}

fn yes() -> bool {
    true
}

impl Settings for HeyloyaltySettings {
    const TABLE: &'static str = "heyloyalty";

    fn absent(ctx: &Context) -> Result<Self, CliError> {
        Err(CliError::config(format!(
            "the profile `{}` syncs with Heyloyalty but has no [profiles.{}.heyloyalty] table",
            ctx.profile, ctx.profile
        ))
        .hint(format!(
            "add it {}, e.g. with `list_strategy = \"per_group\"` (see profiles.example.toml)",
            ctx.here
        )))
    }

    fn validate(&self, ctx: &Context) -> Result<(), CliError> {
        let here = ctx.here;
        if let Some((problem, fix)) = self.problems().into_iter().next() {
            return Err(CliError::config(format!("{problem} {here} (heyloyalty)")).hint(fix));
        }
        if let Some(url) = &self.base_url {
            check_base_url(url).map_err(|why| {
                CliError::config(format!(
                    "`base_url` {here} (heyloyalty) is not a usable URL: {why}"
                ))
                .hint("write it as http(s)://HOST[:PORT]/PATH, or remove it")
            })?;
            ctx.check_cleartext(url, "heyloyalty")?;
        }
        Ok(())
    }

    fn urls(&self) -> Vec<String> {
        self.base_url.iter().cloned().collect()
    }
}

impl HeyloyaltySettings {
    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| super::client::BASE_URL.to_string())
    }

    pub fn group_field(&self) -> String {
        self.group_field
            .clone()
            .unwrap_or_else(|| "customer_group".to_string())
    }

    /// What is wrong with these settings, for the profile check.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let back = crate::model::contact::LIST_TO_SHOP;
        if matches!(
            self.list_strategy,
            ListStrategy::Single | ListStrategy::Both
        ) && self.list.as_deref().is_none_or(|l| l.trim().is_empty())
        {
            out.push((
                format!(
                    "list_strategy = \"{}\" needs `list`, the one list's name",
                    match self.list_strategy {
                        ListStrategy::Single => "single",
                        _ => "both",
                    }
                ),
                "add e.g. `list = \"Webshop\"`".to_string(),
            ));
        }
        for f in self.back_fields.iter().flatten() {
            if !back.contains(&f.as_str()) {
                out.push((
                    format!("back_fields names `{f}`, which cannot flow back to the shop"),
                    format!("use only these: {}", back.join(", ")),
                ));
            }
        }
        let all = crate::model::contact::SHOP_TO_LIST;
        for f in self.conflict_fields.keys().chain(self.fields.keys()) {
            if !all.contains(&f.as_str()) {
                out.push((
                    format!("`{f}` is not a synced field"),
                    format!("the fields are: {}", all.join(", ")),
                ));
            }
        }
        out
    }
}
