//! Display names: what reports call a param, node, outcome or scenario. A
//! `label = "..."` in the model wins; without one, the identifier is shown.
//! Every table, chart and summary asks [`Model::display_name`], so that the
//! rule lives in one place.

use std::borrow::Cow;

use crate::ir::Model;

/// Which namespace a name belongs to. Params, nodes and outcomes share one
/// (a name is at most one of them); scenarios have their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    /// A param, node or outcome.
    Item,
    /// A scenario.
    Scenario,
}

impl Model {
    /// The name a report shows for `name`: its `label`, or `name` itself
    /// when it has none or names nothing of the model (scenarios and
    /// outcomes added by tools, such as claims' worlds).
    pub fn display_name<'a>(&'a self, what: Named, name: &'a str) -> &'a str {
        self.label(what, name).unwrap_or(name)
    }

    /// The name a report shows for a scenario that may be a matched
    /// baseline (`S~baseline`, which a claim can name but the model as its
    /// file defines it lacks): S's `baseline_label`, else its `label`,
    /// followed by "(matched baseline)", as the baseline's own label reads;
    /// any other scenario as [`Self::display_name`].
    pub fn display_scenario<'a>(&'a self, name: &'a str) -> Cow<'a, str> {
        if let Some(label) = self.label(Named::Scenario, name) {
            return Cow::Borrowed(label);
        }
        let of = name.strip_suffix(crate::baseline::BASELINE_SUFFIX);
        let scenario = of.and_then(|of| self.scenarios.iter().find(|s| s.name == of));
        let label = scenario.and_then(|s| s.baseline_label.as_ref().or(s.label.as_ref()));
        match label {
            Some(label) => Cow::Owned(format!("{label} (matched baseline)")),
            None => Cow::Borrowed(name),
        }
    }

