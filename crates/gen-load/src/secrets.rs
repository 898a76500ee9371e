//! Secrets a migration reads at deploy time.
//!
//! gen never holds the value of a secret option (a user mapping's
//! `password`, …): the migration reads it from a psql variable,
//! `:'gen_secret_<name>'`, which `sqitch deploy --set gen_secret_<name>=…`
//! or psql's `-v` give. `gen deploy` takes it from the environment variable
//! `GEN_SECRET_<NAME>` instead, and never prints it.

use std::borrow::Cow;

use gen_model::Literal;

use crate::error::UserError;

const PREFIX: &str = ":'gen_secret_";

/// `sql` with each `:'gen_secret_<name>'` replaced by the quoted value of
/// `GEN_SECRET_<NAME>` as `lookup` finds it; an error naming the variable
/// when one is not set.
pub fn supply(
    sql: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Cow<'_, str>, UserError> {
    substitute(sql, |name, variable| {
        lookup(variable).ok_or_else(|| {
            UserError::new(format!("the migration reads secret {name}, and {variable} is not set"))
                .hint(format!(
                    "set {variable} in the environment of gen deploy (sqitch takes it as --set {name}=…)"
                ))
        })
    })
}

/// What the sandbox reads wherever a schema file or replayed migration
/// reads a secret: gen never knows one, nor compares them.
const STAND_IN: &str = "gen-sandbox-stand-in";

/// `sql` as the sandbox runs it: every secret read as [`STAND_IN`].
pub fn stand_in(sql: &str) -> Cow<'_, str> {
    match substitute(sql, |_, _| {
        Ok::<_, std::convert::Infallible>(STAND_IN.to_owned())
    }) {
        Ok(sql) => sql,
        Err(never) => match never {},
    }
}

/// `sql` with each `:'gen_secret_<name>'` replaced by the quoted value
/// `value(name, GEN_SECRET_<NAME>)` gives.
fn substitute<E>(
    sql: &str,
    value: impl Fn(&str, &str) -> Result<String, E>,
) -> Result<Cow<'_, str>, E> {
    if !sql.contains(PREFIX) {
        return Ok(Cow::Borrowed(sql));
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(PREFIX) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..end];
        if !after[end..].starts_with('\'') {
            // Not a variable reference after all: keep the text.
            out.push_str(&rest[..at + 2]);
            rest = after;
            continue;
        }
        let variable = name.to_ascii_uppercase();
        out.push_str(&Literal(&value(name, &variable)?).to_string());
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// [`supply`] from the process environment.
pub fn from_env(sql: &str) -> Result<Cow<'_, str>, UserError> {
    supply(sql, |name| std::env::var(name).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_quoted_in_place_and_other_text_kept() {
        let sql = "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'app', password :'gen_secret_s_app_password');";
        let out = supply(sql, |n| {
            (n == "GEN_SECRET_S_APP_PASSWORD").then(|| "it's".to_owned())
        })
        .expect("supplied");
        assert_eq!(
            out,
            "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'app', password 'it''s');"
        );
        assert!(matches!(supply("SELECT 1", |_| None), Ok(Cow::Borrowed(_))));
    }

    #[test]
    fn a_missing_secret_names_its_variable_and_never_a_value() {
        let e = supply("x :'gen_secret_s_password' y", |_| None).expect_err("missing");
        let text = format!("{e:?}");
        assert!(text.contains("GEN_SECRET_S_PASSWORD"), "{text}");
    }
}
