//! The functions of the language, in one table: names, arity, how they print, their value and
//! their exact values at exact points. Their derivatives are in `rules.rs`, beside every
//! operator's. Adding a function is one variant here: `Func::ALL` is written by the compiler
//! from the variants (`listed!`), and every `match` below and in `rules.rs` is exhaustive (no
//! `_` arm), so the compiler lists what to write.

use super::number::Number;
use crate::math;

crate::listed! {
    /// A function of the expression language.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Func {
        Sigmoid,
        Tanh,
        Relu,
        Softplus,
        Exp,
        Log,
        Sqrt,
        Abs,
        Sin,
        Cos,
        /// The derivative of `abs`; its own derivative is 0 wherever it exists.
        Sign,
        Max,
        Min,
    }
}

/// How LaTeX writes a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LatexForm {
    /// `\tanh(u)`, `\sigma(u)`, `\operatorname{relu}(u)`: a command applied to parentheses.
    Command(&'static str),
    /// `\sqrt{u}`
    Root,
    /// `\left|u\right|`
    Bars,
    /// `e^{u}`
    Power,
}

/// One row of the table.
pub struct FuncInfo {
    /// The name users type first, as help and suggestions list it.
    pub name: &'static str,
    /// Other names the parser reads (the printer's `σ` among them).
    pub aliases: &'static [&'static str],
    /// What the text printer writes (the parser reads it back).
    pub printed: &'static str,
    pub arity: usize,
    pub latex: LatexForm,
    /// The rule `--steps` names for each argument's local derivative.
    pub rule: &'static str,
}

impl Func {
    pub fn info(self) -> &'static FuncInfo {
        use LatexForm::*;
        macro_rules! row {
            ($name:literal, [$($alias:literal),*], $printed:literal, $arity:literal, $latex:expr, $rule:literal) => {
                &FuncInfo { name: $name, aliases: &[$($alias),*], printed: $printed, arity: $arity, latex: $latex, rule: $rule }
            };
        }
        match self {
            Func::Sigmoid => row!("sigmoid", ["σ"], "σ", 1, Command("\\sigma"), "σ′ = σ(1 − σ)"),
            Func::Tanh => row!("tanh", [], "tanh", 1, Command("\\tanh"), "tanh′ = 1 − tanh²"),
            Func::Relu => row!("relu", [], "relu", 1, Command("\\operatorname{relu}"), "relu′(u) = [u > 0]"),
            Func::Softplus => row!("softplus", [], "softplus", 1, Command("\\operatorname{softplus}"), "softplus′ = σ"),
            Func::Exp => row!("exp", [], "exp", 1, Power, "exp′ = exp"),
            Func::Log => row!("log", ["ln"], "log", 1, Command("\\log"), "log′(u) = 1/u"),
            Func::Sqrt => row!("sqrt", [], "sqrt", 1, Root, "sqrt′(u) = 1/(2·sqrt(u))"),
            Func::Abs => row!("abs", [], "abs", 1, Bars, "abs′ = sign"),
            Func::Sin => row!("sin", [], "sin", 1, Command("\\sin"), "sin′ = cos"),
            Func::Cos => row!("cos", [], "cos", 1, Command("\\cos"), "cos′ = −sin"),
            Func::Sign => row!("sign", [], "sign", 1, Command("\\operatorname{sign}"), "sign′ = 0"),
            Func::Max => row!("max", [], "max", 2, Command("\\max"), "max passes the gradient to the larger input"),
            Func::Min => row!("min", [], "min", 2, Command("\\min"), "min passes the gradient to the smaller input"),
        }
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn arity(self) -> usize {
        self.info().arity
    }

