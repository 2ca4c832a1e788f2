//! `shopsync-sandbox`: runs the fakes on 127.0.0.1 until interrupted, for manual tries and
//! benchmarks. Prints one JSON line with the URLs and tokens on stdout: Shopify, HubSpot and
//! Huddle (its webhook endpoint's base URL and the API key it accepts; the Shopify app secret
//! webhooks are signed with), Tellix, Heyloyalty and HostedShop (see `PRINTS`).
//!
//! Options: --customers N --products N --orders N --seed N --time-scale X --limits-lifted
//!          --shopify-restore-rate PTS --hubspot-ten-secondly N --hubspot-daily N

use shopsync_sandbox::SandboxConfig;

fn main() -> anyhow::Result<()> {
    let mut config = SandboxConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--customers" => config.seed.customers = value()?.parse()?,
            "--products" => config.seed.products = value()?.parse()?,
            "--orders" => config.seed.orders = value()?.parse()?,
            "--seed" => config.seed.seed = value()?.parse()?,
            "--time-scale" => config.time_scale = value()?.parse()?,
            "--shopify-restore-rate" => config.shopify_restore_rate = value()?.parse()?,
            "--hubspot-ten-secondly" => config.hubspot_ten_secondly = value()?.parse()?,
            "--hubspot-daily" => config.hubspot_daily = value()?.parse()?,
            "--limits-lifted" => config.limits_lifted = true,
            "-h" | "--help" => {
                println!(
                    "shopsync-sandbox: local fakes of the Shopify Admin GraphQL, HubSpot CRM, Huddle, \
                     Tellix, Heyloyalty and HostedShop SOAP APIs on 127.0.0.1, seeded with a store, for manual tries and \
                     benchmarks (the same as `shopsync sandbox`).\n\n{}\n\n\
                     Usage: shopsync-sandbox [--customers N] [--products N] [--orders N] [--seed N] \
                     [--time-scale X] [--limits-lifted] [--shopify-restore-rate PTS] \
                     [--hubspot-ten-secondly N] [--hubspot-daily N]",
                    shopsync_sandbox::PRINTS
                );
                return Ok(());
            }
            other => anyhow::bail!("unknown option {other} (see --help)"),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(shopsync_sandbox::run_until_interrupted(config))
}
