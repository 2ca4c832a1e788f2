//! `doctor`'s check of a Huddle.

use crate::config::Profile;
use crate::health::{client, reachable, Check};

/// Huddle has no API to test a key against (only the webhook endpoint, which would create a
/// membership), so the doctor checks that the host answers.
pub async fn check(profile: &Profile, checks: &mut Vec<Check>) {
    let name = Some(profile.name.as_str());
    let Some(base) = profile.huddle_base_url() else {
        return;
    };
    match reachable(&client(), &base).await {
        Ok(()) => checks.push(Check::ok(
            name,
            "huddle.host",
            format!("{base} answers (the API key is only tested by a real delivery)"),
        )),
        Err(why) => checks.push(
            Check::error(
                name,
                "huddle.host",
                format!("{base} cannot be reached: {why}"),
            )
            .fix(format!(
                "check `domain` (and `base_url`) in [profiles.{}.huddle]: it is the host of \
                     your Huddle, e.g. leden.example.nl",
                profile.name
            )),
        ),
    }
}
