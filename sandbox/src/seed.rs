//! Deterministic store contents: the same seed and sizes give the same store, byte for byte.
//!
//! Nothing is generated up front: every record is a pure function of `(seed, kind, index)`, so a
//! store of a million customers costs no memory until a record is read. The fakes keep an overlay
//! of the changes made after seeding (see `shopify::store`).
//!
//! Records come out in the shape the Shopify Admin GraphQL API (2026-10) returns them, as JSON
//! objects carrying their `__typename`. Two markers stand for what a resolver fills in on demand:
//! `{"__ref": "gid://shopify/Customer/1"}` (a link to another record) and
//! `{"__conn": [...]}` (a nested connection, paged by the executor).

use serde_json::{json, Map, Value};

/// How big the seeded store is, and from which seed.
#[derive(Debug, Clone)]
pub struct SeedConfig {
    pub seed: u64,
    pub customers: usize,
    pub products: usize,
    pub orders: usize,
    pub abandoned_checkouts: usize,
}

impl Default for SeedConfig {
    fn default() -> Self {
        SeedConfig {
            seed: 42,
            customers: 25,
            products: 10,
            orders: 30,
            abandoned_checkouts: 4,
        }
    }
}

/// The fixed moment the seeded history ends (2026-10-01T00:00:00Z). Seeded records were created
/// over the two years before it; the fake's "now" is the wall clock, so seeded data is in the past.
pub const BASE_EPOCH: i64 = 1_790_812_800;
/// Length of the seeded history: 730 days.
pub const HISTORY_SECS: i64 = 730 * 86_400;

/// Shop currency of the seeded store.
pub const CURRENCY: &str = "EUR";

pub const CUSTOMER_BASE: u64 = 6_930_000_000_000;
pub const PRODUCT_BASE: u64 = 8_120_000_000_000;
pub const VARIANT_BASE: u64 = 45_100_000_000_000;
pub const INVENTORY_ITEM_BASE: u64 = 47_300_000_000_000;
pub const MEDIA_BASE: u64 = 31_200_000_000_000;
pub const ORDER_BASE: u64 = 5_710_000_000_000;
pub const LINE_ITEM_BASE: u64 = 14_800_000_000_000;
pub const CHECKOUT_BASE: u64 = 34_500_000_000_000;
pub const CHECKOUT_LINE_BASE: u64 = 52_900_000_000_000;
pub const ADDRESS_BASE: u64 = 9_050_000_000_000;
pub const LOCATION_BASE: u64 = 71_400_000_000;
/// Slots per parent for child ids (variants per product, line items per order, ...).
pub const CHILD_SLOTS: u64 = 16;

const KIND_CUSTOMER: u64 = 1;
const KIND_PRODUCT: u64 = 2;
const KIND_ORDER: u64 = 3;
const KIND_CHECKOUT: u64 = 4;
const KIND_ORDER_CUSTOMER: u64 = 5;

/// splitmix64: a small, fast, well-mixed generator; portable and stable across platforms.
#[derive(Clone, Debug)]
pub struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(mix(seed ^ 0x5EED_5EED_5EED_5EED))
    }
    pub fn for_record(seed: u64, kind: u64, index: u64) -> Rng {
        Rng(mix(seed
            ^ mix(
                kind.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ mix(index.wrapping_add(1))
            )))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// `2026-10-01T00:00:00Z`, as Shopify serialises `DateTime`.
pub fn iso(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Parses an ISO-8601 timestamp (or a bare date) into Unix seconds.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(t.and_utc().timestamp());
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return Some(t.and_utc().timestamp());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp());
    }
    None
}

/// Money in cents as Shopify serialises `Decimal`/`Money`: "19.99", "20.0", "20.5".
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    let (whole, frac) = (c / 100, c % 100);
    if frac == 0 {
        format!("{sign}{whole}.0")
    } else if frac % 10 == 0 {
        format!("{sign}{whole}.{}", frac / 10)
    } else {
        format!("{sign}{whole}.{frac:02}")
    }
}

/// Parses "19.99" / "20.0" / "20" into cents.
pub fn parse_money(s: &str) -> Option<i64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (w, f) = s.split_once('.').unwrap_or((s, ""));
    let w: i64 = w.parse().ok()?;
    let mut f = f.to_string();
    f.truncate(2);
    while f.len() < 2 {
        f.push('0');
    }
    let v = w * 100 + f.parse::<i64>().ok()?;
    Some(if neg { -v } else { v })
}

pub fn money_v2(cents: i64) -> Value {
    json!({"__typename": "MoneyV2", "amount": money(cents), "currencyCode": CURRENCY})
}

pub fn money_bag(cents: i64) -> Value {
    json!({"__typename": "MoneyBag", "shopMoney": money_v2(cents), "presentmentMoney": money_v2(cents)})
}

pub fn gid(kind: &str, id: u64) -> String {
    format!("gid://shopify/{kind}/{id}")
}

/// Splits `gid://shopify/Customer/123` into `("Customer", 123)`.
pub fn parse_gid(gid: &str) -> Option<(&str, u64)> {
    let rest = gid.strip_prefix("gid://shopify/")?;
    let (kind, id) = rest.split_once('/')?;
    let id = id.split('?').next()?;
    Some((kind, id.parse().ok()?))
}

fn reference(kind: &str, id: u64) -> Value {
    json!({ "__ref": gid(kind, id) })
}

fn count_obj(n: u64) -> Value {
    json!({"__typename": "Count", "count": n, "precision": "EXACT"})
}

// ---------------------------------------------------------------------------------------------
// Word lists

struct Person {
    first: &'static str,
    last: &'static str,
}

const FIRST_DK: &[&str] = &[
    "Søren",
    "Mette",
    "Jørgen",
    "Frederikke",
    "Rasmus",
    "Ida",
    "Mikkel",
    "Kirsten",
    "Anders",
    "Signe",
    "Bjørn",
    "Astrid",
    "Mads",
    "Line",
    "Jens",
    "Camilla",
];
const LAST_DK: &[&str] = &[
    "Sørensen",
    "Møller",
    "Jørgensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Thomsen",
    "Kjær",
    "Lauridsen",
    "Østergaard",
    "Christensen",
    "Bøgh",
];
const FIRST_NL: &[&str] = &[
    "Daan", "Sanne", "Bram", "Eline", "Joost", "Anaïs", "Ruben", "Chloë", "Thijs", "Zoë",
    "Maarten", "Femke", "Sem", "Lotte", "Geert", "Noor",
];
const LAST_NL: &[&str] = &[
    "de Vries",
    "van den Berg",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Dijkstra",
    "van Dijk",
    "Mulder",
    "Hoekstra",
];
const FIRST_NO: &[&str] = &[
    "Håkon",
    "Ingrid",
    "Øystein",
    "Sigrid",
    "Ola",
    "Kari",
    "Åse",
    "Magnus",
    "Solveig",
    "Eirik",
    "Marit",
    "Torbjørn",
];
const LAST_NO: &[&str] = &[
    "Ødegård",
    "Solberg",
    "Nordmann",
    "Bråten",
    "Dahl",
    "Haugen",
    "Bakken",
    "Lie",
    "Strøm",
];
const FIRST_EN: &[&str] = &["Emma", "Oliver", "Sophie", "James", "Grace", "Lucas"];
const LAST_EN: &[&str] = &["Taylor", "Brown", "Wilson", "Clarke", "Walker"];

