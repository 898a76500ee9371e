//! Prints the order gen loads schema files in, one statement a line with
//! its location; with `--time`, only how long loading took (reading,
//! parsing and ordering), and for one file parsing and ordering measured
//! apart (scripts/bench.py uses it).
//!
//! ```text
//! cargo run --release -p gen-source --example load_order -- schema/
//! cargo run --release -p gen-source --example load_order -- --time big.sql
//! ```

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut time = false;
    let mut options = gen_source::Options::default();
    let mut path = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--time" => time = true,
            "--search-path" => {
                let value = args.next().ok_or("--search-path takes a value")?;
                options.settings.push(("search_path".to_owned(), value));
            }
            _ => path = Some(arg),
        }
    }
    let path = path.ok_or("usage: load_order [--time] [--search-path PATH] SCHEMA")?;
    let start = Instant::now();
    let source = gen_source::load_with(std::path::Path::new(&path), &options)?;
    let elapsed = start.elapsed();
    if time {
        // Parsing and ordering apart, for one file on one thread (loading
        // spreads parsing over the cores).
        let mut apart = String::new();
        if std::path::Path::new(&path).is_file() {
            let text = std::fs::read_to_string(&path)?;
            let start = Instant::now();
            let statements = gen_source::split(std::path::Path::new(&path), &text)?;
            let parsed = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let statements = gen_source::ordered(statements);
            let ordered = start.elapsed().as_secs_f64();
            apart = format!(", parsing {parsed:.3} s, ordering {ordered:.3} s");
            drop(statements);
        }
        println!(
            "{} statements in {:.3} s{apart}",
            source.statements.len(),
            elapsed.as_secs_f64()
        );
        return Ok(());
    }
    for statement in &source.statements {
        let first = statement.sql.lines().next().unwrap_or_default();
        println!("{} {first}", statement.location);
    }
    Ok(())
}
