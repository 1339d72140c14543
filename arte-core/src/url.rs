//! Database URLs: which backend they name, and how they are shown (never with a password).
//!
//! A password is hidden wherever arte prints: [`DatabaseUrl`]'s `Display`, every error,
//! and any text passed through [`DatabaseUrl::redact_any`]. Hiding errs on the side of
//! hiding: in free text, everything between `://` and the last `@` of a URL after a `:` is
//! taken for a password, so one holding `/`, `?`, `#` or `@` unencoded is hidden whole;
//! and a `password=` parameter (a query's, or libpq's `key=value` string's, quoted or
//! spaced) is hidden up to where libpq would end its value.

use crate::backend::Backend;
use crate::error::{Error, Result};
use std::fmt;

/// What a hidden password is shown as.
const HIDDEN: &str = "***";

/// A parsed database URL. `Display` hides the password; [`DatabaseUrl::expose`] does not.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What the driver is given: for SQLite a file path (or `:memory:`), else the URL.
    target: String,
    /// The URL as shown: the password hidden.
    shown: String,
    /// Every form the password may take in a driver's message: as written, and
    /// percent-decoded.
    secrets: Vec<String>,
}

impl DatabaseUrl {
    /// Parses `sqlite://path`, `sqlite:path`, a plain file path, `postgres://…`,
    /// `postgresql://…`, `mysql://…` or `mariadb://…`. A server URL must name its
    /// database; a `key=value` connection string is refused, as is a URL whose password
    /// holds `/`, `?`, `#` or `@` unencoded (it cannot be read unambiguously), and a
    /// PostgreSQL URL whose user name or password holds `@` (libpq would end it there;
    /// MySQL's driver ends the userinfo at its last `@`, and reads it).
    pub fn parse(url: &str) -> Result<Self> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::InvalidUrl {
                url: String::new(),
                reason: "it is empty; give a path such as `database.sqlite` or a URL such as `postgres://localhost/app`".into(),
            });
        }
        let (scheme, rest) = match url.split_once(':') {
            // One letter before the colon is a Windows drive, not a scheme.
            Some((scheme, rest)) if scheme.len() > 1 && is_scheme(scheme) => {
                (Some(scheme.to_ascii_lowercase()), rest)
            }
            _ => (None, url),
        };
        let parts = Parts::of(url);
        let refuse = |reason: String| Error::InvalidUrl {
            url: parts.shown.clone(),
            reason,
        };
        // A key-value string first: a `://` in one of its values is not a URL's.
        if scheme.is_none() && looks_like_key_values(url) {
            return Err(refuse(
                "it is a `key=value` connection string, which arte does not read; write it as a URL, such as `postgres://user:password@host:5432/app`".into(),
            ));
        }
        if let Some(reason) = &parts.unreadable {
            return Err(refuse(reason.clone()));
        }
        let Some(scheme) = scheme else {
            return Ok(DatabaseUrl::sqlite_file(url));
        };
        let Some(backend) = Backend::from_scheme(&scheme) else {
            return Err(refuse(format!(
                "the scheme `{scheme}` is unknown; use `sqlite://`, `postgres://` or `mysql://`"
            )));
        };
        // libpq ends the userinfo at its first `@` and takes the rest for a host (whose
        // name, quoted in its error, would be the end of the password).
        if backend == Backend::Postgres
            && let Some(part) = parts.at_sign_in
        {
            return Err(refuse(format!(
                "its {part} holds `@` unencoded, where PostgreSQL's driver would end it; write each `@` in it as `%40`"
            )));
        }
        let target = backend.dialect().driver_target(url, rest).map_err(refuse)?;
        Ok(DatabaseUrl {
            backend,
            target,
            shown: parts.shown,
            secrets: parts.secrets,
        })
    }

    /// A SQLite file at `path`, shown with anything that looks like a password hidden
    /// (`my db://u:pw@h` is a path).
    pub fn sqlite_file(path: impl Into<String>) -> Self {
        let path = path.into();
        DatabaseUrl {
            backend: Backend::Sqlite,
            shown: Parts::of(&path).shown,
            target: path,
            secrets: Vec::new(),
        }
    }

    /// The same URL with a relative file path (SQLite) made relative to `base`.
    pub fn resolved_against(self, base: &std::path::Path) -> DatabaseUrl {
        match self.backend.dialect().resolve_relative(&self.target, base) {
            Some(path) => DatabaseUrl::sqlite_file(path),
            None => self,
        }
    }

    /// Which database the URL names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database is there to open: `false` only for a SQLite file not yet
    /// created, which opening would create. Commands that only read check it first.
    pub fn exists(&self) -> bool {
        self.backend.dialect().exists(self)
    }

    /// What the driver is given, password and all. Never print it.
    pub fn expose(&self) -> &str {
        &self.target
    }

    /// The same server's database `name`: the URL with its database replaced, its query
    /// string kept. For a SQLite URL, the file itself.
    #[cfg_attr(
        not(any(feature = "postgres", feature = "mysql")),
        allow(dead_code) // Only servers' scratch databases use it.
    )]
    pub(crate) fn with_database(&self, name: &str) -> Result<DatabaseUrl> {
        if self.backend == Backend::Sqlite {
            return Ok(self.clone());
        }
        let url = self.target.as_str();
        let (head, query) = url.split_at(url.find('?').unwrap_or(url.len()));
        let authority = head.find("://").map_or(0, |at| at + 3);
        let base = match head[authority..].find('/') {
            Some(slash) => &head[..authority + slash],
            None => head,
        };
        DatabaseUrl::parse(&format!("{base}/{name}{query}"))
    }

    /// Hides the password of every URL written in `text`, whatever its scheme, and every
    /// `password=…` parameter: for output that may echo what a user typed.
    pub fn redact_any(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("://") {
            let (head, tail) = rest.split_at(at + 3);
            out.push_str(head);
            // The URL may run to the next URL or the end of the line: a password may hold
            // spaces and quotes.
            let line = tail.find('\n').unwrap_or(tail.len());
            let mut segment = &tail[..next_url(&tail[..line]).unwrap_or(line)];
            if password_may_run_on(segment) {
                // What looks like the next URL may be in this one's password.
                segment = &tail[..line];
            }
            match already_hidden(segment).or_else(|| userinfo_end(segment)) {
                Some(at) if segment[..at].contains(':') => {
                    let user = segment.split_once(':').map_or("", |(user, _)| user);
                    out.push_str(&format!("{user}:{HIDDEN}@"));
                    rest = &tail[at + 1..];
                }
                _ => {
                    out.push_str(segment);
                    rest = &tail[segment.len()..];
                }
            }
        }
        out.push_str(rest);
        hide_password_parameters(&out)
    }

    /// Hides this URL's password wherever it stands in `text` (a driver's error, say),
    /// and anything [`DatabaseUrl::redact_any`] would hide.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            text = text.replace(secret.as_str(), HIDDEN);
        }
        DatabaseUrl::redact_any(&text)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// A URL taken apart as far as hiding its password needs.
