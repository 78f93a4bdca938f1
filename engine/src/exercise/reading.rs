//! Reading what a student wrote as an answer, for function and network exercises alike: a
//! decimal (to its digits, also written by hand with a power of ten), a constant expression
//! claimed exactly (`38/15`, `e^-1`), or an expression in the exercise's names.
//!
//! Students write the way their textbook does: `e` and `π` that are not names of the exercise
//! are the constants (with a note saying so), and a name made of the exercise's one-letter
//! names (`wx`) is asked about (`w*x`?) rather than reported as unknown without a word.

use super::answer::{Answer, decimal};
use crate::error::{Error, Result, both};
use crate::graph::build::parse_into;
use crate::graph::number::Number;
use crate::graph::{Func, Graph, NodeId, Op};
use crate::numeric;
use std::collections::HashMap;

/// A read answer: a number (decimal or exact constant), or an expression in a copy of the
/// exercise's graph (which keeps every node id valid).
pub enum Read {
    Number(Answer),
    Expression(Box<Graph>, NodeId),
}

/// An answer read, with what is worth telling the student about how it was read.
pub struct ReadAnswer {
    pub read: Read,
    pub notes: Vec<crate::said::Said>,
}

/// The constants a student may write by their usual names, when the exercise does not use
/// those names itself.
const CONSTANTS: [&str; 3] = ["e", "pi", "π"];

/// Reads an answer against an exercise's graph and names. Errors point into `text`; a network
/// exercise passes an empty graph (its answers are numbers).
pub fn read_answer(text: &str, graph: &Graph, names: &HashMap<String, NodeId>) -> Result<ReadAnswer> {
    let whole = 0..text.len();
    if let Some(d) = decimal(text) {
        return match d {
            Answer::Decimal { value, .. } if !value.is_finite() => {
                Err(Error::at(both("this number is too large to be an answer", "这个数太大，不能作为答案"), whole))
            }
            d => Ok(ReadAnswer { read: Read::Number(d), notes: Vec::new() }),
        };
    }
    let known = |name: &str| graph.find_variable(name).is_some() || names.contains_key(name);
    let mut scratch = graph.clone();
    let mut node = parse_into(&mut scratch, names, text)?;
    let unknown: Vec<String> = scratch.variable_names().iter().filter(|n| !known(n)).cloned().collect();
    let mut notes = Vec::new();
    if !unknown.is_empty() && unknown.iter().all(|n| CONSTANTS.contains(&n.as_str())) {
        // Read again with the constants bound to their values.
        scratch = graph.clone();
        let mut bound = names.clone();
        for name in &unknown {
            let value = constant(&mut scratch, name);
            bound.insert(name.clone(), value);
            notes.push(crate::said::Said::ReadAsConstant { name: name.clone(), euler: name == "e" });
        }
        node = parse_into(&mut scratch, &bound, text)?;
    } else if let Some(name) = unknown.first() {
        let at = find_word(text, name).unwrap_or(0);
        let span = at..at + name.len();
        if graph.is_empty() && names.is_empty() {
            return Err(Error::at(both("a network answer is a number", "网络题的答案必须是一个数"), span).with_label(
                both(
                    "write a decimal (0.0821) or an exact constant (38/15); names are not read here",
                    "请写小数（0.0821）或精确的常数（38/15）；这里不读名称",
                ),
            ));
        }
        let label = match spelled_product(name, &known) {
            Some(product) => both(
                format!("`{name}` is one name: did you mean {product}?"),
                format!("`{name}` 会被当作一个名称：是不是想写 {product}？"),
            ),
            None => both(
                "an answer may use the exercise's variables and named intermediates",
                "答案里可以用这道练习的变量和有名字的中间量",
            ),
        };
        let message =
            both(format!("`{name}` is not a name of this exercise"), format!("`{name}` 不是这道练习中的名称"));
        return Err(Error::at(message, span).with_label(label));
    }
    let constant_only =
        scratch.topological_order(&[node]).iter().all(|&n| !matches!(scratch.op(n), Op::Var(_) | Op::Let(..)));
    if constant_only {
        let value = numeric::evaluate(&scratch, &[node], &[]).map_err(|e| {
            let (en, zh) = (&e.reason.en, e.reason.chinese());
            Error::at(
                both(format!("this answer has no value: it {en}"), format!("这个答案没有值：它{zh}")),
                whole.clone(),
            )
        })?[node];
        if !value.is_finite() {
            return Err(Error::at(both("this number is too large to be an answer", "这个数太大，不能作为答案"), whole));
        }
        return Ok(ReadAnswer { read: Read::Number(Answer::Exact(value)), notes });
    }
    Ok(ReadAnswer { read: Read::Expression(Box::new(scratch), node), notes })
}

/// The node of a constant written by name: e as exp(1), π as its value.
fn constant(graph: &mut Graph, name: &str) -> NodeId {
    if name == "e" {
        let one = graph.int(1);
        graph.intern(Op::Call(Func::Exp, Box::new([one])))
    } else {
        graph.constant(Number::Float(std::f64::consts::PI))
    }
}

/// `wx` as `w*x` when every letter is a one-letter name the exercise knows.
pub fn spelled_product(name: &str, known: &dyn Fn(&str) -> bool) -> Option<String> {
    let letters: Vec<String> = name.chars().map(String::from).collect();
    let all_known = letters.len() >= 2
        && letters.len() <= 4
        && name.chars().all(|c| c.is_ascii_alphabetic())
        && letters.iter().all(|l| known(l));
    all_known.then(|| letters.join("*"))
}

/// Where `word` stands as a whole name in `text` (not inside a longer name).
pub fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::build::Function;

    fn read(program: &str, answer: &str) -> Result<ReadAnswer> {
        let f = Function::parse(program).unwrap();
        let mut names: HashMap<String, NodeId> = f.variables.iter().cloned().collect();
        names.extend(f.intermediates.iter().cloned());
        read_answer(answer, &f.graph, &names)
    }

    #[test]
    fn euler_and_pi_are_constants_where_they_are_not_names() {
        let r = read("z = w*x; a = sigmoid(z)", "e^(-z)/(1 + e^(-z))^2").unwrap();
        assert!(matches!(r.read, Read::Expression(..)));
        assert!(r.notes[0].english().contains("Euler"), "{:?}", r.notes);
        let r = read("f = w*x", "e^-1").unwrap();
        assert!(matches!(r.read, Read::Number(Answer::Exact(v)) if (v - 0.36787944117144233).abs() < 1e-15));
        let r = read("f = e*x", "e").unwrap();
        assert!(matches!(r.read, Read::Expression(..)) && r.notes.is_empty());
    }

    #[test]
    fn fused_names_are_asked_about() {
        let e = read("f = sigmoid(w*x + b)", "sigmoid(wx+b)").err().unwrap();
        assert_eq!(e.span, Some(8..10));
        assert!(e.label.unwrap().contains("did you mean w*x?"));
        let e = read("f = sigmoid(w*x + b)", "q").err().unwrap();
        assert!(e.label.unwrap().contains("variables and named intermediates"));
    }

    #[test]
    fn network_answers_are_numbers() {
        let none = HashMap::new();
        assert!(matches!(read_answer("38/15", &Graph::new(), &none).unwrap().read, Read::Number(Answer::Exact(_))));
        let e = read_answer("W2 - 1", &Graph::new(), &none).err().unwrap();
        assert_eq!(e.message, "a network answer is a number");
        assert!(read_answer("1e999", &Graph::new(), &none).is_err());
    }
}
