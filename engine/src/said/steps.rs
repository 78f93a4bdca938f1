//! The words of `derive --steps` around its formulas: the headings, the rule named beside each
//! step and the note under each answer. A rule is named by the derivative table in English
//! (`graph::rules::rule_name`, a function's own rule such as `σ′ = σ(1 − σ)`); the Chinese
//! comes from the one term list in `zh.rs`, and the test below holds that list to every rule
//! the table can name.

use crate::lang::Lang;

/// One piece of a derivation's words.
#[derive(Clone, Debug, PartialEq)]
pub enum StepWords {
    /// The heading over the let-names.
    Let,
    /// The heading of the backward pass.
    BackwardFrom {
        output: String,
    },
    /// A rule as the derivative table names it (English; a formula stays as it is).
    Rule(String),
    ChainRule,
    ConstantMultiple,
    /// A node used on several paths.
    Paths {
        count: usize,
        via: String,
    },
    /// The note under an answer: the let-names substituted back (may be empty) and how the
    /// result was tidied (`None`: as the chain rule built it; otherwise `Tidied::describe`).
    Answer {
        substituted: String,
        tidied: Option<&'static str>,
    },
}

impl StepWords {
    pub fn to(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.english(),
            Lang::Zh => self.chinese(),
        }
    }

    fn english(&self) -> String {
        match self {
            StepWords::Let => "let".into(),
            StepWords::BackwardFrom { output } => format!("backward pass, from {output} down to the variables:"),
            StepWords::Rule(rule) => rule.clone(),
            StepWords::ChainRule => "chain rule".into(),
            StepWords::ConstantMultiple => "constant multiple".into(),
            StepWords::Paths { count, via } => format!("{count} paths (via {via}): sum over paths"),
            StepWords::Answer { substituted, tidied } => match (substituted.is_empty(), tidied) {
                (true, None) => "as the chain rule built it".into(),
                (true, Some(how)) => how.to_string(),
                (false, None) => format!("{substituted} substituted back"),
                (false, Some(how)) => format!("{substituted} substituted back; {how}"),
            },
        }
    }

    fn chinese(&self) -> String {
        match self {
            StepWords::Let => "设".into(),
            StepWords::BackwardFrom { output } => format!("反向传播，从 {output} 一直传到各个变量："),
            StepWords::Rule(rule) => super::zh::term(rule),
            StepWords::ChainRule => "链式法则".into(),
            StepWords::ConstantMultiple => "常数相乘法则".into(),
            StepWords::Paths { count, via } => {
                format!("{count} 条路径（经由 {}）：对各条路径求和", via.replace(", ", "、"))
            }
            StepWords::Answer { substituted, tidied } => match (substituted.is_empty(), tidied) {
                (true, None) => "即链式法则直接给出的形式（未化简）".into(),
                (true, Some(how)) => super::zh::term(how),
                (false, None) => format!("已代回 {}", substituted.replace(", ", "、")),
                (false, Some(how)) => format!("已代回 {}；{}", substituted.replace(", ", "、"), super::zh::term(how)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StepWords;
    use crate::graph::func::Func;
    use crate::graph::rules::rule_name;
    use crate::graph::{Graph, Op};
    use crate::lang::Lang;
    use crate::said::has_chinese;
    use crate::symbolic::tidy::Tidied;

    /// Every rule the derivative table can name is either a formula (kept as written) or has
    /// its Chinese; so is every way an answer can be tidied.
    #[test]
    fn every_rule_the_table_names_has_its_chinese() {
        let mut graph = Graph::new();
        let (a, b) = (graph.variable("a"), graph.variable("b"));
        let mut ops = vec![
            Op::Var(0),
            Op::Let(0, [a]),
            Op::Add([a, b].into()),
            Op::Mul([a, b].into()),
            Op::Pow([a, b]),
            Op::Step { arg: [a], strict: true },
        ];
        ops.extend(Func::ALL.iter().map(|f| Op::Call(*f, vec![a; f.arity()].into())));
        for op in &ops {
            for (input, divisor) in [(0, false), (1, false), (0, true)] {
                let rule = rule_name(op, input, divisor);
                let zh = StepWords::Rule(rule.to_string()).to(Lang::Zh);
                let formula = rule.contains('′') && !rule.contains(' ') || rule.contains(" = ") && !rule.contains(':');
                assert!(formula || has_chinese(&zh), "{rule:?} has no Chinese: {zh:?}");
            }
        }
        for how in [Tidied::Expanded, Tidied::CommonDenominator, Tidied::CommonFactor] {
            let zh = StepWords::Answer { substituted: String::new(), tidied: Some(how.describe()) }.to(Lang::Zh);
            assert!(has_chinese(&zh), "{how:?}: {zh:?}");
        }
    }

    #[test]
    fn the_words_differ_by_language() {
        let all = [
            StepWords::Let,
            StepWords::BackwardFrom { output: "f".into() },
            StepWords::ChainRule,
            StepWords::ConstantMultiple,
            StepWords::Paths { count: 2, via: "u₁, u₂".into() },
            StepWords::Answer { substituted: "u₁".into(), tidied: None },
            StepWords::Answer { substituted: String::new(), tidied: None },
            StepWords::Answer { substituted: "u₁".into(), tidied: Some(Tidied::Expanded.describe()) },
        ];
        for words in all {
            let (en, zh) = (words.to(Lang::En), words.to(Lang::Zh));
            assert!(!has_chinese(&en) && has_chinese(&zh), "{words:?}: {en:?} / {zh:?}");
        }
    }
}