struct Parts {
    /// The URL with its password hidden.
    shown: String,
    /// The password's forms.
    secrets: Vec<String>,
    /// Why the URL cannot be read, when its password holds reserved characters unencoded.
    unreadable: Option<String>,
    /// `password` or `user name`, when that part of the userinfo holds `@` unencoded.
    at_sign_in: Option<&'static str>,
}

impl Parts {
    fn of(url: &str) -> Parts {
        let mut secrets = Vec::new();
        let mut unreadable = None;
        let mut at_sign_in = None;
        let mut shown = url.to_owned();
        if let Some((scheme, after)) = url.split_once("://") {
            let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
            let userinfo = match after.rfind('@') {
                // An `@` past the authority after a `:`: a password holding `/`, `?`, `#`
                // or `@`, which ends the authority early. Everything up to the last `@`
                // is hidden, and the URL refused.
                Some(at) if at > authority_end && after[..at].contains(':') => {
                    unreadable = Some(
                        "its password holds `/`, `?`, `#` or `@` unencoded, so the URL cannot be read; percent-encode them (`/` as `%2F`, `?` as `%3F`, `#` as `%23`, `@` as `%40`)".to_owned(),
                    );
                    Some(&after[..at])
                }
                _ => after[..authority_end].rfind('@').map(|at| &after[..at]),
            };
            // Another `@` before the one that ends the userinfo: hidden as far as the
            // last, which MySQL's driver reads as the end; libpq reads the first.
            if let Some(userinfo) = userinfo
                && userinfo.contains('@')
            {
                let in_password = userinfo
                    .split_once(':')
                    .is_some_and(|(_, password)| password.contains('@'));
                at_sign_in = Some(if in_password { "password" } else { "user name" });
            }
            if let Some(userinfo) = userinfo
                && let Some((user, password)) = userinfo.split_once(':')
            {
                if !password.is_empty() {
                    secrets.push(password.to_owned());
                    secrets.push(percent_decoded(password));
                }
                shown = format!("{scheme}://{user}:{HIDDEN}{}", &after[userinfo.len()..]);
            }
            shown = hide_query_passwords(&shown);
        }
        if let Some((_, query)) = url.split_once('?') {
            for (key, value) in query.split('&').filter_map(|pair| pair.split_once('=')) {
                if is_password_key(key) && !value.is_empty() {
                    secrets.push(value.to_owned());
                    secrets.push(percent_decoded(value));
                }
            }
        }
        // Longest first, so that one secret inside another is not half hidden.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        secrets.retain(|s| !s.is_empty());
        Parts {
            shown: hide_password_parameters(&shown),
            secrets,
            unreadable,
            at_sign_in,
        }
    }
}

/// `password`, in any case and percent-encoded or not (libpq decodes a query's keys).
fn is_password_key(key: &str) -> bool {
    percent_decoded(key).eq_ignore_ascii_case("password")
}

