//! What the benches that plan a scenario share: their arguments and the plan.

use binnenstad::io::load;
use binnenstad::plan::{self, Plan};
use binnenstad::scenario::Scenario;

/// The bench's arguments (without cargo's `--bench`) and the first `.toml`
/// among them; panics with `usage` when there is none.
pub fn args(usage: &str) -> (Vec<String>, String) {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let scenario = args
        .iter()
        .find(|a| a.ends_with(".toml"))
        .cloned()
        .unwrap_or_else(|| panic!("usage: {usage}"));
    (args, scenario)
}

/// The value after `flag` (`--runs 5`), parsed; `None` when absent or unreadable.
pub fn arg<T: std::str::FromStr>(args: &[String], flag: &str) -> Option<T> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1)?.parse().ok()
}

/// The scenario loaded and planned as `plan` does, without the coverage areas.
pub fn planned(scenario_path: &str) -> (Scenario, Plan) {
    let scenario = Scenario::load(std::path::Path::new(scenario_path)).expect("scenario");
    let loaded = load::load(&scenario).expect("load");
    let plan = plan::run_with(&scenario, loaded, false, &plan::Silent).expect("plan");
    (scenario, plan)
}
