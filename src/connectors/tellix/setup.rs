//! What `shopsync setup` asks about a Tellix back office.

use crate::connectors::questions::{check_optional_text, check_optional_url, Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_BASE_URL: Ask = Ask::Setting(Setting {
    table: "backoffice",
    key: "base_url",
    prompt: "Tellix API base URL",
    help: "Tellix Backoffice API v3: leave empty for https://api.tellix.no/web/v3.",
    default: None,
    required: false,
    check: check_optional_url,
});

pub const SETUP_PRICE_DEPARTMENT: Ask = Ask::Setting(Setting {
    table: "backoffice",
    key: "price_department",
    prompt: "Price department",
    help: "The department (price list) whose price the shop gets; leave empty for the product's own price.",
    default: None,
    required: false,
    check: check_optional_text,
});

pub const SETUP_USERNAME: Ask = Ask::Credential {
    system: System::TellixUsername,
    what: "the Tellix Backoffice API user name",
};

pub const SETUP_PASSWORD: Ask = Ask::Credential {
    system: System::TellixPassword,
    what: "the Tellix Backoffice API user's password",
};

pub const SETUP_APIKEY: Ask = Ask::Credential {
    system: System::TellixApikey,
    what: "the Tellix Backoffice API key",
};
