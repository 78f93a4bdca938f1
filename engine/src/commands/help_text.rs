//! The long help texts, written by hand for their layout: the expression and network languages,
//! graph's and grad's notes, and the exercise sheets of `check` and `exercise`.

pub const CHECK_HELP: &str = "\
EXERCISE SHEETS (docs/exercise-sheets.md has the whole language)
  exercise \"Sigmoid neuron\"
  f = sigmoid(w0*x0 + w1*x1 + w2)          # statements of the expression language
  at w0 = 2, x0 = -1, w1 = -3, x1 = -2, w2 = -3
  check f = 0.73                             # a value: the output or any named intermediate
  check df/dw0 = -0.20                       # a partial: df/dw0, ∂f/∂w0, dq/dx of an intermediate
  check ∂f/∂x0 = w0*f*(1 - f)                # an expression answer (may use the names)
  lr 0.1 / check new w0 = 2.02               # one step of gradient descent
  digits 3                                   # significant digits asked for (default 2)
  marks 2                                    # what each following check is worth (default 1)
  carried 50%                                # the share an error carried forward earns (default 0%)

  A network exercise names a file instead of a function:
    network \"two-layer.net\"
    check E = 0.2984    check a1[0] = 0.5933   check z2[1] = 1.225   check δ1[0] = 0.008771
    check dE/dW2[0][1] = 0.08267   check dE/dw6 = 0.08267   check new W2[0][0] = 0.3589
    check δ1[0] of sample 2 = -2   # a unit's z, a or δ of another sample of the first batch
  δ is one sample's own, ∂Eₙ/∂z, as in the textbooks; gradients are the batch's (the mean).

ANSWERS AS STUDENTS WRITE THEM
  -0.27, - 0.27, −0.27, 2.66e-1, 2.66*10^-1, 2.66×10^(-1), 2.66·10⁻¹ (decimals, to their digits);
  1/3, 38/15, e^-1 (exact constants); expressions in the exercise's names. `e` and `pi` that are
  not names of the exercise are Euler's number and π (a note says so). `np.exp(x)`, `sin x`,
  `|x|`, `x**2` and `wx` for w*x get a hint where they stop.

WHEN A NUMBER IS RIGHT
  It is the right value rounded to the digits written (within half a unit of its last digit,
  at the right place) and has at least 2 significant digits (or `digits N`): for -0.266,
  -0.27 is right, -0.3 is right to 1 digit only (its own verdict), 0 is wrong; a wrong number
  near the right one is told the digits it claims (1200 for 1236.45: written to the units).
  A number equal to the right value is right as written (3, 0, 0.5); a constant expression
  (1/2, 1/3, sqrt(2)/4) is compared exactly. Comparisons are relative and keep the sign
  (-5e-13 is not 2e-13). An expression is right when it equals the right answer at the point
  and at 30 random points (a one-hot target such as y1 = 1, y2 = 0 is held as given, so
  p1 - y1 is right for softmax with cross-entropy). Every check is right, wrong or not judged.

LIKELY MISTAKES
  A sign flip; σ′ or tanh′ forgotten, written with z (z·(1 − z), 1 − z²), misremembered
  (σ(z)(1 − z), 1 − tanh not squared) or taken at the wrong node; z used where a = f(z) was
  needed (one unit or a whole layer); a forgotten path where a variable fans out; a named
  intermediate treated as a constant (batch norm's variance); a dropped constant factor (2, ½,
  1/m, the 2/n of a mean loss) or chain factor; an error carried forward from your own earlier
  answer; a forgotten learning rate or a step up the gradient; a transposed weight index (also
  Wᵀ forgotten in a hidden δ); δ = p instead of p − y; relu′, abs′, max′ at a kink, with the
  convention this tool uses there (relu′(0) = 0). No diagnosis when no story fits.

MARKS
  Every check is worth 1 mark unless `marks N` says otherwise; an answer wrong only by an
  error carried forward earns the `carried` share. The text shows marks when a sheet gives
  any; JSON always has `marks` and `out_of` per check, exercise, sheet and in all.

