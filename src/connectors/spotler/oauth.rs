//! OAuth 1.0a "one leg" HMAC-SHA1 request signing, as Spotler Mail+ requires it (RFC 5849 with
//! no token: the key is `pct(consumer_secret)&`; the query parameters are signed, a JSON body
//! is not, and no `oauth_body_hash` is sent).
//!
//! Written on `hmac` + `sha1` + `percent-encoding` rather than an OAuth crate: the one-leg,
//! query-only variant is forty lines, and the crates that fit (`oauth1-request`) want the request
//! described through their own serializer traits, which adds more code than this module is.

use base64::Engine;
use hmac::{KeyInit, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// RFC 5849 §3.6: everything but ALPHA, DIGIT, `-`, `.`, `_`, `~` is encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn pct(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// The signature base string (RFC 5849 §3.4.1): `params` are the decoded query and oauth
/// parameters, without `oauth_signature`; `base_url` is scheme://host[:port]/path.
pub fn base_string(method: &str, base_url: &str, params: &[(String, String)]) -> String {
    let mut enc: Vec<(String, String)> = params.iter().map(|(k, v)| (pct(k), pct(v))).collect();
    enc.sort();
    let joined = enc
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        pct(base_url),
        pct(&joined)
    )
}

/// base64(HMAC-SHA1(pct(secret) + "&", base)).
pub fn signature(consumer_secret: &str, base: &str) -> String {
    let key = format!("{}&", pct(consumer_secret));
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(base.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The `Authorization` header of `method` on `url` (with its query string), signed with
/// `nonce` and `timestamp`.
pub fn authorization(
    method: &str,
    url: &url::Url,
    consumer_key: &str,
    consumer_secret: &str,
    nonce: &str,
    timestamp: &str,
) -> String {
    let oauth: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), consumer_key.into()),
        ("oauth_nonce".into(), nonce.into()),
        ("oauth_signature_method".into(), "HMAC-SHA1".into()),
        ("oauth_timestamp".into(), timestamp.into()),
        ("oauth_version".into(), "1.0".into()),
    ];
    let mut params = oauth.clone();
    params.extend(
        url.query_pairs()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let mut base_url = format!("{}://{}", url.scheme(), url.host_str().unwrap_or(""));
    if let Some(port) = url.port() {
        base_url.push_str(&format!(":{port}"));
    }
    base_url.push_str(url.path());
    let sig = signature(consumer_secret, &base_string(method, &base_url, &params));
    let parts: Vec<String> = oauth
        .iter()
        .chain(std::iter::once(&("oauth_signature".to_string(), sig)))
        .map(|(k, v)| format!("{k}=\"{}\"", pct(v)))
        .collect();
    format!("OAuth {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONCE: &str = "4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99";

    fn header(method: &str, url: &str) -> String {
        authorization(
            method,
            &url::Url::parse(url).unwrap(),
            "my-consumer-key",
            "my-consumer-secret",
            NONCE,
            "1700000000",
        )
    }

    fn sig_of(header: &str) -> &str {
        header
            .split("oauth_signature=\"")
            .nth(1)
            .unwrap()
            .trim_end_matches('"')
    }

    /// `../shared/api-notes/platforms/auth_test_vectors.json`, `spotler_oauth1` (checked
    /// against oauthlib 4.0.1).
    #[test]
    fn the_published_vectors() {
        let base = base_string(
            "GET",
            "https://restapi.mailplus.nl/integrationservice-1.1.0/contact/updates/list",
            &[
                ("fromDate", "2024-01-01T00:00:00"),
                ("toDate", "2024-01-02T00:00:00"),
                ("pageSize", "1000"),
                ("after", "0"),
                ("oauth_consumer_key", "my-consumer-key"),
                ("oauth_nonce", NONCE),
                ("oauth_signature_method", "HMAC-SHA1"),
                ("oauth_timestamp", "1700000000"),
                ("oauth_version", "1.0"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        assert_eq!(base, "GET&https%3A%2F%2Frestapi.mailplus.nl%2Fintegrationservice-1.1.0%2Fcontact%2Fupdates%2Flist&after%3D0%26fromDate%3D2024-01-01T00%253A00%253A00%26oauth_consumer_key%3Dmy-consumer-key%26oauth_nonce%3D4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0%26pageSize%3D1000%26toDate%3D2024-01-02T00%253A00%253A00");

        let get = header("GET", "https://restapi.mailplus.nl/integrationservice-1.1.0/contact/updates/list?fromDate=2024-01-01T00%3A00%3A00&toDate=2024-01-02T00%3A00%3A00&pageSize=1000&after=0");
        assert_eq!(sig_of(&get), "zEHMTvt%2BxaEqrJ%2BOLLObBPOx4vU%3D");
        let post = header(
            "POST",
            "https://restapi.mailplus.nl/integrationservice-1.1.0/contact",
        );
        assert_eq!(sig_of(&post), "Ixuhpp0haAEbXa18Bkq3cyqTpSQ%3D");
        let put = header(
            "PUT",
            "https://restapi.mailplus.nl/integrationservice-1.1.0/contact/cust-42",
        );
        assert_eq!(sig_of(&put), "ZoxcU16aWXpaayQPk0tcFRlz1%2BQ%3D");
        assert!(put.starts_with("OAuth oauth_consumer_key=\"my-consumer-key\", oauth_nonce="));
        assert!(!put.contains("oauth_token") && !put.contains("oauth_body_hash"));
    }
}
