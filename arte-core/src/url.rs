//! Database URLs: which backend they name, and how they are shown (never with a password).

use crate::backend::Backend;
use crate::error::{Error, Result};
use std::fmt;

/// A parsed database URL. `Display` hides the password; [`DatabaseUrl::expose`] does not.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What the driver is given: for SQLite a file path (or `:memory:`), else the URL.
    target: String,
    password: Option<String>,
}

impl DatabaseUrl {
    /// Parses `sqlite://path`, `sqlite:path`, a plain file path, `postgres://…`,
    /// `postgresql://…`, `mysql://…` or `mariadb://…`.
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
        let password = password_of(url);
        let (backend, target) = match scheme.as_deref() {
            None => (Backend::Sqlite, url.to_owned()),
            Some(scheme) => match Backend::from_scheme(scheme) {
                Some(backend) => {
                    let target = backend
                        .dialect()
                        .driver_target(url, rest)
                        .map_err(|reason| Error::InvalidUrl {
                            url: redact_with(url, password.as_deref()),
                            reason,
                        })?;
                    (backend, target)
                }
                None => {
                    return Err(Error::InvalidUrl {
                        url: redact_with(url, password.as_deref()),
                        reason: format!(
                            "the scheme `{scheme}` is unknown; use `sqlite://`, `postgres://` or `mysql://`"
                        ),
                    });
                }
            },
        };
        Ok(DatabaseUrl {
            backend,
            target,
            password,
        })
    }

    /// A SQLite file at `path`.
    pub fn sqlite_file(path: impl Into<String>) -> Self {
        DatabaseUrl {
            backend: Backend::Sqlite,
            target: path.into(),
            password: None,
        }
    }

    /// Which database the URL names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What the driver is given, password and all. Never print it.
    pub fn expose(&self) -> &str {
        &self.target
    }

    /// Hides the password of every URL written in `text`, whatever its scheme: for output
    /// that may echo what a user typed.
    pub fn redact_any(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("://") {
            let (head, tail) = rest.split_at(at + 3);
            out.push_str(head);
            let end = tail
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '/' | '?' | '#' | '\'' | '"' | '`')
                })
                .unwrap_or(tail.len());
            let authority = &tail[..end];
            match authority.rsplit_once('@') {
                Some((userinfo, host)) => match userinfo.split_once(':') {
                    Some((user, _)) => out.push_str(&format!("{user}:***@{host}")),
                    None => out.push_str(authority),
                },
                None => out.push_str(authority),
            }
            rest = &tail[end..];
        }
        out.push_str(rest);
        hide_password_parameters(&out)
    }

    /// Hides this URL's password wherever it stands in `text` (a driver's error, say).
    pub fn redact(&self, text: &str) -> String {
        redact_with(text, self.password.as_deref())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The scheme stays as written even when the password happens to spell it.
        match self.target.split_once(':') {
            Some((scheme, rest)) => write!(f, "{scheme}:{}", self.redact(rest)),
            None => f.write_str(&self.redact(&self.target)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// `password=…` in a query string or a key-value connection string.
fn hide_password_parameters(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find("password=") {
        let start = search + found + "password=".len();
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '\'' | '"' | '`'))
            .map_or(text.len(), |n| start + n);
        out.push_str(&text[last..start]);
        if end > start {
            out.push_str("***");
        }
        last = end;
        search = end.max(start);
    }
    out.push_str(&text[last..]);
    out
}

fn is_scheme(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.')
}

/// The password of `scheme://user:password@host…` or of a `password=` query parameter.
fn password_of(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest)?;
    let authority = after_scheme.split(['/', '?']).next().unwrap_or("");
    let from_userinfo = authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, password)| password.to_owned())
        .filter(|password| !password.is_empty());
    let from_query = url.split_once('?').and_then(|(_, query)| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| key.eq_ignore_ascii_case("password"))
            .map(|(_, value)| value.to_owned())
            .filter(|value| !value.is_empty())
    });
    from_userinfo.or(from_query)
}

fn redact_with(text: &str, password: Option<&str>) -> String {
    match password {
        Some(password) => text.replace(password, "***"),
        None => match password_of(text) {
            Some(password) => text.replace(&password, "***"),
            None => text.to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn server_urls_select_their_backend() -> Result<()> {
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/d")?.backend(),
            Backend::Postgres
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
    fn display_never_shows_the_password() -> Result<()> {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.local:5432/app")?;
        assert_eq!(url.to_string(), "postgres://app:***@db.local:5432/app");
        assert_eq!(url.redact("FATAL for s3cret"), "FATAL for ***");
        let url = DatabaseUrl::parse("mariadb://root:hunter2@h/d?ssl=true")?;
        assert_eq!(url.to_string(), "mysql://root:***@h/d?ssl=true");
        let url = DatabaseUrl::parse("postgres://h/d?user=a&password=pw9")?;
        assert!(!url.to_string().contains("pw9"));
        Ok(())
    }

    #[test]
    fn any_url_in_free_text_loses_its_password() {
        let text = "error: unexpected argument 'postgres://bob:pa55@db/x' found; also mysql://u:p@h and password=zz9&x=1";
        let redacted = DatabaseUrl::redact_any(text);
        assert_eq!(
            redacted,
            "error: unexpected argument 'postgres://bob:***@db/x' found; also mysql://u:***@h and password=***&x=1"
        );
    }

    #[test]
    fn unknown_schemes_are_refused_without_the_password() {
        let error = DatabaseUrl::parse("oracle://u:topsecret@h/d").map(|_| ());
        let message = error.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("`oracle` is unknown"), "{message}");
        assert!(!message.contains("topsecret"), "{message}");
    }
}