    /// The `label` of `name`, when it has one.
    pub fn label(&self, what: Named, name: &str) -> Option<&str> {
        match what {
            Named::Scenario => self
                .scenarios
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.label.as_deref()),
            Named::Item => self
                .outcomes
                .iter()
                .find(|o| o.name == name)
                .map(|o| o.label.as_deref())
                .or_else(|| {
                    self.nodes
                        .iter()
                        .find(|n| n.name == name)
                        .map(|n| n.label.as_deref())
                })
                .or_else(|| {
                    self.params
                        .iter()
                        .find(|p| p.name == name)
                        .map(|p| p.label.as_deref())
                })
                .flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Named;

    const MODEL: &str = r#"
[model]
name = "m"
title = "t"

[params.support]
doc = "d"
label = "Support in the Central Committee"
dist = "beta"
a = 2
b = 5

[nodes.read]
doc = "d"
p = 0.5

[nodes.leads]
doc = "d"
label = "Trotsky leads"
p = "if(read, support, 0.1)"

[outcomes.leads_out]
doc = "d"
label = "Trotsky leads the USSR in 1928"
when = "leads"

[scenarios.history]
doc = "d"
label = "What happened"
do = { read = false }

[scenarios.leads]
doc = "a scenario may share a node's name"
do = { read = true }
"#;

    #[test]
    fn labels_win_and_identifiers_stand_in() {
        let model = crate::load("m.toml", MODEL).expect("loads").model;
        let item = |name| model.display_name(Named::Item, name);
        assert_eq!(item("support"), "Support in the Central Committee");
        assert_eq!(item("leads"), "Trotsky leads");
        assert_eq!(item("leads_out"), "Trotsky leads the USSR in 1928");
        assert_eq!(item("read"), "read");
        assert_eq!(item("nothing"), "nothing");
        let scenario = |name| model.display_name(Named::Scenario, name);
        assert_eq!(scenario("history"), "What happened");
        // The scenario `leads` has no label, though the node `leads` has one.
        assert_eq!(scenario("leads"), "leads");
        assert_eq!(model.label(Named::Item, "read"), None);
    }

    /// A matched baseline the model lacks reads as its scenario's label with
    /// "(matched baseline)"; without a label, its name stands as it is.
    #[test]
    fn a_matched_baseline_is_shown_by_its_scenarios_label() {
        let model = crate::load("m.toml", MODEL).expect("loads").model;
        let shown = |name| model.display_scenario(name).into_owned();
        assert_eq!(shown("history"), "What happened");
        assert_eq!(
            shown("history~baseline"),
            "What happened (matched baseline)"
        );
        assert_eq!(shown("leads~baseline"), "leads~baseline");
        assert_eq!(shown("nothing"), "nothing");
    }

    /// `baseline_label` names the matched baseline, in the report and in the
    /// baseline the run adds; an empty one is refused at its line.
    #[test]
    fn a_baseline_label_names_the_matched_baseline() {
        let text = MODEL.replace(
            "do = { read = true }",
            "baseline_label = \"Nobody reads\"\ndo = { read = true }",
        );
        let model = crate::load("m.toml", &text).expect("loads").model;
        let shown = model.display_scenario("leads~baseline").into_owned();
        assert_eq!(shown, "Nobody reads (matched baseline)");
        let leads = model.scenario_id("leads").expect("a scenario");
        let added = crate::baseline::baseline_of(&model, leads).expect("a divergence");
        assert_eq!(
            added.label.as_deref(),
            Some("Nobody reads (matched baseline)")
        );
        let empty = text.replace("\"Nobody reads\"", "\" \"");
        let errors = crate::load("m.toml", &empty).expect_err("refused");
        let shown = errors.to_string();
        assert!(shown.contains("`baseline_label` is empty"), "{shown}");
        assert!(shown.contains("m.toml:34:18:"), "{shown}");
    }

    #[test]
    fn a_label_is_one_non_empty_line_and_errors_point_at_it() {
        for (label, message) in [
            ("\"\"", "`label` is empty"),
            ("\"  \"", "`label` is empty"),
            ("\"\"\"two\nlines\"\"\"", "`label` must be a single line"),
            ("3", "`label`"),
        ] {
            let text = MODEL.replace("label = \"Trotsky leads\"", &format!("label = {label}"));
            let errors = crate::load("m.toml", &text).expect_err("refused");
            let shown = errors.to_string();
            assert!(shown.contains(message), "{label}: {shown}");
            // The `[nodes.leads]` label is on line 19 of MODEL (line 1 is empty).
            assert!(shown.contains("m.toml:19:"), "{label}: {shown}");
        }
    }

    /// `hindsight` is a param's reason, kept as written; an empty one or a
    /// value that is not a string is refused at its line.
    #[test]
    fn hindsight_is_a_params_reason_and_errors_point_at_it() {
        let marked = MODEL.replace(
            "label = \"Support in the Central Committee\"",
            "label = \"Support in the Central Committee\"\nhindsight = \"set after the vote\"",
        );
        let model = crate::load("m.toml", &marked).expect("loads").model;
        assert_eq!(
            model.params[0].hindsight.as_deref(),
            Some("set after the vote")
        );
        let plain = crate::load("m.toml", MODEL).expect("loads").model;
        assert_eq!(plain.params[0].hindsight, None);
        for (value, message) in [("\"  \"", "`hindsight` is empty"), ("true", "`hindsight`")] {
            let text = MODEL.replace(
                "label = \"Support in the Central Committee\"",
                &format!("label = \"Support in the Central Committee\"\nhindsight = {value}"),
            );
            let shown = crate::load("m.toml", &text)
                .expect_err("refused")
                .to_string();
            assert!(shown.contains(message), "{value}: {shown}");
            // The line after the param's label, line 8 of MODEL (line 1 is empty).
            assert!(shown.contains("m.toml:9:"), "{value}: {shown}");
        }
        // Nodes have no `hindsight`: the key is refused there.
        let node = MODEL.replace("label = \"Trotsky leads\"", "hindsight = \"x\"");
        assert!(crate::load("m.toml", &node).is_err());
    }

    /// `ex_ante` is a prior like the param's own, only beside `hindsight`;
    /// `use_ex_ante_priors` swaps it in. Errors point at the key's line.
    #[test]
    fn ex_ante_is_the_prior_without_hindsight() {
        let with = |keys: &str| {
            MODEL.replace(
                "label = \"Support in the Central Committee\"",
                &format!("label = \"Support in the Central Committee\"\n{keys}"),
            )
        };
        let text =
            with("hindsight = \"set after the vote\"\nex_ante = { dist = \"beta\", a = 1, b = 1 }");
        let mut model = crate::load("m.toml", &text).expect("loads").model;
        let own = model.params[0].dist;
        let prior = model.params[0].ex_ante.expect("an ex-ante prior");
        assert_ne!(own, prior);
        assert_eq!(model.use_ex_ante_priors(&[]), ["support"]);
        assert_eq!(model.params[0].dist, prior);
        assert_eq!(model.params[0].ex_ante, None);
        // Nothing left to swap the second time.
        assert!(model.use_ex_ante_priors(&[]).is_empty());

        for (keys, message) in [
            (
                "ex_ante = { dist = \"beta\", a = 1, b = 1 }",
                "`ex_ante` on `support`, which has no `hindsight`",
            ),
            (
                "hindsight = \"h\"\nex_ante_group = \"leaders\"",
                "`ex_ante_group` on `support`, which has no `ex_ante` prior",
            ),
            (
                "hindsight = \"h\"\nex_ante_group = \"The Leaders\"",
                "`ex_ante_group` \"The Leaders\" is not a name",
            ),
            (
                "hindsight = \"h\"\nex_ante = 0.5",
                "`ex_ante` must be a table",
            ),
            (
                "hindsight = \"h\"\nex_ante = { dist = \"beta\", a = -1, b = 1 }",
                "",
            ),
            (
                "hindsight = \"h\"\nex_ante = { dist = \"betta\", a = 1, b = 1 }",
                "did you mean `beta`?",
            ),
        ] {
            let shown = crate::load("m.toml", &with(keys))
                .expect_err("refused")
                .to_string();
            assert!(shown.contains(message), "{keys}: {shown}");
            // The key's line: 9, or 10 after a `hindsight` line.
            let line = if keys.starts_with("hindsight") { 10 } else { 9 };
            assert!(
                shown.contains(&format!("m.toml:{line}:")),
                "{keys}: {shown}"
            );
        }
    }

    /// `ex_ante_group` names a group of ex-ante priors: swapping one group
    /// leaves the others, and their `hindsight`, as they were.
    #[test]
    fn an_ex_ante_group_is_swapped_alone() {
        let text = MODEL.replace(
            "label = \"Support in the Central Committee\"",
            "label = \"Support in the Central Committee\"\nhindsight = \"h\"\nex_ante = { dist = \"beta\", a = 1, b = 1 }\nex_ante_group = \"leaders\"",
        );
        assert_ne!(text, MODEL);
        let loaded = crate::load("m.toml", &text).expect("loads").model;
        assert_eq!(loaded.ex_ante_groups(), ["leaders"]);
        let mut other = loaded.clone();
        assert!(other.use_ex_ante_priors(&["world".into()]).is_empty());
        assert_eq!(other.params[0].hindsight.as_deref(), Some("h"));
        assert!(other.params[0].ex_ante.is_some());
        let mut chosen = loaded;
        assert_eq!(chosen.use_ex_ante_priors(&["leaders".into()]), ["support"]);
        assert_eq!(chosen.params[0].hindsight, None);
    }
}