/// A URL with the value of each `password` parameter of its query string hidden: the
/// whole value, as the drivers read it (up to the next `&`).
fn hide_query_passwords(url: &str) -> String {
    let Some((head, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let query = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if is_password_key(key) && !value.is_empty() => {
                format!("{key}={HIDDEN}")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    format!("{head}?{query}")
}

/// Where the userinfo of the URL at the start of `segment` (after its `://`) ends: at the
/// last `@` that a host follows, with its port if any (a password may hold `@`, and what
/// follows the URL may too: MySQL's `'root'@'host'`, whose host is quoted, is not one);
/// failing that, at the last `@` not followed by a quote. A text after the URL holding
/// `@` and a host makes it hide too much, never too little.
fn userinfo_end(segment: &str) -> Option<usize> {
    segment
        .rmatch_indices('@')
        .map(|(at, _)| at)
        .find(|&at| starts_with_host(&segment[at + 1..]))
        .or_else(|| {
            segment
                .rmatch_indices('@')
                .map(|(at, _)| at)
                .find(|&at| !segment[at + 1..].starts_with(['\'', '"', '`']))
        })
}

/// Where the userinfo ends when its password is hidden already (`user:***@`, as a URL is
/// shown): at that `@`, whatever `@` the text after the URL holds (MySQL's `'ro@ot'@'h'`
/// would otherwise be taken for a user name and a host). Not when the URL itself, up to a
/// blank or a quote, holds another `@`: then `***` may be the start of a password.
fn already_hidden(segment: &str) -> Option<usize> {
    let marker = format!(":{HIDDEN}@");
    let at = segment.find(&marker)?;
    let user = &segment[..at];
    let end = at + marker.len() - 1;
    let rest = &segment[end + 1..];
    let url_rest = &rest[..rest
        .find(|c: char| c.is_whitespace() || matches!(c, '`' | '\'' | '"'))
        .unwrap_or(rest.len())];
    (!user.contains(['/', '?', '#', '@'])
        && !user.contains(char::is_whitespace)
        && !url_rest.contains('@'))
    .then_some(end)
}

/// Whether `segment`, the text from a URL's `://` to what looks like the next URL, may hold
/// the start of a password with no `@` to end it (`user:pa` of `user:pa 0://ss@host`), so
/// that the next URL may be in the password: a `:` before the path and no `@`. A port
/// reads the same way (`host:5432 …`), and then the line's next URL is hidden with it.
fn password_may_run_on(segment: &str) -> bool {
    let authority = &segment[..segment.find(['/', '?', '#']).unwrap_or(segment.len())];
    !segment.contains('@') && !segment.starts_with('[') && authority.contains(':')
}

/// `db.local:5432/app`, `[::1]`, `h1,h2 …`: a host (or several), then a port or nothing
/// that could still be part of a host or a userinfo (`@`, `:`).
fn starts_with_host(text: &str) -> bool {
    let host = if text.starts_with('[') {
        text.find(']').map_or(0, |end| end + 1)
    } else {
        text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ',')))
            .unwrap_or(text.len())
    };
    let mut after = &text[host..];
    if let Some(port) = after.strip_prefix(':') {
        let digits = port
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(port.len());
        if digits == 0 {
            return false;
        }
        after = &port[digits..];
    }
    host > 0 && !after.starts_with(['@', ':'])
}

