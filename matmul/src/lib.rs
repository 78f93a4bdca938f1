//! The matrix product of backprop's networks, C ← C + A·B, with every element's sum added in
//! one order that this code fixes: c[i][j] + a[i][0]·b[0][j] + a[i][1]·b[1][j] + … from left
//! to right, each product rounded, then each sum (no fused multiply-add). So the bits of the
//! result depend on the inputs only — not on the CPU, the vector width, the blocking or the
//! target: the terminal on x86-64 (with or without AVX) and on aarch64, and the browser's
//! WebAssembly, print the same numbers.
//!
//! Speed comes from what does not change a rounding: the output is cut into tiles of MR rows
//! by NR columns whose MR·NR sums run side by side in registers (independent chains, so the
//! adds pipeline), over packed copies of A and B (contiguous loads). The tile loop is written
//! once, generically; on x86-64 it is also compiled with AVX enabled and chosen at run time
//! when the CPU has AVX, where the compiler turns the same element-wise code into 4-wide
//! instructions. Vectorising across outputs, never within one sum, is what keeps the bits.
//!
//! This crate holds the engine's only `unsafe`: calling the AVX-compiled loop, after checking
//! that the CPU has AVX.

#![deny(unsafe_code)]

/// A matrix to read: element (i, j) is `data[i·row_stride + j·col_stride]`, so a transposed
/// view is the same data with the strides swapped.
#[derive(Clone, Copy, Debug)]
pub struct Matrix<'a> {
    pub data: &'a [f64],
    pub rows: usize,
    pub cols: usize,
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<'a> Matrix<'a> {
    /// A row-major matrix.
    pub fn row_major(data: &'a [f64], rows: usize, cols: usize) -> Matrix<'a> {
        Matrix { data, rows, cols, row_stride: cols, col_stride: 1 }
    }

    /// The same data read as its transpose (no copy).
    pub fn transposed(self) -> Matrix<'a> {
        Matrix { rows: self.cols, cols: self.rows, row_stride: self.col_stride, col_stride: self.row_stride, ..self }
    }

    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.row_stride + j * self.col_stride]
    }

    fn fits(&self) -> bool {
        self.rows == 0
            || self.cols == 0
            || (self.rows - 1) * self.row_stride + (self.cols - 1) * self.col_stride < self.data.len()
    }
}

/// The path `multiply_add` takes on this CPU: `avx` (x86-64 with AVX) or `portable`. Both
/// give the same bits; this only says which ran.
pub fn kernel() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        return "avx";
    }
    "portable"
}

/// C ← C + A·B, with C row-major (`a.rows` × `b.cols`). Each c[i][j] becomes
/// `((c[i][j] + a[i][0]·b[0][j]) + a[i][1]·b[1][j]) + …`, in that order, on every target.
pub fn multiply_add(a: Matrix, b: Matrix, c: &mut [f64]) {
    assert_eq!(a.cols, b.rows, "A·B needs A's columns to be B's rows");
    assert_eq!(c.len(), a.rows * b.cols, "C is A's rows × B's columns");
    assert!(a.fits() && b.fits(), "a matrix reaches past its data");
    if a.rows == 0 || b.cols == 0 || a.cols == 0 {
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX, the only feature `tiled_avx` is compiled with.
        #[allow(unsafe_code)]
        unsafe {
            return tiled_avx(a, b, c);
        }
    }
    tiled::<4, 4>(a, b, c)
}

/// The tile loop compiled with AVX: 4 rows × 8 columns of sums, eight 4-wide registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn tiled_avx(a: Matrix, b: Matrix, c: &mut [f64]) {
    tiled::<4, 8>(a, b, c)
}

/// The reference: the same sums one at a time. Tests hold every tiled variant to its bits.
pub fn multiply_add_reference(a: Matrix, b: Matrix, c: &mut [f64]) {
    assert_eq!(a.cols, b.rows);
    assert_eq!(c.len(), a.rows * b.cols);
    let n = b.cols;
    for i in 0..a.rows {
        for j in 0..n {
            let mut sum = c[i * n + j];
            for p in 0..a.cols {
                sum += a.at(i, p) * b.at(p, j);
            }
            c[i * n + j] = sum;
        }
    }
}

/// C ← C + A·B in tiles of MR × NR sums. A is packed strip by strip (MR rows, k-major) and B
/// panel by panel (NR columns, k-major), padded with zeros; padded sums are computed and
/// dropped, which touches no real sum.
#[inline(always)]
fn tiled<const MR: usize, const NR: usize>(a: Matrix, b: Matrix, c: &mut [f64]) {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    let packed_b = pack_panels::<NR>(b);
    let mut strip = vec![0.0; k * MR];
    for s in 0..m.div_ceil(MR) {
        let i0 = s * MR;
        let rows = MR.min(m - i0);
        pack_strip::<MR>(a, i0, rows, &mut strip);
        for (q, panel) in packed_b.chunks_exact(k * NR).enumerate() {
            let j0 = q * NR;
            let cols = NR.min(n - j0);
            let mut acc = [[0.0; NR]; MR];
            if rows == MR && cols == NR {
                // A whole tile: fixed-size copies the compiler keeps in registers.
                for (r, sums) in acc.iter_mut().enumerate() {
                    *sums = c[(i0 + r) * n + j0..][..NR].try_into().expect("NR values");
                }
                tile(&strip, panel, &mut acc);
                for (r, sums) in acc.iter().enumerate() {
                    c[(i0 + r) * n + j0..][..NR].copy_from_slice(sums);
                }
                continue;
            }
            for (r, sums) in acc.iter_mut().enumerate().take(rows) {
                for (s, v) in sums.iter_mut().zip(&c[(i0 + r) * n + j0..][..cols]) {
                    *s = *v;
                }
            }
            tile(&strip, panel, &mut acc);
            for (r, sums) in acc.iter().enumerate().take(rows) {
                for (v, s) in c[(i0 + r) * n + j0..][..cols].iter_mut().zip(sums) {
                    *v = *s;
                }
            }
        }
    }
}