struct Place {
    city: &'static str,
    province: Option<&'static str>,
    province_code: Option<&'static str>,
    country: &'static str,
    country_code: &'static str,
    zip: fn(&mut Rng) -> String,
    streets: &'static [&'static str],
}

fn zip_dk(r: &mut Rng) -> String {
    format!("{}", 1000 + r.below(8000))
}
fn zip_nl(r: &mut Rng) -> String {
    let letters = b"ABCDEGHJKLMNPRSTVWXZ";
    format!(
        "{} {}{}",
        1000 + r.below(8999),
        letters[r.below(20) as usize] as char,
        letters[r.below(20) as usize] as char
    )
}
fn zip_no(r: &mut Rng) -> String {
    format!("{:04}", 1 + r.below(9990))
}
fn zip_be(r: &mut Rng) -> String {
    format!("{}", 1000 + r.below(8999))
}

const STREETS_DK: &[&str] = &[
    "Nørrebrogade",
    "Vesterbrogade",
    "Østerbrogade",
    "Strøget",
    "Åboulevard",
    "Søndergade",
];
const STREETS_NL: &[&str] = &[
    "Keizersgracht",
    "Prinsengracht",
    "Oudegracht",
    "Coolsingel",
    "Kerkstraat",
    "Stationsweg",
];
const STREETS_NO: &[&str] = &[
    "Karl Johans gate",
    "Bogstadveien",
    "Torggata",
    "Bryggen",
    "Kongens gate",
    "Storgata",
];
const STREETS_BE: &[&str] = &["Veldstraat", "Korenmarkt", "Meir"];

const PLACES: &[Place] = &[
    Place {
        city: "København",
        province: None,
        province_code: None,
        country: "Denmark",
        country_code: "DK",
        zip: zip_dk,
        streets: STREETS_DK,
    },
    Place {
        city: "Aarhus",
        province: None,
        province_code: None,
        country: "Denmark",
        country_code: "DK",
        zip: zip_dk,
        streets: STREETS_DK,
    },
    Place {
        city: "Odense",
        province: None,
        province_code: None,
        country: "Denmark",
        country_code: "DK",
        zip: zip_dk,
        streets: STREETS_DK,
    },
    Place {
        city: "Amsterdam",
        province: Some("Noord-Holland"),
        province_code: Some("NH"),
        country: "Netherlands",
        country_code: "NL",
        zip: zip_nl,
        streets: STREETS_NL,
    },
    Place {
        city: "Utrecht",
        province: Some("Utrecht"),
        province_code: Some("UT"),
        country: "Netherlands",
        country_code: "NL",
        zip: zip_nl,
        streets: STREETS_NL,
    },
    Place {
        city: "Rotterdam",
        province: Some("Zuid-Holland"),
        province_code: Some("ZH"),
        country: "Netherlands",
        country_code: "NL",
        zip: zip_nl,
        streets: STREETS_NL,
    },
    Place {
        city: "Oslo",
        province: None,
        province_code: None,
        country: "Norway",
        country_code: "NO",
        zip: zip_no,
        streets: STREETS_NO,
    },
    Place {
        city: "Bergen",
        province: None,
        province_code: None,
        country: "Norway",
        country_code: "NO",
        zip: zip_no,
        streets: STREETS_NO,
    },
    Place {
        city: "Tromsø",
        province: None,
        province_code: None,
        country: "Norway",
        country_code: "NO",
        zip: zip_no,
        streets: STREETS_NO,
    },
    Place {
        city: "Gent",
        province: None,
        province_code: None,
        country: "Belgium",
        country_code: "BE",
        zip: zip_be,
        streets: STREETS_BE,
    },
];

const CUSTOMER_TAGS: &[&str] = &[
    "vip",
    "wholesale",
    "newsletter",
    "b2b",
    "returning",
    "loyalty-gold",
    "loyalty-silver",
    "staff",
];
const CUSTOMER_NOTES: &[&str] = &[
    "Prefers delivery after 17:00.",
    "Wholesale account, invoice monthly.",
    "Allergic to wool; check materials before recommending.",
    "Asked not to be called.",
    "Klant wil graag een factuur per e-mail.",
    "Kunden ønsker levering til pakkeshop.",
];

const ADJECTIVES: &[&str] = &[
    "Organic", "Merino", "Linen", "Recycled", "Classic", "Nordic", "Ceramic", "Waxed", "Bamboo",
    "Vintage", "Everyday", "Alpine", "Coastal", "Heritage", "Urban", "Woven",
];
const NOUNS: &[(&str, &str)] = &[
    ("Cotton Tee", "T-Shirts"),
    ("Wool Beanie", "Hats"),
    ("Tea Towel", "Kitchen"),
    ("Coffee Mug", "Kitchen"),
    ("Canvas Tote", "Bags"),
    ("Rain Jacket", "Outerwear"),
    ("Knit Sweater", "Knitwear"),
    ("Leather Wallet", "Accessories"),
    ("Candle", "Home"),
    ("Notebook", "Stationery"),
    ("Hoodie", "Sweatshirts"),
    ("Socks", "Socks"),
    ("Scarf", "Accessories"),
    ("Backpack", "Bags"),
];
const VENDORS: &[(&str, &str)] = &[
    ("Fjord & Co", "FJC"),
    ("Nørre Goods", "NRG"),
    ("Dutch Design Lab", "DDL"),
    ("Havn Supply", "HVN"),
    ("Polder Studio", "PLD"),
];
const PRODUCT_TAGS: &[&str] = &[
    "new",
    "sale",
    "bestseller",
    "eco",
    "gift",
    "limited",
    "summer",
    "winter",
    "handmade",
];
const SIZES: &[&str] = &["XS", "S", "M", "L", "XL"];
const COLORS: &[&str] = &["Black", "Navy", "Sand", "Forest", "Rust"];
const GATEWAYS: &[&str] = &[
    "shopify_payments",
    "shopify_payments",
    "paypal",
    "manual",
    "ideal",
    "mobilepay",
    "vipps",
];
const SOURCES: &[&str] = &["web", "web", "web", "pos", "shopify_draft_order", "iphone"];
const REFERRERS: &[&str] = &[
    "https://www.google.com/",
    "https://www.instagram.com/",
    "https://www.facebook.com/",
    "https://duckduckgo.com/",
];
const ORDER_NOTES: &[&str] = &[
    "Gift wrap please.",
    "Leave at the door.",
    "Graag inpakken als cadeau.",
    "Ring på døren.",
];

fn ascii_fold(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        match ch {
            'ø' | 'Ø' => out.push('o'),
            'å' | 'Å' => out.push_str("aa"),
            'æ' | 'Æ' => out.push_str("ae"),
            'é' | 'ë' | 'è' | 'É' => out.push('e'),
            'ï' | 'í' => out.push('i'),
            'ö' | 'ó' => out.push('o'),
            'ü' => out.push('u'),
            ' ' => {}
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    out
}

pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        match ch {
            'ø' | 'Ø' => out.push('o'),
            'å' | 'Å' => out.push_str("aa"),
            'æ' | 'Æ' => out.push_str("ae"),
            '&' => {}
            c if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => {
                if !out.ends_with('-') && !out.is_empty() {
                    out.push('-')
                }
            }
        }
    }
    out.trim_end_matches('-').to_string()
}

