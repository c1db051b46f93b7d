//! E-mail addresses and web addresses: the common forms accepted in one
//! pass over the bytes, everything else decided by `validator` (the HTML5
//! e-mail grammar with IDN domains, and URL parsing).
//!
//! The fast checks only ever accept: what they accept, `validator` accepts
//! too (the tests below compare them), and anything they are unsure of goes
//! to `validator`, so the results are exactly `validator`'s.

use validator::{ValidateEmail, ValidateUrl};

/// The HTML5 e-mail grammar, as `validator::ValidateEmail` reads it.
pub(crate) fn is_email(email: &str) -> bool {
    is_plain_email(email) || email.validate_email()
}

/// An absolute URL, as `validator::ValidateUrl` (`url::Url::parse`) reads
/// it.
pub(crate) fn is_url(url: &str) -> bool {
    let plain = ["https://", "http://"]
        .iter()
        .any(|scheme| url.strip_prefix(scheme).is_some_and(is_plain_host_and_path));
    plain || url.validate_url()
}

/// `https://` followed by `rest` is a URL, as [`is_url`] reads it.
pub(crate) fn is_https_url_of(rest: &str) -> bool {
    is_plain_host_and_path(rest) || format!("https://{rest}").validate_url()
}

/// An ASCII address whose local part is made of the characters the HTML5
/// grammar allows (at most 64) and whose domain is a dot-separated list of
/// LDH labels (at most 255 bytes): exactly the addresses `validator`
/// accepts without looking at address literals and IDN domains.
fn is_plain_email(email: &str) -> bool {
    let Some((user, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let user_ok = !user.is_empty() && user.len() <= 64 && user.bytes().all(is_local_part_byte);
    user_ok && domain.len() <= 255 && labels(domain, is_ldh_label)
}

/// `[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]`, the local part of the HTML5 grammar.
fn is_local_part_byte(b: u8) -> bool {
    matches!(b,
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9'
        | b'.' | b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'/' | b'='
        | b'?' | b'^' | b'_' | b'`' | b'{' | b'|' | b'}' | b'~' | b'-')
}

/// True when every dot-separated label of `host` passes `label`.
fn labels(host: &str, label: impl Fn(&[u8]) -> bool) -> bool {
    host.as_bytes().split(|&b| b == b'.').all(label)
}

/// One label of `validator`'s e-mail domain pattern:
/// `[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?`.
fn is_ldh_label(label: &[u8]) -> bool {
    match (label.first(), label.last()) {
        (Some(first), Some(last)) => {
            label.len() <= 63
                && first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && label.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        }
        _ => false,
    }
}

/// A lower-case LDH label without `--` (so never an IDN `xn--` label).
fn is_plain_host_label(label: &[u8]) -> bool {
    is_ldh_label(label)
        && label.iter().all(|&b| !b.is_ascii_uppercase())
        && !label.windows(2).any(|pair| pair == b"--")
}

/// A lower-case host name of LDH labels, the last starting with a letter
/// (so that it is never read as an IPv4 address), no label an IDN one
/// (`xn--`) or with `--` anywhere; then nothing, or a path of unreserved
/// characters and `/`. `url` parses every such host and path after
/// `http://` or `https://`.
fn is_plain_host_and_path(rest: &str) -> bool {
    let (host, path) = match rest.find('/') {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let last_ok = host
        .rsplit('.')
        .next()
        .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_lowercase()));
    let path_ok = path.bytes().all(
        |b| matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/'),
    );
    host.len() <= 253 && last_ok && path_ok && labels(host, is_plain_host_label)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use validator::{ValidateEmail, ValidateUrl};

    use super::*;

    #[test]
    fn common_addresses_take_the_fast_path() {
        for email in
            ["billing@example.com", "kreditoren@hafenkontor-logistik.example", "a.b+c@x.io"]
        {
            assert!(is_plain_email(email), "{email}");
        }
        for rest in ["www.example.com", "example.com/about/us", "a-b.example/x_y~z.html"] {
            assert!(is_plain_host_and_path(rest), "{rest}");
        }
    }

    #[test]
    fn unusual_addresses_are_left_to_validator() {
        for email in ["a@[127.0.0.1]", "a@bücher.example", "a@-x.com", "a@x-.com", "a@", "@x.com"]
        {
            assert!(!is_plain_email(email), "{email}");
            assert_eq!(is_email(email), email.validate_email(), "{email}");
        }
        for rest in
            ["1.2.3.4", "xn--bcher-kva.example", "a..b", "Example.com", "x.com:8080", "x.com?q", ""]
        {
            assert!(!is_plain_host_and_path(rest), "{rest}");
            let url = format!("https://{rest}");
            assert_eq!(is_url(&url), url.validate_url(), "{url}");
        }
    }

    proptest! {
        #[test]
        fn the_email_fast_path_agrees_with_validator(
            email in "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~@ -]{0,12}(@[a-zA-Z0-9.-]{0,12})?",
        ) {
            prop_assert!(!is_plain_email(&email) || email.validate_email(), "{}", email);
            prop_assert_eq!(is_email(&email), email.validate_email());
        }

        #[test]
        fn the_url_fast_path_agrees_with_url(
            rest in "[a-z0-9.-]{0,10}(\\.[a-z]{1,4})?(/[a-zA-Z0-9._~/-]{0,8})?",
        ) {
            let url = format!("https://{rest}");
            prop_assert!(!is_plain_host_and_path(&rest) || url.validate_url(), "{}", url);
            prop_assert_eq!(is_url(&url), url.validate_url());
            prop_assert_eq!(is_https_url_of(&rest), url.validate_url());
        }
    }
}