EXIT STATUS
  0 every check right; 1 a check wrong; 2 a check not judged (bad input, or undecidable).";

pub const EXERCISE_HELP: &str = "\
VARIANTS (docs/exercise-sheets.md, \"A class set\")
  In the teacher's sheet, an `at` value may be a choice:
    at w = 0.5..2 step 0.5, x in [1, 2, 3], b = random -1..1 digits 2, y = 1
  In a network exercise, `at` sets parameters and data (whole, or one entry):
    network \"two-layer.net\"
    at W1 = random -1..1 digits 2, W2[0][1] = 0.3..0.6 step 0.05, x in [[0.05, 0.1], [0.1, 0.2]]

  backprop exercise variants sheet.txt --count 30 --seed 42 --out class
    class/variant-01.txt … the students' sheets (blank answers, the variant's id)
    class/variant-01-key.txt … the keys (every answer, and the working)
    class/links.txt      a link per variant for the live book's exercise page
  backprop exercise show sheet.txt --number 7 --seed 42 [--key]
  backprop exercise moodle sheet.txt --count 30 --seed 42 -o questions.xml
  backprop check --class class     marks the filled-in sheets: gradebook.csv and a summary

FAIR NUMBERS
  A draw is kept only when every value is defined, no unit sits at a kink (relu, abs at 0, a
  tie of max or min), no unit is saturated (σ with |z| > 4.6, tanh with |z| > 2.65), and every
  answer is writable (not 0, between 1e-6 and 1e6); variants differ, and each check's answers
  are mixed in sign where the choices allow. The same seed gives the same files.

EXIT STATUS
  0 success; 2 bad input (no fair numbers, a bad choice, a sheet that cannot be read).";

pub const LANGUAGE_HELP: &str = "\
THE EXPRESSION LANGUAGE
  numbers      3   0.25   1e-3              (exact: x^3/3 differentiates to x²)
  names        w  x1  x_0  θ  λ              letters, digits and _, starting with a letter
  operators    + -   * /   unary -   ^      loosest first; ^ is right-associative,
                                             so -x^2 is -(x²) and a^b^c is a^(b^c)
  functions    sigmoid (σ)  tanh  relu  softplus  exp  log (ln)  sqrt  abs  sin  cos
               sign  max(a, b)  min(a, b)
  brackets     [u > 0]  [a ≥ b]              1 where the comparison holds, else 0
  statements   name = expr, separated by ; or new lines; the last one is the output
  comments     # to the end of the line
  Output can be pasted back: · × for *, − for -, x² superscripts and σ are read too.

EXAMPLES
  backprop derive \"sigmoid(w*x + b)\"
  backprop derive \"z = w*x + b; a = sigmoid(z); L = (a - y)^2/2\" --wrt w,b
  backprop derive \"-(y*log(p) + (1-y)*log(1-p))\" --at y=1,p=0.8
  backprop derive \"(x + y)*z\" --at x=-2,y=5,z=-4 --format json
  backprop derive @loss.txt          # read the expression from a file
  echo \"x^3/3\" | backprop derive -   # or from standard input

EXIT STATUS
  0 success; 2 bad input (a message with line:column and a caret says where).";

pub const NET_HELP: &str = "\
THE NETWORK LANGUAGE (one statement per line, # comments)
  network \"two-layer\"
  input 2
  dense 2 sigmoid  W = [[0.15, 0.20], [0.25, 0.30]]  b = [0.35, 0.35]
  dense 2 sigmoid  W = [[0.40, 0.45], [0.50, 0.55]]  b = [0.60, 0.60]
  loss half_sse
  data x = [0.05, 0.10]  target = [0.01, 0.99]
  train sgd lr 0.5 epochs 1 batch 1

  layers     input N; dense N ACT [W = [[…]] b = […]] with ACT in linear sigmoid tanh relu softmax;
             after a dense layer: dropout P, batchnorm, residual (input and output of equal size).
             W has one row per unit and one column per input: z = W·x + b. Parameters are named
             W1, b1, W2, b2, … (gamma1, beta1 with batchnorm).
  init       init xavier|he|normal seed S (default: he with relu layers, else xavier; seed 42)
  data       data x = […] target = […] (repeatable; a class index for cross_entropy),
             data xor | moons N noise σ seed S | spirals N classes K noise σ seed S |
             linear N inputs D noise σ seed S | logistic N inputs D seed S | digits |
             file \"path.csv\" target last|first. digits: the 8×8 handwritten digits, 1,437
             training and 360 held-out samples, pixels scaled to [0, 1].
  train      train sgd|momentum|nesterov|rmsprop|adam lr R epochs E batch B
             [momentum 0.9] [clip C] [l2 λ] [seed S] [freeze b1, b2]

