//! Prints the order gen loads schema files in, one statement a line with
//! its location; with `--time`, only how long reading, parsing and
//! ordering took (scripts/bench.py uses it).
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
        println!(
            "{} statements in {:.3} s",
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
