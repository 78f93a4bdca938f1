//! Matrix products over ndarray's arrays through `backprop_matmul`, whose sums are added in one
//! order on every target (so the terminal and the browser give the same bits). ndarray's own
//! `dot` would pick its kernel by CPU; engine/clippy.toml forbids it.

use backprop_matmul::{Matrix, multiply_add};
use ndarray::{Array2, ArrayView2};

/// The view as `backprop_matmul` reads it (a copy only when it is not contiguous).
fn with_matrix<R>(view: ArrayView2<f64>, f: impl FnOnce(Matrix) -> R) -> R {
    let (rows, cols) = view.dim();
    let strides = view.strides();
    match (view.as_slice_memory_order(), strides[0] >= 0 && strides[1] >= 0) {
        (Some(data), true) => {
            f(Matrix { data, rows, cols, row_stride: strides[0] as usize, col_stride: strides[1] as usize })
        }
        _ => {
            let owned = view.as_standard_layout().into_owned();
            f(Matrix::row_major(owned.as_slice().expect("standard layout"), rows, cols))
        }
    }
}

/// C ← C + A·B (C in standard layout).
pub fn product_add(a: ArrayView2<f64>, b: ArrayView2<f64>, c: &mut Array2<f64>) {
    let out = c.as_slice_mut().expect("the product is written into a standard-layout array");
    with_matrix(a, |a| with_matrix(b, |b| multiply_add(a, b, out)));
}

/// A·B.
pub fn product(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
    let mut c = Array2::zeros((a.nrows(), b.ncols()));
    product_add(a, b, &mut c);
    c
}
