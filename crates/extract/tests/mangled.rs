//! Mangled documents never panic: generated reports in every format with bytes flipped,
//! cut short or shuffled are read and extracted to some status, every time.

use nianbao_extract::extract;
use nianbao_model::Template;
use nianbao_read::read;
use nianbao_testkit::{render, Noise, Rendering, Rng, Truth};

fn mangle(bytes: &mut Vec<u8>, rng: &mut Rng) {
    match rng.range(0, 3) {
        0 => {
            for _ in 0..rng.range(1, 8) {
                let at = rng.range(0, bytes.len() as u64 - 1) as usize;
                bytes[at] = rng.next_u64() as u8;
            }
        }
        1 => bytes.truncate(rng.range(0, bytes.len() as u64) as usize),
        2 => {
            // A slice of the document moved elsewhere (rows out of order, broken markup).
            let len = bytes.len() as u64;
            let from = rng.range(0, len - 1) as usize;
            let to = rng.range(from as u64, len.min(from as u64 + 400)) as usize;
            let cut: Vec<u8> = bytes.drain(from..to).collect();
            let at = rng.range(0, bytes.len() as u64) as usize;
            bytes.splice(at..at, cut);
        }
        _ => bytes.extend_from_slice(&bytes.clone()),
    }
}

#[test]
fn mangled_documents_never_panic() {
    let mut rng = Rng::new(7);
    for seed in 0..240u64 {
        let template = if seed % 2 == 0 {
            Template::T2021
        } else {
            Template::T2019
        };
        let rendering = Rendering::ALL[(seed % Rendering::ALL.len() as u64) as usize];
        let mut bytes = render(&Truth::random(seed, template, Noise::ALL), rendering, seed);
        mangle(&mut bytes, &mut rng);
        let outcome = std::panic::catch_unwind(|| read(&bytes).map(|doc| extract(&doc).status));
        assert!(outcome.is_ok(), "{rendering:?} seed {seed} panicked");
    }
}
