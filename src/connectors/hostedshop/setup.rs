//! What `shopsync setup` asks about a HostedShop shop.

use crate::connectors::questions::{check_optional_url, Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_ENDPOINT: Ask = Ask::Setting(Setting {
    table: "hostedshop",
    key: "endpoint",
    prompt: "HostedShop SOAP endpoint",
    help: "The shop's SOAP API: leave empty for https://api.hostedshop.io/service.php; set it for a local sandbox.",
    default: None,
    required: false,
    check: check_optional_url,
});

pub const SETUP_USER: Ask = Ask::Credential {
    system: System::HostedshopUser,
    what: "the shop's API user name (a staff user with Applikationsadgang = API; Indstillinger > API: SOAP \"API adgang\" on)",
};

pub const SETUP_PASSWORD: Ask = Ask::Credential {
    system: System::HostedshopPassword,
    what: "that API user's password (HostedShop refuses the characters ! , and €)",
};