/// An EAN-13 with a correct check digit.
fn ean13(r: &mut Rng) -> String {
    let mut digits: Vec<u32> = vec![5, 7];
    for _ in 0..10 {
        digits.push(r.below(10) as u32);
    }
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
        .sum();
    digits.push((10 - sum % 10) % 10);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap())
        .collect()
}

fn token(r: &mut Rng, len: usize) -> String {
    const HEX: &[u8] = b"0123456789abcdef";
    (0..len)
        .map(|_| HEX[r.below(16) as usize] as char)
        .collect()
}

// ---------------------------------------------------------------------------------------------

/// Generates records of one store from its [`SeedConfig`].
#[derive(Debug, Clone)]
pub struct Seeder {
    pub cfg: SeedConfig,
    /// `sandbox-store.myshopify.com`: used in URLs.
    pub domain: String,
}

/// Per-variant facts needed to build line items without building the whole product.
#[derive(Debug, Clone)]
pub struct VariantFacts {
    pub id: u64,
    pub sku: String,
    pub title: String,
    pub price_cents: i64,
    pub grams: u64,
}

/// Statuses and timestamps of a seeded order.
#[derive(Debug, Clone)]
pub struct OrderStatus {
    pub cancelled: bool,
    pub financial: &'static str,
    pub fulfillment: &'static str,
    pub cancel_reason: Option<&'static str>,
    pub cancelled_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated: i64,
}

impl Seeder {
    pub fn new(cfg: SeedConfig, domain: &str) -> Seeder {
        Seeder {
            cfg,
            domain: domain.to_string(),
        }
    }

    fn history_start() -> i64 {
        BASE_EPOCH - HISTORY_SECS
    }

    /// Creation time of the `i`-th of `n` records: strictly increasing in `i`, spread over the
    /// seeded history.
    fn created_at(&self, kind: u64, i: usize, n: usize) -> i64 {
        let n = n.max(1) as i64;
        let slot = (HISTORY_SECS / n).max(1);
        let mut r = Rng::for_record(self.cfg.seed, kind + 100, i as u64);
        Self::history_start() + (i as i64) * HISTORY_SECS / n + r.below(slot as u64) as i64
    }

    fn updated_after(&self, kind: u64, i: usize, created: i64) -> i64 {
        let mut r = Rng::for_record(self.cfg.seed, kind + 200, i as u64);
        if r.chance(0.35) {
            created
        } else {
            let room = (BASE_EPOCH - created).max(0);
            created + (r.unit() * r.unit() * room as f64) as i64
        }
    }

    // ----- customers ---------------------------------------------------------------------------

    pub fn customer_id(&self, i: usize) -> u64 {
        CUSTOMER_BASE + i as u64
    }
    pub fn customer_created(&self, i: usize) -> i64 {
        self.created_at(KIND_CUSTOMER, i, self.cfg.customers)
    }
    pub fn customer_updated(&self, i: usize) -> i64 {
        self.updated_after(KIND_CUSTOMER, i, self.customer_created(i))
    }

    fn person(r: &mut Rng) -> (Person, &'static str) {
        let (firsts, lasts, locale) = match r.below(10) {
            0..=2 => (FIRST_DK, LAST_DK, "da"),
            3..=6 => (FIRST_NL, LAST_NL, "nl"),
            7..=8 => (FIRST_NO, LAST_NO, "nb"),
            _ => (FIRST_EN, LAST_EN, "en"),
        };
        let first = *r.pick(firsts);
        let last = *r.pick(lasts);
        (Person { first, last }, locale)
    }

