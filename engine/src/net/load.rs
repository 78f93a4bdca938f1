//! A network file with its data, ready to run: what every `net` command and network exercise
//! starts from.

use super::data::{Dataset, load, rows};
use super::model::Network;
use super::parse::parse_network;
use super::spec::NetworkSpec;
use crate::error::{Error, Result, both};
use crate::host::Host;
use ndarray::Array2;

#[derive(Clone, Debug)]
pub struct NetRequest {
    /// The network file's text.
    pub text: String,
    /// Its path as shown in messages.
    pub source_name: String,
    /// The folder that relative data paths are read from.
    pub base: String,
}

/// A parsed network with its data, ready to run.
pub struct Loaded {
    pub spec: NetworkSpec,
    pub network: Network,
    pub data: Option<Dataset>,
}

pub fn load_network(request: &NetRequest, host: &dyn Host) -> Result<Loaded> {
    let spec = parse_network(&request.text).map_err(|e| e.in_source(&request.source_name, &request.text))?;
    let network = Network::new(&spec);
    let data = match &spec.data {
        Some(d) => Some(load(d, spec.inputs, spec.outputs(), spec.loss, &request.base, host)?),
        None => None,
    };
    Ok(Loaded { spec, network, data })
}

pub fn need_data(loaded: &Loaded) -> Result<&Dataset> {
    loaded.data.as_ref().ok_or_else(|| {
        Error::new(both("the network has no `data` line", "网络缺少 `data` 行")).with_label(both(
            "add e.g. `data x = [0.05, 0.1] target = [0.01, 0.99]` or `data moons 200`",
            "例如加上 `data x = [0.05, 0.1] target = [0.01, 0.99]` 或 `data moons 200`",
        ))
    })
}

/// The first batch: what `grad` and `step` work on.
pub fn first_batch(loaded: &Loaded) -> Result<(Array2<f64>, Array2<f64>)> {
    let data = need_data(loaded)?;
    let size = loaded.spec.train.batch.unwrap_or(data.len()).min(data.len());
    let indices: Vec<usize> = (0..size).collect();
    Ok((rows(&data.x, &indices), rows(&data.t, &indices)))
}
