//! What a fixture says about itself, read alike by the oracle
//! (`tests/oracle.rs` includes this file) and the tests that walk
//! `fixtures/`.

use std::path::Path;

/// The oldest major the fixture in `dir` is for: its own `since` file (a
/// fixture using PostgreSQL 15's syntax holds `15`), else that of its group
/// (`fixtures/pg17/…`: 17); `None` for every supported major.
pub fn since(dir: &Path) -> Option<u32> {
    if let Ok(text) = std::fs::read_to_string(dir.join("since")) {
        return Some(
            text.trim()
                .parse()
                .unwrap_or_else(|_| panic!("{}/since: not a major version", dir.display())),
        );
    }
    let group = dir.parent()?.file_name()?.to_str()?;
    group.strip_prefix("pg")?.parse().ok()
}
