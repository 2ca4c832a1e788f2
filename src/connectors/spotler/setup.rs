//! What `shopsync setup` asks about a Spotler Mail+ account.

use crate::connectors::questions::{check_optional_url, Ask, Setting};
use crate::connectors::system::System;

pub const SETUP_BASE_URL: Ask = Ask::Setting(Setting {
    table: "spotler",
    key: "base_url",
    prompt: "Spotler REST API base URL",
    help: "Leave empty for https://restapi.mailplus.nl/integrationservice-1.1.0.",
    default: None,
    required: false,
    check: check_optional_url,
});

pub const SETUP_CONSUMER_KEY: Ask = Ask::Credential {
    system: System::SpotlerKey,
    what: "the Spotler REST API consumer key (made in your Spotler account)",
};

pub const SETUP_CONSUMER_SECRET: Ask = Ask::Credential {
    system: System::SpotlerSecret,
    what: "its consumer secret",
};