    fn place_for(locale: &str, r: &mut Rng) -> &'static Place {
        let candidates: Vec<&Place> = PLACES
            .iter()
            .filter(|p| match locale {
                "da" => p.country_code == "DK",
                "nl" => p.country_code == "NL" || p.country_code == "BE",
                "nb" => p.country_code == "NO",
                _ => true,
            })
            .collect();
        candidates[r.below(candidates.len() as u64) as usize]
    }

    fn phone_for(country: &str, r: &mut Rng) -> String {
        match country {
            "DK" => format!("+45{}", 20_000_000 + r.below(79_999_999)),
            "NL" => format!("+316{:08}", r.below(100_000_000)),
            "NO" => format!(
                "+47{}{:07}",
                [4, 9][r.below(2) as usize],
                r.below(10_000_000)
            ),
            "BE" => format!("+324{:08}", 70_000_000 + r.below(29_999_999)),
            _ => format!("+447{:09}", 700_000_000 + r.below(299_999_999)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn address(
        &self,
        id: u64,
        first: &str,
        last: &str,
        place: &Place,
        phone: Option<&str>,
        r: &mut Rng,
    ) -> Value {
        let street = r.pick(place.streets);
        let number = 1 + r.below(180);
        let address1 = match place.country_code {
            "NL" | "BE" | "DK" | "NO" => format!("{street} {number}"),
            _ => format!("{number} {street}"),
        };
        let address2 = if r.chance(0.2) {
            Some(format!("{}. sal", 1 + r.below(5)))
        } else {
            None
        };
        let zip = (place.zip)(r);
        json!({
            "__typename": "MailingAddress",
            "id": format!("gid://shopify/MailingAddress/{id}?model_name=CustomerAddress"),
            "firstName": first,
            "lastName": last,
            "name": format!("{first} {last}"),
            "company": Value::Null,
            "address1": address1,
            "address2": address2,
            "city": place.city,
            "province": place.province,
            "provinceCode": place.province_code,
            "country": place.country,
            "countryCodeV2": place.country_code,
            "zip": zip,
            "phone": phone,
            "formattedArea": match place.province {
                Some(p) => format!("{}, {}, {}", place.city, p, place.country),
                None => format!("{}, {}", place.city, place.country),
            },
            "coordinatesValidated": false,
            "latitude": Value::Null,
            "longitude": Value::Null,
            "timeZone": Value::Null,
        })
    }

    /// Customer `i` (0-based). `orders` is how many seeded orders name this customer (the store
    /// counts them); `last_order` the id of the newest one.
    pub fn customer(&self, i: usize, orders: u64, last_order: Option<u64>) -> Value {
        let mut r = Rng::for_record(self.cfg.seed, KIND_CUSTOMER, i as u64);
        let id = self.customer_id(i);
        let created = self.customer_created(i);
        let updated = self.customer_updated(i);
        let (p, locale) = Self::person(&mut r);
        let place = Self::place_for(locale, &mut r);
        // A few customers have no e-mail (POS sign-ups), a few no phone, some no address.
        let has_email = !r.chance(0.04);
        let has_phone = !r.chance(0.15);
        let has_address = !r.chance(0.12);
        let email = if has_email {
            let domain = match place.country_code {
                "DK" => "example.dk",
                "NL" => "example.nl",
                "NO" => "example.no",
                "BE" => "example.be",
                _ => "example.com",
            };
            Some(format!(
                "{}.{}{}@{}",
                ascii_fold(p.first),
                ascii_fold(p.last),
                i + 1,
                domain
            ))
        } else {
            None
        };
        let phone = if has_phone {
            Some(Self::phone_for(place.country_code, &mut r))
        } else {
            None
        };
        let address_phone = if r.chance(0.3) {
            Some(Self::phone_for(place.country_code, &mut r))
        } else {
            None
        };
        let address = if has_address {
            self.address(
                ADDRESS_BASE + i as u64,
                p.first,
                p.last,
                place,
                address_phone.as_deref(),
                &mut r,
            )
        } else {
            Value::Null
        };
        let marketing = match r.below(100) {
            0..=39 => "SUBSCRIBED",
            40..=79 => "NOT_SUBSCRIBED",
            80..=91 => "UNSUBSCRIBED",
            92..=95 => "PENDING",
            _ => "INVALID",
        };
        let marketing_at = if marketing == "NOT_SUBSCRIBED" {
            Value::Null
        } else {
            Value::String(iso(created + r.below((updated - created + 1) as u64) as i64))
        };
        let opt_in = match marketing {
            "SUBSCRIBED" if r.chance(0.5) => "CONFIRMED_OPT_IN",
            "SUBSCRIBED" => "SINGLE_OPT_IN",
            "PENDING" => "CONFIRMED_OPT_IN",
            _ => "SINGLE_OPT_IN",
        };
        let email_obj = match &email {
            Some(e) => json!({
                "__typename": "CustomerEmailAddress",
                "emailAddress": e,
                "marketingState": marketing,
                "marketingOptInLevel": if marketing == "NOT_SUBSCRIBED" { Value::Null } else { json!(opt_in) },
                "marketingUpdatedAt": marketing_at,
                "validFormat": marketing != "INVALID",
                "marketingUnsubscribeUrl": format!("https://{}/account/unsubscribe?token={}", self.domain, token(&mut r, 24)),
                "openTrackingLevel": "OPTED_IN",
                "openTrackingUrl": format!("https://{}/account/open_tracking?token={}", self.domain, token(&mut r, 24)),
            }),
            None => Value::Null,
        };
        let sms_state = if has_phone && r.chance(0.2) {
            "SUBSCRIBED"
        } else {
            "NOT_SUBSCRIBED"
        };
        let phone_obj = match &phone {
            Some(ph) => json!({
                "__typename": "CustomerPhoneNumber",
                "phoneNumber": ph,
                "smsMarketingConsent": {
                    "__typename": "CustomerSmsMarketingConsent",
                    "marketingState": sms_state,
                    "marketingOptInLevel": if sms_state == "SUBSCRIBED" { json!("SINGLE_OPT_IN") } else { Value::Null },
                    "consentUpdatedAt": if sms_state == "SUBSCRIBED" { json!(iso(created)) } else { Value::Null },
                    "consentCollectedFrom": "SHOPIFY",
                },
            }),
            None => Value::Null,
        };
        let mut tags: Vec<&str> = Vec::new();
        for _ in 0..r.below(3) {
            let t = *r.pick(CUSTOMER_TAGS);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags.sort_unstable();
        let note = if r.chance(0.2) {
            json!(r.pick(CUSTOMER_NOTES))
        } else {
            Value::Null
        };
        let tax_exempt = r.chance(0.05);
        let verified = email.is_some() && r.chance(0.8);
        let avg = 2_000 + r.below(12_000) as i64;
        let spent = avg * orders as i64;
        let mut m = Map::new();
        m.insert("__typename".into(), json!("Customer"));
        m.insert("id".into(), json!(gid("Customer", id)));
        m.insert("legacyResourceId".into(), json!(id.to_string()));
        m.insert("firstName".into(), json!(p.first));
        m.insert("lastName".into(), json!(p.last));
        m.insert(
            "displayName".into(),
            json!(format!("{} {}", p.first, p.last)),
        );
        m.insert("note".into(), note);
        m.insert("numberOfOrders".into(), json!(orders.to_string()));
        m.insert("amountSpent".into(), money_v2(spent));
        m.insert("tags".into(), json!(tags));
        m.insert("taxExempt".into(), json!(tax_exempt));
        m.insert("taxExemptions".into(), json!([]));
        m.insert("verifiedEmail".into(), json!(verified));
        m.insert(
            "validEmailAddress".into(),
            json!(email.is_some() && marketing != "INVALID"),
        );
        m.insert("locale".into(), json!(locale));
        m.insert("createdAt".into(), json!(iso(created)));
        m.insert("updatedAt".into(), json!(iso(updated)));
        m.insert("canDelete".into(), json!(orders == 0));
        m.insert("dataSaleOptOut".into(), json!(false));
        m.insert(
            "state".into(),
            json!(if verified { "ENABLED" } else { "DISABLED" }),
        );
        m.insert("email".into(), json!(email));
        m.insert("phone".into(), json!(phone));
        m.insert("defaultEmailAddress".into(), email_obj);
        m.insert("defaultPhoneNumber".into(), phone_obj);
        m.insert(
            "emailMarketingConsent".into(),
            if email.is_some() {
                json!({"__typename": "CustomerEmailMarketingConsentState", "marketingState": marketing, "marketingOptInLevel": opt_in, "consentUpdatedAt": marketing_at})
            } else {
                Value::Null
            },
        );
        m.insert(
            "addresses".into(),
            if address.is_null() {
                json!([])
            } else {
                json!([address.clone()])
            },
        );
        m.insert("defaultAddress".into(), address);
        m.insert(
            "lastOrder".into(),
            match last_order {
                Some(o) => reference("Order", o),
                None => Value::Null,
            },
        );
        m.insert("multipassIdentifier".into(), Value::Null);
        m.insert("lifetimeDuration".into(), json!(lifetime(created)));
        Value::Object(m)
    }

    // ----- products ----------------------------------------------------------------------------

    pub fn product_id(&self, i: usize) -> u64 {
        PRODUCT_BASE + i as u64
    }
    pub fn product_created(&self, i: usize) -> i64 {
        self.created_at(KIND_PRODUCT, i, self.cfg.products)
    }
    pub fn product_updated(&self, i: usize) -> i64 {
        self.updated_after(KIND_PRODUCT, i, self.product_created(i))
    }

    fn product_title(i: usize) -> (String, &'static str) {
        let combos = ADJECTIVES.len() * NOUNS.len();
        let (noun, ptype) = NOUNS[i % NOUNS.len()];
        let adj = ADJECTIVES[(i / NOUNS.len()) % ADJECTIVES.len()];
        let round = i / combos;
        let title = if round == 0 {
            format!("{adj} {noun}")
        } else {
            format!("{adj} {noun} {}", round + 1)
        };
        (title, ptype)
    }

    /// The variants of product `i`, without building the product.
    pub fn product_variants(&self, i: usize) -> Vec<VariantFacts> {
        let mut r = Rng::for_record(self.cfg.seed, KIND_PRODUCT + 50, i as u64);
        let (_, vcode) = VENDORS[(Rng::for_record(self.cfg.seed, KIND_PRODUCT + 60, i as u64)
            .below(VENDORS.len() as u64)) as usize];
        let kind = r.below(3);
        let base_price = [1495, 1995, 2495, 2995, 3495, 4995, 7995, 12995][r.below(8) as usize];
        let grams = 100 + r.below(900);
        let no_sku = i % 53 == 7;
        let names: Vec<&str> = match kind {
            0 => vec!["Default Title"],
            1 => {
                let n = 2 + r.below(4) as usize;
                SIZES[..n].to_vec()
            }
            _ => {
                let n = 2 + r.below(3) as usize;
                COLORS[..n].to_vec()
            }
        };
        names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let sku = if no_sku {
                    String::new()
                } else if *name == "Default Title" {
                    format!("{vcode}-{:05}", i + 1)
                } else {
                    format!("{vcode}-{:05}-{}", i + 1, name.to_uppercase())
                };
                let price = if kind == 1 && k >= 3 {
                    base_price + 200
                } else {
                    base_price
                };
                VariantFacts {
                    id: VARIANT_BASE + i as u64 * CHILD_SLOTS + k as u64,
                    sku,
                    title: name.to_string(),
                    price_cents: price,
                    grams,
                }
            })
            .collect()
    }

    pub fn product(&self, i: usize) -> Value {
        let mut r = Rng::for_record(self.cfg.seed, KIND_PRODUCT, i as u64);
        let id = self.product_id(i);
        let created = self.product_created(i);
        let updated = self.product_updated(i);
        let (title, ptype) = Self::product_title(i);
        let (vendor, _) = VENDORS[(Rng::for_record(self.cfg.seed, KIND_PRODUCT + 60, i as u64)
            .below(VENDORS.len() as u64)) as usize];
        let handle = slug(&title);
        let status = match r.below(100) {
            0..=79 => "ACTIVE",
            80..=89 => "DRAFT",
            90..=97 => "ARCHIVED",
            _ => "UNLISTED",
        };
        let published_at = if status == "ACTIVE" || status == "UNLISTED" {
            json!(iso(created + r.below(3 * 86_400) as i64).min(iso(updated)))
        } else {
            Value::Null
        };
        let mut tags: Vec<&str> = Vec::new();
        for _ in 0..r.below(4) {
            let t = *r.pick(PRODUCT_TAGS);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags.sort_unstable();
        let facts = self.product_variants(i);
        let option_name = if facts.len() == 1 {
            "Title"
        } else if SIZES.contains(&facts[1].title.as_str()) {
            "Size"
        } else {
            "Color"
        };
        let mut total_inventory: i64 = 0;
        let variants: Vec<Value> = facts
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let qty = r.below(60) as i64 - 5;
                total_inventory += qty.max(0);
                let compare_at = if r.chance(0.2) { json!(money(v.price_cents + 1000)) } else { Value::Null };
                json!({
                    "__typename": "ProductVariant",
                    "id": gid("ProductVariant", v.id),
                    "legacyResourceId": v.id.to_string(),
                    "title": v.title,
                    "displayName": format!("{title} - {}", v.title),
                    "sku": v.sku,
                    "barcode": if r.chance(0.9) { json!(ean13(&mut r)) } else { Value::Null },
                    "price": money(v.price_cents),
                    "compareAtPrice": compare_at,
                    "position": k + 1,
                    "inventoryQuantity": qty,
                    "sellableOnlineQuantity": qty.max(0),
                    "availableForSale": status == "ACTIVE" && qty > 0,
                    "taxable": true,
                    "inventoryPolicy": "DENY",
                    "createdAt": iso(created),
                    "updatedAt": iso(updated),
                    "selectedOptions": [{"__typename": "SelectedOption", "name": option_name, "value": v.title}],
                    "inventoryItem": {
                        "__typename": "InventoryItem",
                        "id": gid("InventoryItem", INVENTORY_ITEM_BASE + i as u64 * CHILD_SLOTS + k as u64),
                        "legacyResourceId": (INVENTORY_ITEM_BASE + i as u64 * CHILD_SLOTS + k as u64).to_string(),
                        "sku": v.sku,
                        "tracked": true,
                        "requiresShipping": true,
                        "measurement": {"__typename": "InventoryItemMeasurement", "weight": {"__typename": "Weight", "unit": "GRAMS", "value": v.grams as f64}},
                    },
                    "product": reference("Product", id),
                })
            })
            .collect();
        let min = facts.iter().map(|v| v.price_cents).min().unwrap_or(0);
        let max = facts.iter().map(|v| v.price_cents).max().unwrap_or(0);
        let n_media = r.below(4);
        let media: Vec<Value> = (0..n_media)
            .map(|k| {
                let mid = MEDIA_BASE + i as u64 * CHILD_SLOTS + k;
                let url = format!(
                    "https://cdn.shopify.com/s/files/1/0712/3456/7890/files/{handle}-{}.jpg?v={}",
                    k + 1,
                    created
                );
                json!({
                    "__typename": "MediaImage",
                    "id": gid("MediaImage", mid),
                    "alt": format!("{title} {}", k + 1),
                    "mediaContentType": "IMAGE",
                    "status": "READY",
                    "fileStatus": "READY",
                    "createdAt": iso(created),
                    "updatedAt": iso(created),
                    "image": {"__typename": "Image", "id": gid("ImageSource", mid), "url": url, "altText": format!("{title} {}", k + 1), "width": 2048, "height": 2048},
                    "preview": {"__typename": "MediaPreviewImage", "status": "READY", "image": {"__typename": "Image", "url": url, "width": 2048, "height": 2048}},
                })
            })
            .collect();
        let description = format!(
            "{title} by {vendor}. Made to last, designed in Scandinavia and the Low Countries."
        );
        let featured = media.first().cloned().unwrap_or(Value::Null);
        let published_count = if published_at.is_null() {
            0
        } else {
            1 + r.below(3)
        };
        json!({
            "__typename": "Product",
            "id": gid("Product", id),
            "legacyResourceId": id.to_string(),
            "title": title,
            "handle": handle,
            "description": description,
            "descriptionHtml": format!("<p>{description}</p>"),
            "productType": ptype,
            "vendor": vendor,
            "tags": tags,
            "status": status,
            "createdAt": iso(created),
            "updatedAt": iso(updated),
            "publishedAt": published_at,
            "onlineStoreUrl": if status == "ACTIVE" { json!(format!("https://{}/products/{handle}", self.domain)) } else { Value::Null },
            "templateSuffix": Value::Null,
            "isGiftCard": false,
            "hasOnlyDefaultVariant": facts.len() == 1,
            "hasOutOfStockVariants": variants.iter().any(|v| v["inventoryQuantity"].as_i64().unwrap_or(0) <= 0),
            "tracksInventory": true,
            "totalInventory": total_inventory,
            "requiresSellingPlan": false,
            "seo": {"__typename": "SEO", "title": Value::Null, "description": Value::Null},
            "options": [{
                "__typename": "ProductOption",
                "id": gid("ProductOption", id * 10 + 1),
                "name": option_name,
                "position": 1,
                "values": facts.iter().map(|v| v.title.clone()).collect::<Vec<_>>(),
            }],
            "priceRangeV2": {"__typename": "ProductPriceRangeV2", "minVariantPrice": money_v2(min), "maxVariantPrice": money_v2(max)},
            "variantsCount": count_obj(facts.len() as u64),
            "mediaCount": count_obj(n_media),
            "resourcePublicationsCount": count_obj(published_count),
            "featuredMedia": featured,
            "variants": {"__conn": variants},
            "media": {"__conn": media},
        })
    }

    // ----- orders ------------------------------------------------------------------------------

    pub fn order_id(&self, i: usize) -> u64 {
        ORDER_BASE + i as u64
    }
    pub fn order_created(&self, i: usize) -> i64 {
        self.created_at(KIND_ORDER, i, self.cfg.orders)
    }

    /// Which seeded customer placed order `i` (None: a guest checkout). Cheap: the store calls it
    /// for every order to count each customer's orders.
    pub fn order_customer(&self, i: usize) -> Option<usize> {
        let mut r = Rng::for_record(self.cfg.seed, KIND_ORDER_CUSTOMER, i as u64);
        if self.cfg.customers == 0 || r.chance(0.1) {
            return None;
        }
        // Only customers created before the order can have placed it.
        let offset = self.order_created(i) - Self::history_start();
        let eligible =
            ((offset as i128 * self.cfg.customers as i128) / HISTORY_SECS as i128) as u64;
        let eligible = eligible.min(self.cfg.customers as u64);
        if eligible == 0 {
            return None;
        }
        let c = r.below(eligible) as usize;
        // Guarantee the customer existed at the order's time.
        (self.customer_created(c) <= self.order_created(i)).then_some(c)
    }

    /// Statuses and timestamps of order `i`, without building the order (the store sorts by
    /// `updatedAt` without generating every order).
    pub fn order_status(&self, i: usize) -> OrderStatus {
        let mut r = Rng::for_record(self.cfg.seed, KIND_ORDER + 300, i as u64);
        let created = self.order_created(i);
        let cancelled = r.chance(0.06);
        let financial = if cancelled {
            *r.pick(&["VOIDED", "REFUNDED", "REFUNDED"])
        } else {
            match r.below(100) {
                0..=69 => "PAID",
                70..=76 => "PENDING",
                77..=82 => "AUTHORIZED",
                83..=86 => "PARTIALLY_PAID",
                87..=92 => "PARTIALLY_REFUNDED",
                93..=96 => "REFUNDED",
                97 => "VOIDED",
                _ => "EXPIRED",
            }
        };
        let fulfillment = if cancelled {
            *r.pick(&["UNFULFILLED", "RESTOCKED"])
        } else if financial == "PAID" || financial == "PARTIALLY_REFUNDED" {
            match r.below(100) {
                0..=59 => "FULFILLED",
                60..=69 => "UNFULFILLED",
                70..=76 => "PARTIALLY_FULFILLED",
                77..=81 => "IN_PROGRESS",
                82..=85 => "ON_HOLD",
                86..=88 => "SCHEDULED",
                89..=91 => "PENDING_FULFILLMENT",
                92..=93 => "REQUEST_DECLINED",
                94..=95 => "OPEN",
                _ => "FULFILLMENT_NOT_REQUIRED",
            }
        } else {
            "UNFULFILLED"
        };
        let cancel_reason = if cancelled {
            Some(*r.pick(&[
                "CUSTOMER",
                "DECLINED",
                "FRAUD",
                "INVENTORY",
                "OTHER",
                "STAFF",
            ]))
        } else {
            None
        };
        let cancelled_at = if cancelled {
            Some(created + 600 + r.below(3 * 86_400) as i64)
        } else {
            None
        };
        let closed_at = if cancelled {
            cancelled_at
        } else if fulfillment == "FULFILLED" && financial == "PAID" {
            Some(created + 3_600 + r.below(7 * 86_400) as i64)
        } else {
            None
        };
        let mut updated = created;
        if r.chance(0.5) {
            updated += r.below(20 * 86_400) as i64;
        }
        updated = updated.min(BASE_EPOCH.max(created));
        for t in [cancelled_at, closed_at].into_iter().flatten() {
            updated = updated.max(t);
        }
        OrderStatus {
            cancelled,
            financial,
            fulfillment,
            cancel_reason,
            cancelled_at,
            closed_at,
            updated,
        }
    }

    /// Order `i`. `customer` is the customer's record (for e-mail, name and address), when the
    /// order has one.
    pub fn order(&self, i: usize, customer: Option<&Value>) -> Value {
        let mut r = Rng::for_record(self.cfg.seed, KIND_ORDER, i as u64);
        let id = self.order_id(i);
        let created = self.order_created(i);
        let number = 1001 + i as u64;
        // Line items.
        let n_lines = if self.cfg.products == 0 {
            0
        } else {
            1 + r.below(4)
        };
        let mut lines = Vec::new();
        let mut subtotal: i64 = 0;
        let mut qty_total: i64 = 0;
        let mut weight: u64 = 0;
        for k in 0..n_lines {
            let pi = r.below(self.cfg.products as u64) as usize;
            let variants = self.product_variants(pi);
            let v = &variants[r.below(variants.len() as u64) as usize];
            let qty = 1 + r.below(3) as i64;
            let (ptitle, _) = Self::product_title(pi);
            let (vendor, _) = VENDORS[(Rng::for_record(self.cfg.seed, KIND_PRODUCT + 60, pi as u64)
                .below(VENDORS.len() as u64)) as usize];
            subtotal += v.price_cents * qty;
            qty_total += qty;
            weight += v.grams * qty as u64;
            let name = if v.title == "Default Title" {
                ptitle.clone()
            } else {
                format!("{ptitle} - {}", v.title)
            };
            let lid = LINE_ITEM_BASE + i as u64 * CHILD_SLOTS + k;
            lines.push(json!({
                "__typename": "LineItem",
                "id": gid("LineItem", lid),
                "name": name,
                "title": ptitle,
                "variantTitle": if v.title == "Default Title" { Value::Null } else { json!(v.title) },
                "sku": if v.sku.is_empty() { Value::Null } else { json!(v.sku) },
                "vendor": vendor,
                "quantity": qty,
                "currentQuantity": qty,
                "taxable": true,
                "requiresShipping": true,
                "isGiftCard": false,
                "originalUnitPriceSet": money_bag(v.price_cents),
                "discountedUnitPriceSet": money_bag(v.price_cents),
                "originalTotalSet": money_bag(v.price_cents * qty),
                "discountedTotalSet": money_bag(v.price_cents * qty),
                "product": reference("Product", self.product_id(pi)),
                "variant": reference("ProductVariant", v.id),
            }));
        }
        let discount = if r.chance(0.15) { subtotal / 10 } else { 0 };
        let subtotal_after = subtotal - discount;
        let shipping = if subtotal_after >= 7500 || n_lines == 0 {
            0
        } else {
            495
        };
        let total = subtotal_after + shipping;
        // Prices include 21 % VAT.
        let tax = (total as f64 * 21.0 / 121.0).round() as i64;
        let OrderStatus {
            cancelled,
            financial,
            fulfillment,
            cancel_reason,
            cancelled_at,
            closed_at,
            updated,
        } = self.order_status(i);
        let cancel_reason = cancel_reason.map(Value::from).unwrap_or(Value::Null);
        let _ = cancelled;
        // Who.
        let email = match customer {
            Some(c) if !r.chance(0.02) => c.get("email").cloned().unwrap_or(Value::Null),
            Some(_) => Value::Null,
            None => {
                if r.chance(0.5) {
                    json!(format!("guest{}@example.org", i + 1))
                } else {
                    Value::Null
                }
            }
        };
        let accepts_marketing = match customer {
            Some(c) => {
                c.pointer("/defaultEmailAddress/marketingState") == Some(&json!("SUBSCRIBED"))
            }
            None => false,
        };
        let address = customer
            .and_then(|c| c.get("defaultAddress"))
            .cloned()
            .unwrap_or(Value::Null);
        let source = *r.pick(SOURCES);
        let journey = if source == "web" || source == "iphone" {
            let landing = format!(
                "https://{}/products/{}?utm_source=newsletter",
                self.domain,
                slug(&Self::product_title(r.below(self.cfg.products.max(1) as u64) as usize).0)
            );
            let referrer = if r.chance(0.7) {
                json!(r.pick(REFERRERS))
            } else {
                Value::Null
            };
            json!({
                "__typename": "CustomerJourneySummary",
                "ready": true,
                "customerOrderIndex": 0,
                "daysToConversion": r.below(10),
                "firstVisit": {"__typename": "CustomerVisit", "id": gid("CustomerVisit", id * 2), "landingPage": landing, "referrerUrl": referrer, "source": "google", "occurredAt": iso(created - 86_400)},
                "lastVisit": {"__typename": "CustomerVisit", "id": gid("CustomerVisit", id * 2 + 1), "landingPage": landing, "referrerUrl": referrer, "source": "direct", "occurredAt": iso(created - 600)},
            })
        } else {
            Value::Null
        };
        let note = if r.chance(0.1) {
            json!(r.pick(ORDER_NOTES))
        } else {
            Value::Null
        };
        let paid_cents = match financial {
            "PAID" | "PARTIALLY_REFUNDED" => total,
            "PARTIALLY_PAID" => total / 2,
            _ => 0,
        };
        let refunded = match financial {
            "REFUNDED" => total,
            "PARTIALLY_REFUNDED" => total / 3,
            _ => 0,
        };
        let gateway = *r.pick(GATEWAYS);
        let mut order = json!({
            "__typename": "Order",
            "id": gid("Order", id),
            "legacyResourceId": id.to_string(),
            "name": format!("#{number}"),
            "number": number,
            "email": email,
            "phone": Value::Null,
            "note": note,
            "createdAt": iso(created),
            "updatedAt": iso(updated),
            "processedAt": iso(created),
            "cancelledAt": cancelled_at.map(iso),
            "cancelReason": cancel_reason,
            "closed": closed_at.is_some(),
            "closedAt": closed_at.map(iso),
            "confirmed": true,
            "test": false,
            "currencyCode": CURRENCY,
            "presentmentCurrencyCode": CURRENCY,
            "customerAcceptsMarketing": accepts_marketing,
            "displayFinancialStatus": financial,
            "displayFulfillmentStatus": fulfillment,
            "fullyPaid": paid_cents >= total,
            "unpaid": paid_cents == 0,
            "paymentGatewayNames": if financial == "PENDING" && gateway == "manual" { json!(["manual"]) } else { json!([gateway]) },
            "sourceName": source,
            "taxesIncluded": true,
            "totalWeight": weight.to_string(),
            "subtotalLineItemsQuantity": qty_total,
            "tags": if r.chance(0.1) { json!(["wholesale"]) } else { json!([]) },
        });
        let more = json!({
            "customerJourneySummary": journey,
            "customer": match customer { Some(c) => json!({"__ref": c["id"].clone()}), None => Value::Null },
            "billingAddress": address.clone(),
            "shippingAddress": address.clone(),
            "displayAddress": address,
            "subtotalPriceSet": money_bag(subtotal_after),
            "totalDiscountsSet": money_bag(discount),
            "totalShippingPriceSet": money_bag(shipping),
            "totalPriceSet": money_bag(total),
            "currentTotalPriceSet": money_bag(total - refunded),
            "totalTaxSet": money_bag(tax),
            "currentTotalTaxSet": money_bag(tax),
            "totalReceivedSet": money_bag(paid_cents),
            "totalRefundedSet": money_bag(refunded),
            "totalOutstandingSet": money_bag((total - paid_cents).max(0)),
            "statusPageUrl": format!("https://{}/7123456789/orders/{}/authenticate?key={}", self.domain, token(&mut r, 32), token(&mut r, 32)),
            "lineItems": {"__conn": lines},
            // The payment: one successful sale when the order was paid at all (no random draw
            // here, so the rest of the seeded store stays as it was).
            "transactions": if paid_cents > 0 {
                json!([{
                    "__typename": "OrderTransaction",
                    "id": gid("OrderTransaction", id),
                    "kind": "SALE",
                    "status": "SUCCESS",
                    "gateway": gateway,
                    "test": false,
                    "createdAt": iso(created),
                    "processedAt": iso(created),
                    "amountSet": money_bag(paid_cents),
                }])
            } else {
                json!([])
            },
        });
        if let (Some(o), Value::Object(m)) = (order.as_object_mut(), more) {
            o.extend(m);
        }
        order
    }

    // ----- abandoned checkouts -----------------------------------------------------------------

    pub fn checkout_id(&self, i: usize) -> u64 {
        CHECKOUT_BASE + i as u64
    }
    pub fn checkout_created(&self, i: usize) -> i64 {
        self.created_at(KIND_CHECKOUT, i, self.cfg.abandoned_checkouts)
    }

    /// (completedAt, updatedAt) of checkout `i`.
    pub fn checkout_times(&self, i: usize) -> (Option<i64>, i64) {
        let mut r = Rng::for_record(self.cfg.seed, KIND_CHECKOUT + 300, i as u64);
        let created = self.checkout_created(i);
        let completed_at = if r.chance(0.3) {
            Some(created + 300 + r.below(2 * 86_400) as i64)
        } else {
            None
        };
        let updated = completed_at.unwrap_or(created + r.below(3_600) as i64);
        (completed_at, updated)
    }

    pub fn checkout_customer(&self, i: usize) -> Option<usize> {
        let mut r = Rng::for_record(self.cfg.seed, KIND_CHECKOUT + 10, i as u64);
        if self.cfg.customers == 0 || r.chance(0.15) {
            return None;
        }
        let offset = self.checkout_created(i) - Self::history_start();
        let eligible =
            ((offset as i128 * self.cfg.customers as i128) / HISTORY_SECS as i128) as u64;
        let eligible = eligible.min(self.cfg.customers as u64);
        if eligible == 0 {
            return None;
        }
        let c = r.below(eligible) as usize;
        (self.customer_created(c) <= self.checkout_created(i)).then_some(c)
    }

    pub fn checkout(&self, i: usize, customer: Option<&Value>) -> Value {
        let mut r = Rng::for_record(self.cfg.seed, KIND_CHECKOUT, i as u64);
        let id = self.checkout_id(i);
        let created = self.checkout_created(i);
        let n_lines = if self.cfg.products == 0 {
            0
        } else {
            1 + r.below(3)
        };
        let mut lines = Vec::new();
        let mut subtotal = 0i64;
        for k in 0..n_lines {
            let pi = r.below(self.cfg.products as u64) as usize;
            let variants = self.product_variants(pi);
            let v = &variants[r.below(variants.len() as u64) as usize];
            let qty = 1 + r.below(2) as i64;
            let (ptitle, _) = Self::product_title(pi);
            subtotal += v.price_cents * qty;
            lines.push(json!({
                "__typename": "AbandonedCheckoutLineItem",
                "id": gid("AbandonedCheckoutLineItem", CHECKOUT_LINE_BASE + i as u64 * CHILD_SLOTS + k),
                "title": ptitle,
                "variantTitle": if v.title == "Default Title" { Value::Null } else { json!(v.title) },
                "sku": if v.sku.is_empty() { Value::Null } else { json!(v.sku) },
                "quantity": qty,
                "originalUnitPriceSet": money_bag(v.price_cents),
                "originalTotalPriceSet": money_bag(v.price_cents * qty),
                "discountedTotalPriceSet": money_bag(v.price_cents * qty),
                "product": reference("Product", self.product_id(pi)),
                "variant": reference("ProductVariant", v.id),
            }));
        }
        let (completed_at, updated) = self.checkout_times(i);
        let shipping = if subtotal >= 7500 { 0 } else { 495 };
        let total = subtotal + shipping;
        let tax = (total as f64 * 21.0 / 121.0).round() as i64;
        let tok = token(&mut r, 32);
        json!({
            "__typename": "AbandonedCheckout",
            "id": gid("AbandonedCheckout", id),
            "name": format!("#{}", id % 100_000_000),
            "note": "",
            "abandonedCheckoutUrl": format!("https://{}/71234567/checkouts/ac/{tok}/recover?key={}", self.domain, token(&mut r, 32)),
            "createdAt": iso(created),
            "updatedAt": iso(updated),
            "completedAt": completed_at.map(iso),
            "taxesIncluded": true,
            "discountCodes": [],
            "customer": match customer { Some(c) => json!({"__ref": c["id"].clone()}), None => Value::Null },
            "billingAddress": customer.and_then(|c| c.get("defaultAddress")).cloned().unwrap_or(Value::Null),
            "shippingAddress": customer.and_then(|c| c.get("defaultAddress")).cloned().unwrap_or(Value::Null),
            "subtotalPriceSet": money_bag(subtotal),
            "totalLineItemsPriceSet": money_bag(subtotal),
            "totalPriceSet": money_bag(total),
            "totalTaxSet": money_bag(tax),
            "totalDiscountSet": money_bag(0),
            "totalDutiesSet": Value::Null,
            "lineItems": {"__conn": lines},
        })
    }

    // ----- shop and locations ------------------------------------------------------------------

    pub fn shop(&self) -> Value {
        let name = self
            .domain
            .split('.')
            .next()
            .unwrap_or("sandbox")
            .split('-')
            .map(|w| {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        json!({
            "__typename": "Shop",
            "id": gid("Shop", 71_234_567),
            "name": name,
            "email": format!("owner@{}", self.domain.replace(".myshopify.com", ".example")),
            "contactEmail": format!("support@{}", self.domain.replace(".myshopify.com", ".example")),
            "myshopifyDomain": self.domain,
            "url": format!("https://{}", self.domain),
            "currencyCode": CURRENCY,
            "enabledPresentmentCurrencies": [CURRENCY],
            "ianaTimezone": "Europe/Amsterdam",
            "timezoneAbbreviation": "CEST",
            "timezoneOffset": "+0200",
            "timezoneOffsetMinutes": 120,
            "taxesIncluded": true,
            "taxShipping": true,
            "weightUnit": "GRAMS",
            "unitSystem": "METRIC_SYSTEM",
            "orderNumberFormatPrefix": "#",
            "orderNumberFormatSuffix": "",
            "setupRequired": false,
            "shopOwnerName": "Sanne de Vries",
            "createdAt": iso(BASE_EPOCH - HISTORY_SECS - 30 * 86_400),
            "updatedAt": iso(BASE_EPOCH),
            "plan": {"__typename": "ShopPlan", "publicDisplayName": "Basic", "partnerDevelopment": false, "shopifyPlus": false},
            "billingAddress": {"__typename": "ShopAddress", "city": "Amsterdam", "country": "Netherlands", "countryCodeV2": "NL", "zip": "1016 DK", "address1": "Keizersgracht 101"},
            "shopAddress": {"__typename": "ShopAddress", "city": "Amsterdam", "country": "Netherlands", "countryCodeV2": "NL", "zip": "1016 DK", "address1": "Keizersgracht 101"},
        })
    }

    pub fn locations(&self) -> Vec<Value> {
        let created = iso(BASE_EPOCH - HISTORY_SECS - 20 * 86_400);
        [("Amsterdam Warehouse", "Amsterdam", "NL", "Netherlands", "1016 DK", "Keizersgracht 101"), ("København Butik", "København", "DK", "Denmark", "2200", "Nørrebrogade 12")]
            .iter()
            .enumerate()
            .map(|(k, (name, city, cc, country, zip, a1))| {
                let id = LOCATION_BASE + k as u64 + 1;
                json!({
                    "__typename": "Location",
                    "id": gid("Location", id),
                    "legacyResourceId": id.to_string(),
                    "name": name,
                    "isActive": true,
                    "isPrimary": k == 0,
                    "fulfillsOnlineOrders": true,
                    "shipsInventory": true,
                    "hasActiveInventory": true,
                    "activatable": false,
                    "deactivatable": k != 0,
                    "deletable": false,
                    "addressVerified": true,
                    "isFulfillmentService": false,
                    "hasUnfulfilledOrders": false,
                    "fulfillmentService": Value::Null,
                    "deactivatedAt": Value::Null,
                    "createdAt": created,
                    "updatedAt": created,
                    "address": {"__typename": "LocationAddress", "address1": a1, "address2": Value::Null, "city": city, "zip": zip, "country": country, "countryCode": cc, "province": Value::Null, "provinceCode": Value::Null, "phone": Value::Null, "formatted": [a1, format!("{zip} {city}"), country.to_string()]},
                })
            })
            .collect()
    }
}

fn lifetime(created: i64) -> String {
    let days = (chrono::Utc::now().timestamp() - created) / 86_400;
    match days {
        d if d < 1 => "less than a day".into(),
        d if d < 31 => format!("{d} days"),
        d if d < 365 => format!("about {} months", (d / 30).max(1)),
        d if d < 730 => "about 1 year".into(),
        d => format!("about {} years", d / 365),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_like_shopify() {
        assert_eq!(money(1999), "19.99");
        assert_eq!(money(2000), "20.0");
        assert_eq!(money(2050), "20.5");
        assert_eq!(money(5), "0.05");
        assert_eq!(parse_money("19.99"), Some(1999));
        assert_eq!(parse_money("20.0"), Some(2000));
        assert_eq!(parse_money("20"), Some(2000));
    }

    #[test]
    fn same_seed_same_records() {
        let a = Seeder::new(SeedConfig::default(), "x.myshopify.com");
        let b = Seeder::new(SeedConfig::default(), "x.myshopify.com");
        for i in 0..25 {
            assert_eq!(a.customer(i, 1, None), b.customer(i, 1, None));
        }
        for i in 0..10 {
            assert_eq!(a.product(i), b.product(i));
        }
        let c = Seeder::new(
            SeedConfig {
                seed: 7,
                ..SeedConfig::default()
            },
            "x.myshopify.com",
        );
        assert_ne!(a.customer(3, 1, None), c.customer(3, 1, None));
    }

    #[test]
    fn created_is_increasing_and_updated_not_before_created() {
        let s = Seeder::new(
            SeedConfig {
                customers: 1000,
                ..SeedConfig::default()
            },
            "x",
        );
        let mut prev = i64::MIN;
        for i in 0..1000 {
            let c = s.customer_created(i);
            assert!(c > prev);
            assert!(s.customer_updated(i) >= c);
            assert!(s.customer_updated(i) <= BASE_EPOCH);
            prev = c;
        }
    }

    #[test]
    fn ean13_check_digit() {
        let mut r = Rng::new(1);
        let code = ean13(&mut r);
        let d: Vec<u32> = code.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let sum: u32 = d
            .iter()
            .enumerate()
            .map(|(i, x)| if i % 2 == 0 { *x } else { x * 3 })
            .sum();
        assert_eq!(sum % 10, 0);
    }
}