    /// The function a name (or alias) stands for.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.info().name == name || f.info().aliases.contains(&name))
    }

    /// The list shown when a function name is unknown: `sigmoid (σ), tanh, …, max(a, b), min(a, b)`.
    pub fn list() -> String {
        let items: Vec<String> = Func::ALL
            .iter()
            .map(|f| {
                let info = f.info();
                match (info.arity, info.aliases.first()) {
                    (2, _) => format!("{}(a, b)", info.name),
                    (_, Some(alias)) => format!("{} ({alias})", info.name),
                    _ => info.name.to_string(),
                }
            })
            .collect();
        items.join(", ")
    }

    /// The value at a point (NaN outside the domain: callers check `domain_error` first).
    #[inline]
    pub fn value(self, args: &[f64]) -> f64 {
        let u = args[0];
        match self {
            // Two forms, each stable on its side of 0.
            Func::Sigmoid if u >= 0.0 => 1.0 / (1.0 + math::exp(-u)),
            Func::Sigmoid => {
                let e = math::exp(u);
                e / (1.0 + e)
            }
            Func::Tanh => math::tanh(u),
            Func::Relu => u.max(0.0),
            Func::Softplus if u > 30.0 => u + math::exp(-u),
            Func::Softplus => math::ln_1p(math::exp(u)),
            Func::Exp => math::exp(u),
            Func::Log => math::ln(u),
            Func::Sqrt => u.sqrt(),
            Func::Abs => u.abs(),
            Func::Sin => math::sin(u),
            Func::Cos => math::cos(u),
            Func::Sign if u > 0.0 => 1.0,
            Func::Sign if u < 0.0 => -1.0,
            Func::Sign => 0.0,
            Func::Max => u.max(args[1]),
            Func::Min => u.min(args[1]),
        }
    }

    /// Whether the arguments sit exactly on the function's kink or jump, where it has no
    /// derivative and the rules give a convention (relu′(0) = 0, abs′(0) = sign(0) = 0, the
    /// larger of max's tied inputs gets none).
    pub fn at_kink(self, args: &[f64]) -> bool {
        match self {
            Func::Relu | Func::Abs | Func::Sign => args[0] == 0.0,
            Func::Max | Func::Min => args[0] == args[1],
            Func::Sigmoid
            | Func::Tanh
            | Func::Softplus
            | Func::Exp
            | Func::Log
            | Func::Sqrt
            | Func::Sin
            | Func::Cos => false,
        }
    }

    /// Why the function has no value here, if it has none.
    pub fn domain_error(self, args: &[f64]) -> Option<crate::error::Phrase> {
        use crate::error::both;
        let u = args[0];
        match self {
            Func::Log if u <= 0.0 => Some(both(
                format!("takes the log of {}, which is not positive", plain(u)),
                format!("要对非正数 {} 取对数", plain(u)),
            )),
            Func::Sqrt if u < 0.0 => Some(both(
                format!("takes the square root of {}, which is negative", plain(u)),
                format!("对负数 {} 开平方", plain(u)),
            )),
            Func::Log
            | Func::Sqrt
            | Func::Sigmoid
            | Func::Tanh
            | Func::Relu
            | Func::Softplus
            | Func::Exp
            | Func::Abs
            | Func::Sin
            | Func::Cos
            | Func::Sign
            | Func::Max
            | Func::Min => None,
        }
    }

    /// The exact value at exact arguments, where there is one (`σ(0) = 1/2`, `log(1) = 0`).
    pub fn fold(self, args: &[Number]) -> Option<Number> {
        let c = args[0];
        let x = c.as_ratio()?;
        let zero = c.is_zero();
        Some(match self {
            Func::Relu if c.is_negative() => Number::ZERO,
            Func::Relu => c,
            Func::Abs if c.is_negative() => c.negated(),
            Func::Abs => c,
            Func::Sign if zero => Number::ZERO,
            Func::Sign => Number::int(if c.is_negative() { -1 } else { 1 }),
            Func::Exp | Func::Cos if zero => Number::ONE,
            Func::Sin | Func::Tanh if zero => Number::ZERO,
            Func::Sigmoid if zero => Number::ratio(1, 2),
            Func::Log if c.is_one() => Number::ZERO,
            Func::Sqrt => Number::ratio(integer_sqrt(*x.numer())?, integer_sqrt(*x.denom())?),
            Func::Max | Func::Min => {
                let other = args[1].as_ratio()?;
                let larger = x >= other;
                if larger == (self == Func::Max) { c } else { args[1] }
            }
            // No exact value away from the points above (exp(1) is irrational, σ(1) too…).
            Func::Exp | Func::Cos | Func::Sin | Func::Tanh | Func::Sigmoid | Func::Log | Func::Softplus => return None,
        })
    }
}

/// A number in a message: ten significant digits, ASCII.
fn plain(x: f64) -> String {
    crate::format::format_number(x)
}

fn integer_sqrt(n: i64) -> Option<i64> {
    if n < 0 {
        return None;
    }
    let r = (n as f64).sqrt().round() as i64;
    (r.checked_mul(r) == Some(n)).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_finds_its_function() {
        for f in Func::ALL {
            assert_eq!(Func::from_name(f.name()), Some(f));
            for alias in f.info().aliases {
                assert_eq!(Func::from_name(alias), Some(f));
            }
            assert_eq!(Func::from_name(f.info().printed), Some(f), "the printed name reads back");
        }
        assert_eq!(Func::from_name("sigmod"), None);
    }

    #[test]
    fn the_list_names_every_function_once() {
        assert_eq!(
            Func::list(),
            "sigmoid (σ), tanh, relu, softplus, exp, log (ln), sqrt, abs, sin, cos, sign, max(a, b), min(a, b)"
        );
    }
}
