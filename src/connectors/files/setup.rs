//! What `shopsync setup` asks about a back office that exchanges files.

use crate::connectors::questions::{check_optional_text, check_text, Ask, Setting};

pub const SETUP_CATALOGUE: Ask = Ask::Setting(Setting {
    table: "backoffice",
    key: "catalogue",
    prompt: "Catalogue file",
    help: "The back office's catalogue export that push-products reads (.csv or .jsonl).",
    default: None,
    required: true,
    check: check_text,
});

pub const SETUP_CUSTOMERS_FILE: Ask = Ask::Setting(Setting {
    table: "backoffice",
    key: "customers_file",
    prompt: "Customers file",
    help: "Where pull-customers writes the shop's customers (.csv or .jsonl); empty: not used.",
    default: None,
    required: false,
    check: check_optional_text,
});

pub const SETUP_STOCK_FILE: Ask = Ask::Setting(Setting {
    table: "backoffice",
    key: "stock_file",
    prompt: "Stock file",
    help: "Where pull-stock writes the shop's stock levels (.csv or .jsonl); empty: not used.",
    default: None,
    required: false,
    check: check_optional_text,
});
