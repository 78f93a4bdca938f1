//! A network as its file describes it: layers, loss, data, initialisation and training.

pub use super::activation::Activation;
pub use super::loss::Loss;
use ndarray::{Array1, Array2};

crate::listed! {
    /// How an update moves the parameters (the rules are `train::step_values`).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Optimizer {
        Sgd,
        Momentum,
        Nesterov,
        RmsProp,
        Adam,
    }
}

impl Optimizer {
    pub const NAMES: [&'static str; Optimizer::ALL.len()] = ["sgd", "momentum", "nesterov", "rmsprop", "adam"];

    pub fn from_name(name: &str) -> Option<Optimizer> {
        Optimizer::ALL.into_iter().find(|o| o.name() == name)
    }

    pub fn name(self) -> &'static str {
        Optimizer::NAMES[self as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InitScheme {
    Xavier,
    He,
    /// N(0, std²): `init normal` (std 0.01) or `init normal std 2`.
    Normal(f64),
}

/// One `dense` layer with what follows it in the file.
#[derive(Clone, Debug)]
pub struct LayerSpec {
    pub units: usize,
    pub activation: Activation,
    /// Given `W` (units × inputs) and `b`, else initialised.
    pub weights: Option<Array2<f64>>,
    pub bias: Option<Array1<f64>>,
    /// Batch normalisation of the pre-activation, with parameters γ and β.
    pub batchnorm: bool,
    /// a = f(z) + (the layer's input): a skip connection.
    pub residual: bool,
    /// Dropout probability applied to this layer's output while training.
    pub dropout: Option<f64>,
    /// 1-based line of the `dense` statement.
    pub line: usize,
}

/// A target: a row of values, or a class index (for cross-entropy).
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Values(Vec<f64>),
    Class(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub enum DataSpec {
    Inline(Vec<(Vec<f64>, Target)>),
    Xor,
    /// `test N` draws N more samples (another seed) held out for testing.
    Moons {
        samples: usize,
        noise: f64,
        seed: u64,
        test: usize,
    },
    /// Two concentric rings (as scikit-learn's make_circles with factor 0.5).
    Circles {
        samples: usize,
        noise: f64,
        seed: u64,
        test: usize,
    },
    Spirals {
        samples: usize,
        classes: usize,
        noise: f64,
        seed: u64,
        test: usize,
    },
    Linear {
        samples: usize,
        inputs: usize,
        noise: f64,
        seed: u64,
    },
    /// Random inputs in [0, 1) and random 0/1 labels (article C's `np.random` data): nothing to
    /// learn, so held-out accuracy stays near 50%.
    Random {
        samples: usize,
        inputs: usize,
        seed: u64,
        test: usize,
    },
    Logistic {
        samples: usize,
        inputs: usize,
        seed: u64,
    },
    Digits,
    /// A CSV file; the target is the last column, the first, or a given column (0-based).
    File {
        path: String,
        target_column: TargetColumn,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetColumn {
    First,
    Last,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrainSpec {
    pub optimizer: Optimizer,
    pub learning_rate: f64,
    pub epochs: usize,
    /// Samples per step; `None` is the whole data set.
    pub batch: Option<usize>,
    pub momentum: f64,
    pub clip: Option<f64>,
    pub l2: f64,
    pub seed: u64,
    pub freeze: Vec<String>,
}

impl Default for TrainSpec {
    fn default() -> Self {
        TrainSpec {
            optimizer: Optimizer::Sgd,
            learning_rate: 0.1,
            epochs: 1,
            batch: None,
            momentum: 0.9,
            clip: None,
            l2: 0.0,
            seed: 0,
            freeze: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct NetworkSpec {
    pub name: String,
    pub inputs: usize,
    /// Dropout on the inputs (a `dropout` line before the first `dense`).
    pub input_dropout: Option<f64>,
    pub layers: Vec<LayerSpec>,
    pub loss: Loss,
    pub data: Option<DataSpec>,
    pub init: (InitScheme, u64),
    pub train: TrainSpec,
}

impl NetworkSpec {
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, |l| l.units)
    }

    /// Parameter names in order: W1, b1, (gamma1, beta1), W2, …
    pub fn parameter_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for (i, layer) in self.layers.iter().enumerate() {
            names.push(format!("W{}", i + 1));
            names.push(format!("b{}", i + 1));
            if layer.batchnorm {
                names.push(format!("gamma{}", i + 1));
                names.push(format!("beta{}", i + 1));
            }
        }
        names
    }
}