/// B as panels of NR columns, each k-major (row p of a panel is b[p][j0..j0 + NR]), padded
/// with zeros. Read along B's contiguous direction, whichever it is.
#[inline(always)]
fn pack_panels<const NR: usize>(b: Matrix) -> Vec<f64> {
    let (k, n) = (b.rows, b.cols);
    let mut packed = vec![0.0; n.div_ceil(NR) * k * NR];
    for (q, panel) in packed.chunks_exact_mut(k * NR).enumerate() {
        let j0 = q * NR;
        let cols = NR.min(n - j0);
        if b.col_stride == 1 {
            for (p, row) in panel.chunks_exact_mut(NR).enumerate() {
                let start = p * b.row_stride + j0;
                row[..cols].copy_from_slice(&b.data[start..start + cols]);
            }
        } else {
            // Column-major B: each panel row gathers NR columns (writes contiguous, reads NR streams).
            for (p, row) in panel.chunks_exact_mut(NR).enumerate() {
                for (c, slot) in row[..cols].iter_mut().enumerate() {
                    *slot = b.data[p * b.row_stride + (j0 + c) * b.col_stride];
                }
            }
        }
    }
    packed
}

/// Rows i0.. of A (`rows` of them, at most MR) as a k-major strip, padded with zeros.
#[inline(always)]
fn pack_strip<const MR: usize>(a: Matrix, i0: usize, rows: usize, strip: &mut [f64]) {
    if rows < MR {
        strip.fill(0.0);
    }
    if a.row_stride == 1 {
        for (p, column) in strip.chunks_exact_mut(MR).enumerate() {
            let start = p * a.col_stride + i0;
            column[..rows].copy_from_slice(&a.data[start..start + rows]);
        }
    } else {
        // Row-major A: each strip column gathers `rows` rows (writes contiguous, reads MR streams).
        for (p, column) in strip.chunks_exact_mut(MR).enumerate() {
            for (r, slot) in column[..rows].iter_mut().enumerate() {
                *slot = a.data[(i0 + r) * a.row_stride + p * a.col_stride];
            }
        }
    }
}

/// The MR × NR sums of one tile, over all k: each `acc[r][j] += a·b`, in the order of k.
#[inline(always)]
fn tile<const MR: usize, const NR: usize>(strip: &[f64], panel: &[f64], acc: &mut [[f64; NR]; MR]) {
    let mut sums = *acc;
    for (a, b) in strip.chunks_exact(MR).zip(panel.chunks_exact(NR)) {
        let a: &[f64; MR] = a.try_into().expect("MR values");
        let b: &[f64; NR] = b.try_into().expect("NR values");
        for r in 0..MR {
            for j in 0..NR {
                sums[r][j] += a[r] * b[j];
            }
        }
    }
    *acc = sums;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator: values of mixed sign and magnitude, so that the
    /// order of additions shows in the last bits.
    fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
                (unit - 0.5) * [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3][(state % 7) as usize]
            })
            .collect()
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// Says which path this CPU takes (the CI log shows it for each emulated CPU).
    #[test]
    fn names_its_kernel() {
        let kernel = kernel();
        println!("kernel: {kernel} ({})", std::env::consts::ARCH);
        assert!(["avx", "portable"].contains(&kernel));
    }

    /// Every shape around the tile sizes, plain and transposed operands: the tiled product
    /// (with whatever this CPU chooses) has the reference's bits.
    #[test]
    fn the_tiled_product_has_the_reference_bits() {
        for (m, k, n) in [(1, 1, 1), (3, 5, 7), (4, 8, 8), (5, 9, 17), (32, 64, 128), (13, 1, 3), (31, 33, 10)] {
            let (a, b, c0) = (values(m * k, 1), values(k * n, 2), values(m * n, 3));
            let at = values(m * k, 4);
            let cases = [
                (Matrix::row_major(&a, m, k), Matrix::row_major(&b, k, n)),
                (Matrix::row_major(&at, k, m).transposed(), Matrix::row_major(&b, n, k).transposed()),
            ];
            for (a, b) in cases {
                let (mut fast, mut slow) = (c0.clone(), c0.clone());
                multiply_add(a, b, &mut fast);
                multiply_add_reference(a, b, &mut slow);
                assert_eq!(bits(&fast), bits(&slow), "{m}×{k}·{k}×{n}");
                let mut portable = c0.clone();
                tiled::<4, 4>(a, b, &mut portable);
                assert_eq!(bits(&portable), bits(&slow), "portable {m}×{k}·{k}×{n}");
                let mut wide = c0.clone();
                tiled::<3, 8>(a, b, &mut wide);
                assert_eq!(bits(&wide), bits(&slow), "3×8 tiles {m}×{k}·{k}×{n}");
            }
        }
    }
}
