//! The checks of a Shopware -> Spotler profile: its four credentials, both APIs (reached, the
//! credentials accepted) and the field map against both catalogues.

use super::Check;
use crate::config::credentials::Secret;
use crate::config::Profile;
use crate::flows::shopware_spotler::{self, Credentials};

pub async fn check(profile: &Profile, secrets: [Option<Secret>; 4], checks: &mut Vec<Check>) {
    let name = profile.name.as_str();
    let [Some(user), Some(key), Some(spotler_key), Some(spotler_secret)] = secrets else {
        for c in ["shopware.api", "spotler.api", "fields"] {
            checks.push(Check::skipped(Some(name), c, "a credential is missing"));
        }
        return;
    };
    let (shop, spotler) = shopware_spotler::clients(
        profile,
        Credentials {
            shopware_user: user,
            shopware_key: key,
            spotler_key,
            spotler_secret,
        },
    );
    let shop_ok = match shop.customer_page(None, 0, 1).await {
        Ok((_, total)) => {
            checks.push(Check::ok(
                Some(name),
                "shopware.api",
                format!("Shopware's REST API accepted the API user ({total} customers)"),
            ));
            true
        }
        Err(e) => {
            let e: crate::error::CliError = e.into();
            let mut c = Check::error(Some(name), "shopware.api", e.message.clone());
            c.fix = e.hint;
            checks.push(c);
            false
        }
    };
    let spotler_ok = match spotler.properties().await {
        Ok(props) => {
            let bits = props
                .iter()
                .find(|p| p.name == "permissions")
                .map(|p| {
                    p.entries
                        .iter()
                        .map(|(b, d)| format!("{b} {d}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| "none".into());
            checks.push(Check::ok(
                Some(name),
                "spotler.api",
                format!(
                    "Spotler accepted the consumer key and signature ({} contact properties; permission bits: {bits})",
                    props.len()
                ),
            ));
            true
        }
        Err(e) => {
            let e: crate::error::CliError = e.into();
            let mut c = Check::error(Some(name), "spotler.api", e.message.clone());
            c.fix = e.hint;
            checks.push(c);
            false
        }
    };
    if !(shop_ok && spotler_ok) {
        checks.push(Check::skipped(
            Some(name),
            "fields",
            "a system could not be read",
        ));
        return;
    }
    match shopware_spotler::catalogues(profile, &shop, &spotler).await {
        Ok(cat) => checks.push(Check::ok(
            Some(name),
            "fields",
            format!(
                "{} Spotler properties and {} permission bit(s) mapped to shop fields",
                cat.map.fields.len(),
                cat.map.permissions.len()
            ),
        )),
        Err(e) => {
            let mut c = Check::error(Some(name), "fields", e.message.clone());
            c.fix = e.hint;
            checks.push(c);
        }
    }
}
