//! The help texts of the commands over exercise sheets: `check` and `exercise`.

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