/// Where the next URL of a line starts: a scheme and `://` after a space or a quote (a
/// `://` inside a password is not one).
fn next_url(line: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = line[from..].find("://") {
        let at = from + found;
        // After the last character that cannot be in a scheme, which may take several bytes.
        let scheme_start = line[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let before = line[..scheme_start].chars().next_back();
        if scheme_start < at
            && before
                .is_some_and(|c| c.is_whitespace() || matches!(c, '\'' | '"' | '`' | '(' | '<'))
        {
            return Some(scheme_start);
        }
        from = at + 3;
    }
    None
}

/// The database a server URL names: its path after the authority, without the query.
pub(crate) fn database_of(url: &str) -> Option<&str> {
    let (_, after) = url.split_once("://")?;
    let path = &after[after.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    Some(path.trim_start_matches('/')).filter(|name| !name.is_empty())
}

/// For a server URL: refused unless it names its database.
pub(crate) fn require_database(url: &str, example: &str) -> std::result::Result<(), String> {
    match database_of(url) {
        Some(_) => Ok(()),
        None => Err(format!(
            "it names no database; add one after the host, as in `{example}`"
        )),
    }
}

/// `%40` as `@`, and so on; text that is not valid percent-encoding stays as it is.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes.get(i),
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (Some(b'%'), Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (Some(byte), _, _) => {
                out.push(*byte);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// `host=db user=app password=…`: libpq's and MySQL's key-value strings, with or without
/// spaces around `=` (`password = …`).
fn looks_like_key_values(text: &str) -> bool {
    text.match_indices('=').any(|(at, _)| {
        let key = text[..at].split_whitespace().next_back().unwrap_or("");
        !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// `password=…` in a query string, a `key=value` connection string or any text: the
/// keyword in any case (`PASSWORD`, `db_password`), spaces around `=` allowed, the whole
/// value hidden as libpq reads it. After `?` or `&` (a URL's query) the value runs to
/// the next `&` or space; elsewhere (a key-value string) a value in single quotes runs to
/// its closing quote (`\'` and `\\` are escapes), and a value without quotes to the next
/// space (`\ ` escapes one). Either stops at the end of the line, or where the line's JSON
/// string ends (`"` or `",` ending it): JSON output passes through here too. A value
/// already hidden (`***`, then a space, a quote, `&` or the end) is left as it is.
fn hide_password_parameters(text: &str) -> String {
    const KEYWORD: &str = "password";
    // ASCII lowercase keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find(KEYWORD) {
        let keyword = search + found;
        search = keyword + KEYWORD.len();
        let after = &text[search..];
        let Some(value) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let in_query = text[..keyword].ends_with(['?', '&']);
        let value = if in_query { value } else { value.trim_start() };
        let start = text.len() - value.len();
        let end = start + value_length(value, in_query);
        out.push_str(&text[last..start]);
        if end > start {
            out.push_str(HIDDEN);
        }
        last = end;
        search = end;
    }
    out.push_str(&text[last..]);
    out
}

/// How long the password value at the start of `value` is: see
/// [`hide_password_parameters`].
fn value_length(value: &str, in_query: bool) -> usize {
    if let Some(rest) = value.strip_prefix(HIDDEN)
        && rest
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '`' | '\'' | '"' | '&'))
    {
        return HIDDEN.len();
    }
    // Where a JSON string holding the value ends (JSON output passes through here): a `"`
    // (one inside it is escaped, `\"`) that ends a line, or a `,` after it that does. Not
    // at the end of the text, where a JSON object has its `}`.
    let json_end = |at: usize| {
        let rest = &value[at..];
        ["\"\n", "\"\r", "\",\n", "\",\r"]
            .iter()
            .any(|end| rest.starts_with(end))
    };
    if in_query {
        return value
            .char_indices()
            .find(|&(at, c)| c == '&' || c.is_whitespace() || (c == '"' && json_end(at)))
            .map_or(value.len(), |(at, _)| at);
    }
    let line = &value[..value.find(['\n', '\r']).unwrap_or(value.len())];
    let quoted = line.starts_with('\'');
    let mut chars = line.char_indices().skip(usize::from(quoted));
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '\'' if quoted => return at + 1,
            '"' if !quoted && json_end(at) => return at,
            c if c.is_whitespace() && !quoted => return at,
            _ => {}
        }
    }
    // A quote that nothing closes: the rest of the line, or of its JSON string.
    (1..line.len())
        .find(|&at| quoted && line.is_char_boundary(at) && json_end(at))
        .unwrap_or(line.len())
}

fn is_scheme(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_after_a_character_of_several_bytes_is_found_without_a_panic() {
        assert_eq!(next_url("é://x"), None);
        assert_eq!(next_url("café postgres://u@h/d"), Some(6));
        assert_eq!(next_url("«postgres://u@h/d"), None);
        assert_eq!(next_url("(ünï+sql://u@h/d"), None);
    }

    /// A user name holding `@` (percent-encoded in the URL) comes back decoded in MySQL's
    /// refusal, `'ro@ot'@'host'`: the shown URL's hidden password ends its userinfo, and
    /// the rest of the line is left as it was.
    #[test]
    fn a_refusal_naming_a_user_with_an_at_sign_is_kept_whole() -> Result<()> {
        let url = DatabaseUrl::parse("mysql://ro%40ot:sekret@127.0.0.1:3306/x")?;
        let message = format!(
            "cannot connect to `{url}`: Access denied for user 'ro@ot'@'127.0.0.1' (using password: YES)"
        );
        assert_eq!(
            url.redact(&message),
            "cannot connect to `mysql://ro%40ot:***@127.0.0.1:3306/x`: Access denied for user 'ro@ot'@'127.0.0.1' (using password: YES)"
        );
        assert_eq!(DatabaseUrl::redact_any(&message), url.redact(&message));
        // Written by a user, not shown by arte: still hidden.
        assert_eq!(
            DatabaseUrl::redact_any("mysql://u:***x@h/d and mysql://u:p@h/d"),
            "mysql://u:***@h/d and mysql://u:***@h/d"
        );
        assert_eq!(
            DatabaseUrl::redact_any("mysql://u:***@h/d:secret@host/x"),
            "mysql://u:***@host/x"
        );
        Ok(())
    }

    #[test]
    fn plain_paths_and_sqlite_urls_name_files() -> Result<()> {
        assert_eq!(DatabaseUrl::parse("app.sqlite")?.expose(), "app.sqlite");
        assert_eq!(
            DatabaseUrl::parse("sqlite://db/app.sqlite")?.expose(),
            "db/app.sqlite"
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/a.db")?.expose(),
            "/tmp/a.db"
        );
        assert_eq!(DatabaseUrl::parse("sqlite::memory:")?.expose(), ":memory:");
        assert_eq!(
            DatabaseUrl::parse("C:\\data\\a.db")?.backend(),
            Backend::Sqlite
        );
        Ok(())
    }

    /// A command that only reads opens no in-memory database in a missing file's stead
    /// when the build has no SQLite: the refusal names the user's URL and the feature.
    #[cfg(not(feature = "sqlite"))]
    #[test]
    fn a_sqlite_url_in_a_build_without_sqlite_is_refused_by_its_own_name() -> Result<()> {
        let url = DatabaseUrl::parse("sqlite://arte-never-created.sqlite")?;
        assert!(url.exists(), "opening it must be what refuses it");
        match crate::Db::connect("sqlite://arte-never-created.sqlite") {
            Ok(_) => panic!("a build without SQLite opened a SQLite URL"),
            Err(error) => assert_eq!(
                error.to_string(),
                "the database URL `sqlite://arte-never-created.sqlite` is for SQLite, which this \
                 build does not include; enable the `sqlite` feature of arte-core (or of \
                 arte-cli, which passes it on) and build again"
            ),
        }
        assert!(!std::path::Path::new("arte-never-created.sqlite").exists());
        Ok(())
    }

    #[test]
    fn server_urls_select_their_backend() -> Result<()> {
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/d")?.backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/d")?.expose(),
            "postgres://u@h/d?fallback_application_name=arte"
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/d")?.backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("mysql://u@h/d")?.backend(),
            Backend::Mysql
        );
        assert_eq!(
            DatabaseUrl::parse("mariadb://u@h/d")?.expose(),
            "mysql://u@h/d"
        );
        Ok(())
    }

    #[test]
    fn another_database_of_the_same_server_keeps_everything_else() -> Result<()> {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db:5432/app?sslmode=disable")?;
        let scratch = url.with_database("arte_scratch_1")?;
        assert_eq!(
            scratch.expose(),
            "postgres://app:s3cret@db:5432/arte_scratch_1?sslmode=disable&fallback_application_name=arte"
        );
        assert!(!scratch.to_string().contains("s3cret"));
        let url = DatabaseUrl::parse("mariadb://root@127.0.0.1:3306/mysql")?;
        assert_eq!(
            url.with_database("arte_scratch_2")?.expose(),
            "mysql://root@127.0.0.1:3306/arte_scratch_2"
        );
        Ok(())
    }

    #[test]
    fn display_never_shows_the_password() -> Result<()> {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.local:5432/app")?;
        assert_eq!(url.to_string(), "postgres://app:***@db.local:5432/app");
        assert_eq!(url.redact("FATAL for s3cret"), "FATAL for ***");
        let url = DatabaseUrl::parse("mariadb://root:hunter2@h/d?ssl=true")?;
        assert_eq!(url.to_string(), "mariadb://root:***@h/d?ssl=true");
        let url = DatabaseUrl::parse("postgres://h/d?user=a&password=pw9")?;
        assert!(!url.to_string().contains("pw9"));
        // Not a scheme: a file path, shown without what looks like a password.
        let url = DatabaseUrl::parse("my db://u:pw9@h/d")?;
        assert_eq!(url.backend(), Backend::Sqlite);
        assert_eq!(url.to_string(), "my db://u:***@h/d");
        let url = url.resolved_against(std::path::Path::new("/srv"));
        assert!(
            url.expose().ends_with("my db://u:pw9@h/d"),
            "{}",
            url.expose()
        );
        assert!(url.to_string().ends_with("my db://u:***@h/d"), "{url}");
        Ok(())
    }

    #[test]
    fn any_url_in_free_text_loses_its_password() {
        let text = "error: unexpected argument 'postgres://bob:pa55@db/x' found; also mysql://u:p@h and password=zz9&x=1";
        let redacted = DatabaseUrl::redact_any(text);
        // Outside a URL's query, `password=` is read as libpq reads it: its value runs to
        // the next space, `&x=1` included.
        assert_eq!(
            redacted,
            "error: unexpected argument 'postgres://bob:***@db/x' found; also mysql://u:***@h and password=***"
        );
        assert_eq!(
            DatabaseUrl::redact_any("at postgres://h/d?password=zz9&x=1 and ?PassWord=a'b c"),
            "at postgres://h/d?password=***&x=1 and ?PassWord=*** c"
        );
        assert_eq!(
            DatabaseUrl::redact_any("{\n  \"database\": \"postgres://h/d?password=a\"b\",\n}"),
            "{\n  \"database\": \"postgres://h/d?password=***\",\n}"
        );
    }

    /// The reproductions of the acceptance run: libpq's `key=value` strings, a quoted or
    /// spaced password in any case, hidden whole wherever they are printed.
    #[test]
    fn key_value_passwords_are_hidden_whole_quoted_or_spaced() {
        for (url, shown) in [
            (
                "host=127.0.0.1 password='top secret' dbname=x",
                "host=127.0.0.1 password=*** dbname=x",
            ),
            (
                "host=127.0.0.1 password='abc123' dbname=x",
                "host=127.0.0.1 password=*** dbname=x",
            ),
            (
                "dbname=x password = hunter3 host=h",
                "dbname=x password = *** host=h",
            ),
            ("password=secret host=h", "password=*** host=h"),
            ("host=h PASSWORD='a b'", "host=h PASSWORD=***"),
            ("Password =  'x y' host=h", "Password =  *** host=h"),
            (
                r"host=h password='it\'s a \\ secret' dbname=x",
                "host=h password=*** dbname=x",
            ),
            (
                r"host=h password=pa\ ss dbname=x",
                "host=h password=*** dbname=x",
            ),
            (
                "host=h password=ab\"cd&e;f dbname=x",
                "host=h password=*** dbname=x",
            ),
            // `=` then spaces: libpq takes the next word for the value.
            ("host=h password= hunter4", "host=h password= ***"),
            // A quote that nothing closes: the rest of the line.
            (
                "host=h password='top secret dbname=x",
                "host=h password=***",
            ),
        ] {
            assert_eq!(
                refusal(url),
                format!(
                    "the database URL `{shown}` is not supported: it is a `key=value` connection string, which arte does not read; write it as a URL, such as `postgres://user:password@host:5432/app`"
                ),
                "{url}"
            );
            assert_eq!(DatabaseUrl::redact_any(url), shown, "{url}");
            // What the command line prints: the error's text, hidden once more.
            let printed = DatabaseUrl::redact_any(&refusal(url));
            assert!(
                printed.contains(&format!("`{shown}` is not supported")),
                "{printed}"
            );
            // Its JSON output, hidden once more as a whole, stays JSON.
            let json = format!(
                "{{\n  \"database\": \"{}\",\n  \"x\": 1\n}}",
                shown.replace('"', "\\\"")
            );
            assert_eq!(DatabaseUrl::redact_any(&json), json, "{url}");
        }
        assert!(refusal("host=h password=").starts_with("the database URL `host=h password=` "));
        assert_eq!(
            DatabaseUrl::redact_any("error: unexpected argument 'host=h password=ab'cd' found"),
            "error: unexpected argument 'host=h password=*** found"
        );
        // In JSON text, where a `"` inside a string is escaped, the `"` (or `",`) ending
        // a line ends the string; elsewhere a `"` is part of the value.
        for (json, hidden) in [
            (
                "{\n  \"sql\": \"UPDATE u SET password = NULL\",\n  \"n\": 1\n}",
                "{\n  \"sql\": \"UPDATE u SET password = ***\",\n  \"n\": 1\n}",
            ),
            (
                "{\n  \"m\": \"password=a\\\"b\"\n}",
                "{\n  \"m\": \"password=***\"\n}",
            ),
            (
                "{\n  \"m\": \"password='a \\\"b\",\n  \"n\": 1\n}",
                "{\n  \"m\": \"password=***\",\n  \"n\": 1\n}",
            ),
        ] {
            assert_eq!(DatabaseUrl::redact_any(json), hidden, "{json}");
        }
        assert_eq!(DatabaseUrl::redact_any("password=a\"b\""), "password=***");
        assert_eq!(
            DatabaseUrl::redact_any("password=a\",b c"),
            "password=*** c"
        );
        // Not a parameter: no `=` after the word.
        for text in [
            "Access denied for user 'root'@'h' (using password: YES)",
            "FATAL: password authentication failed for user \"app\"",
            "passwordless=true",
        ] {
            assert_eq!(DatabaseUrl::redact_any(text), text);
        }
    }

    #[test]
    fn a_query_password_is_hidden_whole_in_the_display() -> Result<()> {
        for (url, shown) in [
            (
                "postgres://h/d?user=a&password=ab'cd;e\"f`g",
                "postgres://h/d?user=a&password=***",
            ),
            (
                "postgres://h/d?pass%77ord=s3cret&sslmode=require",
                "postgres://h/d?pass%77ord=***&sslmode=require",
            ),
            (
                "postgres://u:pw@h/d?PASSWORD=x#y&application_name=a",
                "postgres://u:***@h/d?PASSWORD=***&application_name=a",
            ),
        ] {
            assert_eq!(DatabaseUrl::parse(url)?.to_string(), shown, "{url}");
        }
        Ok(())
    }

    /// A URL whose userinfo holds two `@`: libpq would end the password at the first (and
    /// quote the rest, `nter2@127.0.0.1`, as a host name it cannot find), so it is refused
    /// before any connection, in a sentence that shows no part of the password. MySQL's
    /// driver reads it, up to the last `@`.
    #[test]
    fn an_at_sign_in_a_postgres_password_is_refused_before_connecting() -> Result<()> {
        let url = "postgres://postgres:hu@nter2@127.0.0.1:5432/x";
        let expected = "the database URL `postgres://postgres:***@127.0.0.1:5432/x` is not supported: its password holds `@` unencoded, where PostgreSQL's driver would end it; write each `@` in it as `%40`";
        assert_eq!(refusal(url), expected);
        // What the command line prints is the same sentence.
        assert_eq!(DatabaseUrl::redact_any(&refusal(url)), expected);
        assert_eq!(
            DatabaseUrl::redact_any(url),
            "postgres://postgres:***@127.0.0.1:5432/x"
        );
        assert_eq!(
            refusal("postgresql://app:a@b@c@db/app"),
            "the database URL `postgresql://app:***@db/app` is not supported: its password holds `@` unencoded, where PostgreSQL's driver would end it; write each `@` in it as `%40`"
        );
        assert_eq!(
            refusal("postgres://me@corp:pw@h/d"),
            "the database URL `postgres://me@corp:***@h/d` is not supported: its user name holds `@` unencoded, where PostgreSQL's driver would end it; write each `@` in it as `%40`"
        );
        assert!(refusal("postgres://me@corp@h/d").contains("its user name holds `@`"));
        // Written as `%40`, it is read.
        let url = DatabaseUrl::parse("postgres://postgres:hu%40nter2@127.0.0.1:5432/x")?;
        assert_eq!(url.to_string(), "postgres://postgres:***@127.0.0.1:5432/x");
        // MySQL's driver ends the userinfo at its last `@`: read, and hidden whole.
        let url = DatabaseUrl::parse("mysql://root:hu@nter2@127.0.0.1:3306/mysql")?;
        assert_eq!(url.to_string(), "mysql://root:***@127.0.0.1:3306/mysql");
        assert_eq!(url.redact("bad hu@nter2, nter2"), "bad ***, nter2");
        Ok(())
    }

    #[test]
    fn what_follows_a_url_in_an_error_is_not_taken_for_its_password() {
        for (text, redacted) in [
            (
                "cannot connect to `mysql://root:***@127.0.0.1:3306/app`: Access denied for user 'root'@'127.0.0.1' (using password: YES)",
                "cannot connect to `mysql://root:***@127.0.0.1:3306/app`: Access denied for user 'root'@'127.0.0.1' (using password: YES)",
            ),
            (
                "cannot connect to `mysql://nobody@127.0.0.1:3306/app`: Access denied for user 'nobody'@'127.0.0.1' (using password: NO)",
                "cannot connect to `mysql://nobody@127.0.0.1:3306/app`: Access denied for user 'nobody'@'127.0.0.1' (using password: NO)",
            ),
            (
                "`mysql://root:hunter2@db/app`: denied for 'root'@'db'",
                "`mysql://root:***@db/app`: denied for 'root'@'db'",
            ),
            // A password holding `@`, spaces and something like a host and a path.
            (
                "at mysql://u:p@ss w@x/y@db:3306/app?ssl=true: denied for 'u'@'h'",
                "at mysql://u:***@db:3306/app?ssl=true: denied for 'u'@'h'",
            ),
            (
                "postgres://u:pw@[::1]:5432/app",
                "postgres://u:***@[::1]:5432/app",
            ),
            // What looks like another URL inside the password, after a quote or a space.
            (
                "error: unexpected argument 'postgres://a:'0://~@a' found",
                "error: unexpected argument 'postgres://a:***@a' found",
            ),
            ("at mysql://u:x 0://y~@db/app", "at mysql://u:***@db/app"),
            // A port before another URL reads as a password that may run on: too much is
            // hidden, never too little.
            (
                "from postgres://h:5432 to mysql://u:pw@h/d",
                "from postgres://h:***@h/d",
            ),
            (
                "from postgres://h/d to mysql://u:pw@h/d",
                "from postgres://h/d to mysql://u:***@h/d",
            ),
            // A URL without a user, and MySQL's quoted user after it.
            (
                "`mysql://127.0.0.1:3306/app`: Access denied for user 'root'@'127.0.0.1'",
                "`mysql://127.0.0.1:3306/app`: Access denied for user 'root'@'127.0.0.1'",
            ),
            // `@` in the password, and a host after it.
            (
                "'postgres://a:p@x/q~@h' found",
                "'postgres://a:***@h' found",
            ),
        ] {
            assert_eq!(DatabaseUrl::redact_any(text), redacted, "{text}");
        }
    }

    #[test]
    fn unknown_schemes_are_refused_without_the_password() {
        let error = DatabaseUrl::parse("oracle://u:topsecret@h/d").map(|_| ());
        let message = error.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("`oracle` is unknown"), "{message}");
        assert!(!message.contains("topsecret"), "{message}");
    }

    fn refusal(url: &str) -> String {
        DatabaseUrl::parse(url)
            .map(|_| String::new())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn passwords_with_reserved_characters_unencoded_are_refused_and_hidden() {
        for url in [
            "postgres://app:pa/ss@db/app",
            "postgres://app:pa?ss@db/app",
            "postgres://app:pa#ss@db/app",
            "mysql://app:p@ss/w?rd#x@db:3306/app",
            "postgres://app:a:b/c@db/app",
        ] {
            let message = refusal(url);
            assert!(message.contains("unencoded"), "{url}: {message}");
            for secret in ["pa/ss", "pa?ss", "pa#ss", "p@ss/w?rd#x", "a:b/c"] {
                if url.contains(secret) {
                    assert!(!message.contains(secret), "{url}: {message}");
                }
            }
        }
    }

    #[test]
    fn percent_encoded_passwords_are_hidden_in_both_forms() -> Result<()> {
        let url = DatabaseUrl::parse("postgres://app:p%40ss%2Fw0rd@db/app")?;
        assert_eq!(url.to_string(), "postgres://app:***@db/app");
        assert_eq!(
            url.redact("auth failed: p@ss/w0rd and p%40ss%2Fw0rd"),
            "auth failed: *** and ***"
        );
        Ok(())
    }

    #[test]
    fn key_value_strings_and_urls_without_a_database_are_refused_in_a_sentence() {
        let message = refusal("host=db user=app password=hunter2 dbname=app");
        assert!(
            message.contains("`key=value` connection string"),
            "{message}"
        );
        assert!(!message.contains("hunter2"), "{message}");
        for url in [
            "mysql://root@127.0.0.1:3306",
            "mysql://root@h/",
            "postgres://u:pw@h:5432",
        ] {
            let message = refusal(url);
            assert!(message.contains("names no database"), "{url}: {message}");
            assert!(!message.contains(":pw@"), "{message}");
        }
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// A password with at least one character no other part of the URL has, so that
        /// finding it in the output can only mean a leak.
        fn password() -> impl Strategy<Value = String> {
            ("[a-zA-Z0-9/?#@:%&=+ ._~!$'()*,;é€\\-]{3,24}", "[!é€$~]")
                .prop_map(|(body, marker)| format!("{body}{marker}"))
        }

        fn encoded(password: &str) -> String {
            password
                .bytes()
                .map(|b| match b {
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4000))]

            #[test]
            fn no_password_is_ever_shown(
                password in password(),
                scheme in prop::sample::select(vec!["postgres", "postgresql", "mysql", "mariadb", "oracle"]),
                user in "[a-z]{1,8}",
                host in "[a-z]{1,8}",
                port in prop::option::of(1u16..65535),
                database in prop::option::of("[a-z]{1,8}"),
                encode in any::<bool>(),
            ) {
                let written = if encode { encoded(&password) } else { password.clone() };
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                let path = database.map(|d| format!("/{d}")).unwrap_or_default();
                let url = format!("{scheme}://{user}:{written}@{host}{port}{path}");
                let leaks = |text: &str| text.contains(&password) || text.contains(&written);
                match DatabaseUrl::parse(&url) {
                    Ok(parsed) => {
                        prop_assert!(!leaks(&parsed.to_string()), "{}", parsed);
                        let driver = format!("FATAL: password \"{password}\" for {}", parsed.expose());
                        prop_assert!(!leaks(&parsed.redact(&driver)));
                    }
                    Err(error) => prop_assert!(!leaks(&error.to_string()), "{error}"),
                }
                let echoed = DatabaseUrl::redact_any(&format!("error: unexpected argument '{url}' found"));
                prop_assert!(!leaks(&echoed), "{echoed}");
            }

            /// A libpq `key=value` string, its password quoted or not (escaped as libpq
            /// reads it), the keyword in any case and spaced or not: refused, and shown
            /// nowhere the command line prints it (its error, echoed or not; its JSON).
            #[test]
            fn no_key_value_password_is_ever_shown(
                password in ("[a-zA-Z0-9/?#@:%&=+ ._~!$'\"`()*,;\\\\é€\\-]{1,24}", "[é€]")
                    .prop_map(|(body, marker)| format!("{body}{marker}")),
                keyword in prop::sample::select(vec!["password", "PASSWORD", "Password"]),
                before in prop::sample::select(vec!["", " ", "  "]),
                after in prop::sample::select(vec!["", " ", "  "]),
                quote in any::<bool>(),
                first in prop::option::of("[a-z]{1,8}"),
                last in prop::option::of("[a-z]{1,8}"),
            ) {
                let written = if quote {
                    format!("'{}'", password.replace('\\', "\\\\").replace('\'', "\\'"))
                } else {
                    password
                        .chars()
                        .enumerate()
                        .map(|(at, c)| match c {
                            '\\' => "\\\\".to_owned(),
                            '\'' if at == 0 => "\\'".to_owned(),
                            c if c.is_whitespace() => format!("\\{c}"),
                            c => c.to_string(),
                        })
                        .collect()
                };
                let kv = [
                    first.map(|host| format!("host={host}")),
                    Some(format!("{keyword}{before}={after}{written}")),
                    last.map(|name| format!("dbname={name}")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
                let leaks = |text: &str| text.contains(&password) || text.contains(['é', '€']);
                let refused = DatabaseUrl::parse(&kv).map(|_| String::new()).unwrap_or_else(|e| e.to_string());
                prop_assert!(refused.contains("`key=value` connection string"), "{refused}");
                prop_assert!(!leaks(&refused), "{refused}");
                let shown = DatabaseUrl::redact_any(&kv);
                prop_assert!(!leaks(&shown), "{shown}");
                let printed = DatabaseUrl::redact_any(&refused);
                prop_assert!(!leaks(&printed), "{printed}");
                let echoed = DatabaseUrl::redact_any(&format!("error: unexpected argument '{kv}' found\n\nUsage: arte"));
                prop_assert!(!leaks(&echoed), "{echoed}");
                let string = |text: &str| format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
                let json = format!(
                    "{{\n  \"database\": {},\n  \"error\": {{\n    \"message\": {}\n  }}\n}}",
                    string(&shown),
                    string(&printed)
                );
                prop_assert_eq!(DatabaseUrl::redact_any(&json), json);
            }

            #[test]
            fn any_text_parses_or_is_refused_without_a_panic(text in "\\PC{0,80}") {
                let _ = DatabaseUrl::parse(&text).map(|url| url.to_string());
                let _ = DatabaseUrl::redact_any(&text);
            }
        }
    }
}
