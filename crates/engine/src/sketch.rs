//! placeholder: a mergeable quantile sketch (see tally.rs).
use serde::{Deserialize, Serialize};
/// Placeholder.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Sketch {}
