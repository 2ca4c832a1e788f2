//! `doctor`'s check of a Huddle.

use crate::health::{client, reachable, Check};

/// Huddle has no API to test a key against (only the webhook endpoint, which would create a
/// membership), so the doctor checks that the host answers.
/// `profile` names the profile (for the fixes); `base` is where its Huddle is reached.
pub async fn check(profile: &str, base: &str, checks: &mut Vec<Check>) {
    let name = Some(profile);
    match reachable(&client(), base).await {
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
                profile
            )),
        ),
    }
}
