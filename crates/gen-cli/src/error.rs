//! How errors are shown.
//!
//! Exit codes follow diff(1): 0 nothing found, 1 something found (drift,
//! changes), 2 trouble. Every error is trouble.

pub use gen_load::UserError;

/// Prints `error: …`, the cause chain, an excerpt and `hint: …` to stderr.
pub fn report(err: &anyhow::Error) {
    let mut out = format!("error: {err}");
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if !out.contains(&text) {
            out.push_str(&format!("\n  caused by: {text}"));
        }
    }
    let user = err.chain().find_map(|e| e.downcast_ref::<UserError>());
    let hint = user
        .and_then(|u| u.hint.clone())
        .or_else(|| library_hint(err));
    if let Some(excerpt) = user.and_then(|u| u.excerpt.as_ref()) {
        out.push('\n');
        out.push_str(excerpt.trim_end());
    }
    if let Some(hint) = hint {
        out.push_str(&format!("\nhint: {hint}"));
    }
    eprintln!("{out}");
}

/// Hints carried by the library crates' own errors.
fn library_hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|e| {
        if let Some(e) = e.downcast_ref::<gen_sandbox::SandboxError>() {
            return e.hint().map(str::to_owned);
        }
        if let Some(e) = e.downcast_ref::<gen_migrations::MigrationError>() {
            return e.hint().map(str::to_owned);
        }
        if let Some(e) = e.downcast_ref::<gen_catalog::CatalogError>() {
            return e.hint().map(str::to_owned);
        }
        if let Some(e) = e.downcast_ref::<gen_source::SourceError>() {
            return e.hint().map(str::to_owned);
        }
        None
    })
}
