//! `doctor`'s checks of a Tellix back office: a login with its three credentials, and the
//! departments the profile names.

use crate::connectors::backoffice::BackOfficeSettings;
use crate::health::Check;
use crate::secret::Secret;

use super::{TellixBackOffice, TellixClient, TellixCredentials};

/// `secrets`: the Tellix username, password and API key, as far as they are set.
/// `profile` names the profile (for the fixes); `s` is its `[backoffice]` table.
pub async fn check(
    profile: &str,
    s: &BackOfficeSettings,
    secrets: [Option<Secret>; 3],
    checks: &mut Vec<Check>,
) {
    let name = Some(profile);
    let [Some(username), Some(password), Some(apikey)] = secrets else {
        checks.push(Check::skipped(
            name,
            "tellix.login",
            "a Tellix credential is missing",
        ));
        return;
    };
    let base = s.tellix_base_url();
    let client = TellixClient::new(
        &base,
        TellixCredentials {
            username,
            password,
            apikey,
        },
    );
    let tellix = match TellixBackOffice::connect(client).await {
        Ok(t) => t,
        Err(e) => {
            let e = crate::error::CliError::from(e);
            checks.push(
                Check::error(name, "tellix.login", e.message).fix(e.hint.unwrap_or_default()),
            );
            return;
        }
    };
    let departments = tellix.department_names();
    checks.push(Check::ok(
        name,
        "tellix.login",
        format!("{base}: logged in; departments: {}", departments.join(", ")),
    ));
    let mut named: Vec<(&str, &str)> = s
        .warehouses
        .keys()
        .map(|w| ("warehouses", w.as_str()))
        .collect();
    if let Some(d) = s.price_department.as_deref().filter(|d| *d != "default") {
        named.push(("price_department", d));
    }
    let unknown: Vec<String> = named
        .iter()
        .filter(|(_, d)| tellix.department_id(d).is_none())
        .map(|(key, d)| format!("`{d}` ({key})"))
        .collect();
    if unknown.is_empty() {
        checks.push(Check::ok(
            name,
            "tellix.departments",
            "every department the profile names exists",
        ));
    } else {
        checks.push(
            Check::error(
                name,
                "tellix.departments",
                format!("not Tellix departments: {}", unknown.join(", ")),
            )
            .fix(format!(
                "use a department's name in [profiles.{}.backoffice]; Tellix has: {}",
                profile,
                departments.join(", ")
            )),
        );
    }
}
