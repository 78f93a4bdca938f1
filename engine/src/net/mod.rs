//! Networks in matrix form: the network language (`parse`), data sets (`data`), the forward
//! and backward passes (`model`), optimizers (`train`) and the training loop (`trainer`), gradient checks (`check`)
//! and the δ-equations of a given network (`describe`).

pub mod activation;
pub mod check;
pub mod data;
pub mod describe;
pub mod load;
pub mod loss;
pub mod matmul;
pub mod model;
pub mod parse;
pub mod spec;
pub mod train;
pub mod trainer;
