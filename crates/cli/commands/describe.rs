//! How a node's kind and a distribution read in the terminal
//! (`categorical [a, b] by weights`, `beta(a = 3, b = 7)`), for every
//! command that lists them: `check`, `check --explain` and `sweep`.

use uchronia_model::{Dist, Model, NodeKind, Probs};

/// A node's kind, with its states for a categorical node.
pub fn node_kind(model: &Model, kind: &NodeKind) -> String {
    match kind {
        NodeKind::Boolean { .. } => "boolean".into(),
        NodeKind::Categorical { states, table } => {
            let names: Vec<&str> = states
                .iter()
                .map(|s| model.state_names[s.0 as usize].as_str())
                .collect();
            let form = match table.as_slice() {
                [row] if matches!(row.probs, Probs::Weights(_)) => "weights".to_string(),
                [_] => "p".to_string(),
                rows => format!("table of {} rows", rows.len()),
            };
            format!("categorical [{}] by {form}", names.join(", "))
        }
        NodeKind::Numeric { dist, round, .. } => {
            let kind = match dist {
                uchronia_model::DistExpr::Args { kind, .. }
                | uchronia_model::DistExpr::Ci90 { kind, .. } => kind.name(),
            };
            if *round {
                format!("numeric {kind}, rounded")
            } else {
                format!("numeric {kind}")
            }
        }
        NodeKind::Derived { value } => match model.expr_type(value) {
            uchronia_model::Type::Boolean => "derived boolean".into(),
            _ => "derived number".into(),
        },
    }
}

/// A distribution as `beta(a = 3, b = 7)`.
pub fn dist(d: &Dist) -> String {
    let kind = d.kind();
    let args: Vec<String> = kind
        .keys()
        .iter()
        .zip(d.args())
        .map(|(key, value)| format!("{key} = {value}"))
        .collect();
    format!("{}({})", kind.name(), args.join(", "))
}
