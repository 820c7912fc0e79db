//! Database URLs without their passwords, for errors and logs.

/// `url` with its password shown as `***`: the one after `user:` in
/// `postgres://user:secret@host/db`, and any `password=` query parameter.
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme) = out.find("://") {
        let start = scheme + 3;
        let authority_end = out[start..]
            .find(['/', '?'])
            .map_or(out.len(), |i| start + i);
        // The last `@` of the authority: a raw `@` in a password stays hidden too.
        if let Some(at) = out[start..authority_end].rfind('@').map(|i| start + i)
            && let Some(colon) = out[start..at].find(':')
        {
            out.replace_range(start + colon + 1..at, "***");
        }
    }
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let query: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        out = format!("{head}{}", query.join("&"));
    }
    out
}

/// The passwords `url` carries (as written and percent-decoded), to scrub from messages.
fn passwords(url: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(scheme) = url.find("://") {
        let rest = &url[scheme + 3..];
        let rest = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
        if let Some(at) = rest.rfind('@')
            && let Some((_, pw)) = rest[..at].split_once(':')
        {
            found.push(pw.to_owned());
        }
    }
    if let Some((_, query)) = url.split_once('?') {
        for pair in query.split('&') {
            if let Some((k, v)) = pair.split_once('=')
                && k.eq_ignore_ascii_case("password")
            {
                found.push(v.to_owned());
            }
        }
    }
    let decoded: Vec<String> = found.iter().map(|p| percent_decode(p)).collect();
    found.extend(decoded);
    found.retain(|p| !p.is_empty() && p != "***");
    found.sort_by_key(|p| std::cmp::Reverse(p.len()));
    found.dedup();
    found
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            let b = (h * 16 + l) as u8;
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `message` with every password of `url` replaced by `***` (and the URL itself redacted).
pub fn scrub(message: &str, url: &str) -> String {
    let mut out = message.replace(url, &redact_url(url));
    for pw in passwords(url) {
        out = out.replace(&pw, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_hidden() {
        assert_eq!(
            redact_url("postgres://ngc:s3cret@db:5432/ngc"),
            "postgres://ngc:***@db:5432/ngc"
        );
        assert_eq!(
            redact_url("postgres://ngc:p@ss@db/ngc"),
            "postgres://ngc:***@db/ngc"
        );
        assert_eq!(
            redact_url("postgres://db/ngc?user=u&password=hunter2&sslmode=require"),
            "postgres://db/ngc?user=u&password=***&sslmode=require"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/ngc"),
            "postgres://postgres@127.0.0.1/ngc"
        );
        assert_eq!(redact_url("sqlite://ngc.db"), "sqlite://ngc.db");
        assert_eq!(
            redact_url("sqlite:///tmp/a@b/ngc.db"),
            "sqlite:///tmp/a@b/ngc.db"
        );
    }

    #[test]
    fn messages_lose_the_password_however_it_is_written() {
        let url = "postgres://u:s%40cret@db/ngc";
        assert_eq!(
            scrub(
                "cannot connect to postgres://u:s%40cret@db/ngc: password s@cret refused",
                url
            ),
            "cannot connect to postgres://u:***@db/ngc: password *** refused"
        );
    }
}
