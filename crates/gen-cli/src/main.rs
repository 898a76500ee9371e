//! `gen`: declarative PostgreSQL schemas in, ordered and reversible Sqitch
//! migrations out.

use std::process::ExitCode;

use clap::Parser as _;
use gen_cli::cli::{Cli, Command, SandboxCommand};
use gen_cli::config::Config;
use gen_cli::{baseline, commands, deploy, error};

// glibc's allocator kept about as much memory again as gen used at its
// peak (439 MB resident for 231 MB of heap at 4000 tables): the arenas of
// the threads that parse schema files hold on to what they freed.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code for trouble: bad input, bad SQL, an unreachable database.
const TROUBLE: u8 = 2;
/// Exit code after Ctrl-C, as shells report SIGINT.
const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The warm server's watcher runs a small runtime of its own, on this
    // thread, which must live as long as the server does.
    if let Command::Sandbox(SandboxCommand::Watch { args }) = &cli.command {
        return match gen_sandbox::watch(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                error::report(&e.into());
                ExitCode::from(TROUBLE)
            }
        };
    }
    // A step over a second says what it is doing, where someone watches.
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        gen_load::progress::enable();
    }
    // Each stage's time, for the benchmark.
    if std::env::var_os("GEN_TIMINGS").is_some_and(|v| !v.is_empty()) {
        gen_timing::enable();
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return ExitCode::from(TROUBLE);
        }
    };
    let mut interrupted = false;
    let code = runtime.block_on(async {
        // Ctrl-C drops the command's future, and with it any sandbox, whose
        // Drop stops the server and removes its files.
        tokio::select! {
            result = run(cli) => match result {
                Ok(code) => ExitCode::from(code),
                Err(e) => {
                    error::report(&e);
                    ExitCode::from(TROUBLE)
                }
            },
            _ = tokio::signal::ctrl_c() => {
                eprintln!("interrupted");
                interrupted = true;
                ExitCode::from(INTERRUPTED)
            }
            () = terminated() => {
                eprintln!("terminated");
                interrupted = true;
                ExitCode::from(INTERRUPTED)
            }
        }
    });
    if let Some(timings) = gen_timing::report() {
        eprintln!("gen: timings: {timings}");
    }
    if interrupted {
        // The sandbox was dropped with the command's future; a template
        // copy still going on a blocking thread is not.
        gen_sandbox::remove_leftovers();
    }
    // Everything has finished or been dropped by now; dropping the runtime
    // would still wait for its idle worker threads to wake up and exit,
    // which took up to 5 ms of a 130 ms check.
    runtime.shutdown_background();
    code
}

/// Resolves when the process gets SIGTERM (never, if it cannot listen).
async fn terminated() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(_) => std::future::pending().await,
    }
}

async fn run(cli: Cli) -> anyhow::Result<u8> {
    let code = match &cli.command {
        Command::Init(args) if args.from_db.is_none() => commands::init(&cli.global, args)?,
        Command::Init(args) => {
            let url = args.from_db.as_deref().expect("matched above");
            baseline::run(&cli.global, args, url).await?
        }
        Command::Sandbox(command) => commands::sandbox(command)?,
        command => {
            let config = Config::load(&cli.global)?;
            match command {
                Command::Add(args) => commands::add(&config, args).await?,
                Command::Diff(args) => commands::diff(&config, args).await?,
                Command::Check(args) => commands::check(&config, args).await?,
                Command::Rehash => commands::rehash(&config)?,
                Command::Deploy(args) => deploy::deploy(&config, args).await?,
                Command::Revert(args) => deploy::revert(&config, args).await?,
                Command::Verify(args) => deploy::verify(&config, args).await?,
                Command::Status(args) => deploy::status(&config, args).await?,
                Command::Tag(args) => deploy::tag(&config, args)?,
                Command::Init(_) | Command::Sandbox(_) => unreachable!("handled above"),
            }
        }
    };
    Ok(u8::try_from(code).unwrap_or(TROUBLE))
}
