//! `shopsync fields --profile NAME`: a Spotler profile's two catalogues side by side: each
//! Spotler contact property with its type and the shop field that fills it, each permission
//! bit and its shop field, the shop fields nothing reads, and whatever in the map does not fit.

use comfy_table::Cell;
use serde::Serialize;

use crate::cli::FieldsArgs;
use crate::commands::Context;
use crate::config::ProfileFile;
use crate::connectors::shopware::settings::ShopwareSettings;
use crate::connectors::spotler::client::Property;
use crate::connectors::spotler::mapping::ShopField;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::shopware_spotler::{self, Credentials};

#[derive(Serialize)]
struct Row {
    property: String,
    #[serde(rename = "type")]
    kind: String,
    /// The shop field that fills it, when one does.
    shop_field: Option<String>,
    shop_kind: Option<String>,
}

#[derive(Serialize)]
struct Report {
    profile: String,
    /// The shop field whose value is each contact's external id.
    key: String,
    properties: Vec<Row>,
    /// Permission bit (and its description) -> shop field.
    permissions: Vec<Permission>,
    /// Spotler properties no shop field fills.
    unmapped_properties: Vec<String>,
    /// Shop fields no property reads (the key and the permission fields count as read).
    unmapped_shop_fields: Vec<String>,
    /// What in the profile's map does not fit; empty when the map is usable.
    problems: Vec<String>,
    spotler_catalogue: Vec<Property>,
    shop_catalogue: Vec<ShopField>,
}

#[derive(Serialize)]
struct Permission {
    bit: i64,
    description: String,
    shop_field: Option<String>,
}

pub async fn exec(ctx: &Context, args: FieldsArgs) -> CliResult<ExitCode> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let profile = file.profile(&args.profile, &path)?;
    if profile.target != "spotler" {
        return Err(CliError::config(format!(
            "`fields` shows the field map of a Spotler profile, but `{}` targets {}",
            profile.name, profile.target
        ))
        .hint("name a profile with `target = \"spotler\"`"));
    }
    let creds = Credentials::resolve(&profile.name)?;
    let (shop, spotler) = shopware_spotler::clients(&profile, creds);
    let (shop_fields, properties) = shopware_spotler::read_catalogues(&shop, &spotler).await?;
    let (map, problems) = match shopware_spotler::check_map(&profile, &shop_fields, &properties) {
        Ok((map, _)) => (Some(map), Vec::new()),
        Err(p) => (None, p),
    };
    let sw = profile.table::<ShopwareSettings>();
    let field_of = |p: &str| map.as_ref().and_then(|m| m.fields.get(p).cloned());
    let rows: Vec<Row> = properties
        .iter()
        .filter(|p| p.kind != "set")
        .map(|p| {
            let f = field_of(&p.name);
            Row {
                property: p.name.clone(),
                kind: p.kind.clone(),
                shop_kind: f.as_ref().and_then(|f| {
                    shop_fields
                        .iter()
                        .find(|s| &s.name == f)
                        .map(|s| s.kind.as_str().to_string())
                }),
                shop_field: f,
            }
        })
        .collect();
    let permissions: Vec<Permission> = properties
        .iter()
        .filter(|p| p.kind == "set")
        .flat_map(|p| p.entries.iter())
        .map(|(bit, d)| Permission {
            bit: *bit,
            description: d.clone(),
            shop_field: map.as_ref().and_then(|m| m.permissions.get(bit).cloned()),
        })
        .collect();
    let read: Vec<String> = rows
        .iter()
        .filter_map(|r| r.shop_field.clone())
        .chain(permissions.iter().filter_map(|p| p.shop_field.clone()))
        .chain([sw.key.clone()])
        .collect();
    let report = Report {
        profile: profile.name.clone(),
        key: sw.key.clone(),
        unmapped_properties: rows
            .iter()
            .filter(|r| r.shop_field.is_none())
            .map(|r| r.property.clone())
            .collect(),
        unmapped_shop_fields: shop_fields
            .iter()
            .filter(|f| !read.contains(&f.name))
            .map(|f| f.name.clone())
            .collect(),
        properties: rows,
        permissions,
        problems,
        spotler_catalogue: properties,
        shop_catalogue: shop_fields,
    };
    let code = if report.problems.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::Usage
    };
    if ctx.printer.json {
        ctx.printer.out_json(&report);
        return Ok(code);
    }
    let mut table = ctx.printer.table();
    table.set_header(vec!["Spotler property", "type", "shop field", "shop type"]);
    for r in &report.properties {
        table.add_row(vec![
            Cell::new(&r.property),
            Cell::new(&r.kind),
            Cell::new(r.shop_field.as_deref().unwrap_or("(not mapped)")),
            Cell::new(r.shop_kind.as_deref().unwrap_or("")),
        ]);
    }
    for p in &report.permissions {
        table.add_row(vec![
            Cell::new(format!("permissions bit {}", p.bit)),
            Cell::new(format!("set ({})", p.description)),
            Cell::new(p.shop_field.as_deref().unwrap_or("(not mapped)")),
            Cell::new(if p.shop_field.is_some() { "bool" } else { "" }),
        ]);
    }
    ctx.printer.out(table.to_string());
    ctx.printer.out(format!(
        "External id: the shop's `{}`. Shop fields no property reads: {}.",
        report.key,
        if report.unmapped_shop_fields.is_empty() {
            "none".to_string()
        } else {
            report.unmapped_shop_fields.join(", ")
        }
    ));
    if !report.problems.is_empty() {
        ctx.printer.out(format!(
            "The map does not fit (no run writes anything until it does):\n  - {}",
            report.problems.join("\n  - ")
        ));
    }
    Ok(code)
}