LOSSES (m samples in a batch, k outputs)
  mse            E = (1/(m·k)) Σ Σ (y − t)²
  half_sse       E = (1/m) Σ ½ Σ (y − t)²
  bce            E = −(1/(m·k)) Σ Σ [t·log y + (1 − t)·log(1 − y)]      (sigmoid output)
  cross_entropy  E = −(1/m) Σ Σ t·log p    (softmax output; t one-hot or a class index)
  hinge          E = (1/m) Σ max(0, 1 − t·y)   (one output; targets ±1, 0/1 read as −1/+1)
  l2 λ adds λ/2·ΣW² over the weight matrices (not the biases).
  Accuracy: argmax for softmax, 0.5 threshold for one sigmoid output, the sign for hinge.

EXAMPLES
  backprop net examples/networks/two-layer.net describe
  backprop net examples/networks/two-layer.net grad --table
  backprop net examples/networks/digits.net train --plot loss.svg

EXIT STATUS
  0 success; 2 bad input (a message with line:column and a caret says where).";

pub const GRAPH_HELP: &str = "\
Inputs are on the left, the output on the right. Gates fold their constants into the label
(`× 2`, `−` for negation, `·²` for a square, `1/·` for a reciprocal). Operations are named as in
`backprop grad` (u₁, u₂, …), so the picture and the table can be read side by side.

EXAMPLES
  backprop graph \"(x + y)*z\" --at x=-2,y=5,z=-4 -o circuit.svg
  backprop graph \"z = w*x + b; a = sigmoid(z); L = (a - y)^2/2\" --format dot | dot -Tpng > g.png

EXIT STATUS
  0 success; 2 bad input, or a file that cannot be written.";

pub const GRAD_HELP: &str = "\
Rows are in topological order: read them top-down for the forward pass (values) and bottom-up
for the backward pass (adjoints). Unnamed operations are called u₁, u₂, … . Where a node feeds
several others, its adjoint is shown as the sum of their contributions.

EXAMPLES
  backprop grad \"(x + y)*z\" --at x=-2,y=5,z=-4
  backprop grad \"sigmoid(w0*x0 + w1*x1 + w2)\" --at w0=2,x0=-1,w1=-3,x1=-2,w2=-3 --digits 2
  backprop grad \"x*y + x\" --at x=3,y=2 --mode forward

EXIT STATUS
  0 success; 2 bad input.";

#[cfg(test)]
mod tests {
    use super::{LANGUAGE_HELP, NET_HELP};
    use crate::graph::func::Func;

    /// The help is written by hand for its layout; this keeps it naming every function of the
    /// one table, so adding a function without documenting it fails here.
    #[test]
    fn the_language_help_names_every_function() {
        for f in Func::ALL {
            let info = f.info();
            assert!(LANGUAGE_HELP.contains(info.name), "{} missing from LANGUAGE_HELP", info.name);
            for alias in info.aliases {
                assert!(LANGUAGE_HELP.contains(alias), "alias {alias} missing from LANGUAGE_HELP");
            }
        }
    }

    /// The same for the network language: every activation, loss and optimizer of the tables.
    #[test]
    fn the_network_help_names_every_activation_loss_and_optimizer() {
        use crate::net::spec::{Activation, Loss, Optimizer};
        let names = Activation::NAMES.iter().chain(&Loss::NAMES).chain(&Optimizer::NAMES);
        for name in names {
            assert!(
                NET_HELP.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == *name),
                "{name} missing from NET_HELP"
            );
        }
    }
}
