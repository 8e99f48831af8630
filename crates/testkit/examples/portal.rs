//! Serves a generated portal and says what it holds:
//! `cargo run -p nianbao-testkit --example portal -- SEED [--serve]`.

use nianbao_testkit::Portal;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let portal = Portal::generate(seed)?;
    println!("{}", portal.describe());
    println!("home: {}", portal.home());
    let truth = portal.truth();
    for r in &truth.reports {
        println!(
            "report {:?} {:?} {} {} {}",
            r.page, r.attachments, r.agency, r.year, r.title
        );
    }
    for t in &truth.traps {
        println!("trap {t}");
    }
    println!(
        "disallowed {:?}\ndead {:?}\noffsite {:?}\nflaky {:?}",
        truth.disallowed, truth.dead, truth.offsite, truth.flaky
    );
    if args.iter().any(|a| a == "--serve") {
        println!("serving; Ctrl-C to stop");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(60));
        }
    }
    Ok(())
}
