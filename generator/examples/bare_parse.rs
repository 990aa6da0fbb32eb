//! The baseline of the generator benchmark: read the spec and parse it into openapiv3 types, nothing
//! else. `benches/run.sh generator` compares the whole generator against this.

use std::process::ExitCode;

/// The generator's allocator with the generator's settings (`generator::allocator`), so that the
/// benchmark compares the work done, not two allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    generator::allocator::configure();
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "spec/dixa-api.yaml".to_owned());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    match serde_yaml::from_str::<openapiv3::OpenAPI>(&text) {
        Ok(spec) => {
            println!("{} paths", spec.paths.paths.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::from(2)
        }
    }
}
