//! The Sobol' low-discrepancy sequence (Sobol' 1967) in up to [`MAX_DIMS`] dimensions,
//! with the direction numbers of Joe and Kuo (2008), optionally scrambled by a random
//! linear matrix scramble and digital shift (Matoušek 1998), seeded deterministically.
//!
//! Points are generated in Gray-code order (Antonov and Saleeva 1979), so the first `2^m`
//! points of every dimension fall one in each of the `2^m` equal intervals of `[0, 1)`,
//! scrambled or not: that balance is why Saltelli designs take a power of two of base
//! samples. Used by [`super::saltelli`]; knows nothing of the model.
//!
//! References:
//! - I. M. Sobol' (1967), "On the distribution of points in a cube and the approximate
//!   evaluation of integrals", USSR Comput. Math. Math. Phys. 7(4), 86-112.
//! - S. Joe and F. Y. Kuo (2008), "Constructing Sobol sequences with better
//!   two-dimensional projections", SIAM J. Sci. Comput. 30(5), 2635-2654; direction
//!   numbers `new-joe-kuo-6.21201`, <https://web.maths.unsw.edu.au/~fkuo/sobol/>.
//! - J. Matoušek (1998), "On the L2-discrepancy for anchored boxes", J. Complexity 14,
//!   527-556 (linear matrix scrambling).
//! - A. B. Owen (2003), "Variance with alternative scramblings of digital nets", ACM
//!   TOMACS 13(4), 363-378.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Bits of each coordinate: points are multiples of `2^-32`, up to `2^32` points.
const BITS: usize = 32;

/// Dimensions the embedded direction numbers cover (the first, van der Corput's, and 127
/// from Joe and Kuo's table).
pub const MAX_DIMS: usize = 128;

/// Joe and Kuo's direction numbers `new-joe-kuo-6.21201` for dimensions 2 to 128, one
/// `(a, [m_1, ..., m_s])` per dimension: `a` codes the primitive polynomial's inner
/// coefficients and `m_k` (odd, below `2^k`) are the initial direction numbers; the degree
/// `s` is the number of `m`. Published data (S. Joe and F. Y. Kuo, 2008; BSD-style licence
/// on the authors' site), transcribed for the dimensions used here.
#[rustfmt::skip]
const JOE_KUO: [(u32, &[u32]); MAX_DIMS - 1] = [
    (0, &[1]), (1, &[1, 3]), (1, &[1, 3, 1]), (2, &[1, 1, 1]), (1, &[1, 1, 3, 3]),
    (4, &[1, 3, 5, 13]), (2, &[1, 1, 5, 5, 17]), (4, &[1, 1, 5, 5, 5]),
    (7, &[1, 1, 7, 11, 19]), (11, &[1, 1, 5, 1, 1]), (13, &[1, 1, 1, 3, 11]),
    (14, &[1, 3, 5, 5, 31]), (1, &[1, 3, 3, 9, 7, 49]), (13, &[1, 1, 1, 15, 21, 21]),
    (16, &[1, 3, 1, 13, 27, 49]), (19, &[1, 1, 1, 15, 7, 5]), (22, &[1, 3, 1, 15, 13, 25]),
    (25, &[1, 1, 5, 5, 19, 61]), (1, &[1, 3, 7, 11, 23, 15, 103]),
    (4, &[1, 3, 7, 13, 13, 15, 69]), (7, &[1, 1, 3, 13, 7, 35, 63]),
    (8, &[1, 3, 5, 9, 1, 25, 53]), (14, &[1, 3, 1, 13, 9, 35, 107]),
    (19, &[1, 3, 1, 5, 27, 61, 31]), (21, &[1, 1, 5, 11, 19, 41, 61]),
    (28, &[1, 3, 5, 3, 3, 13, 69]), (31, &[1, 1, 7, 13, 1, 19, 1]),
    (32, &[1, 3, 7, 5, 13, 19, 59]), (37, &[1, 1, 3, 9, 25, 29, 41]),
    (41, &[1, 3, 5, 13, 23, 1, 55]), (42, &[1, 3, 7, 3, 13, 59, 17]),
    (50, &[1, 3, 1, 3, 5, 53, 69]), (55, &[1, 1, 5, 5, 23, 33, 13]),
    (56, &[1, 1, 7, 7, 1, 61, 123]), (59, &[1, 1, 7, 9, 13, 61, 49]),
    (62, &[1, 3, 3, 5, 3, 55, 33]), (14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (21, &[1, 3, 5, 15, 31, 59, 63, 97]), (22, &[1, 3, 1, 11, 11, 11, 77, 249]),
    (38, &[1, 3, 1, 11, 27, 43, 71, 9]), (47, &[1, 1, 7, 15, 21, 11, 81, 45]),
    (49, &[1, 3, 7, 3, 25, 31, 65, 79]), (50, &[1, 3, 1, 1, 19, 11, 3, 205]),
    (52, &[1, 1, 5, 9, 19, 21, 29, 157]), (56, &[1, 3, 7, 11, 1, 33, 89, 185]),
    (67, &[1, 3, 3, 3, 15, 9, 79, 71]), (70, &[1, 3, 7, 11, 15, 39, 119, 27]),
    (84, &[1, 1, 3, 1, 11, 31, 97, 225]), (97, &[1, 1, 1, 3, 23, 43, 57, 177]),
    (103, &[1, 3, 7, 7, 17, 17, 37, 71]), (115, &[1, 3, 1, 5, 27, 63, 123, 213]),
    (122, &[1, 1, 3, 5, 11, 43, 53, 133]), (8, &[1, 3, 5, 5, 29, 17, 47, 173, 479]),
    (13, &[1, 3, 3, 11, 3, 1, 109, 9, 69]), (16, &[1, 1, 1, 5, 17, 39, 23, 5, 343]),
    (22, &[1, 3, 1, 5, 25, 15, 31, 103, 499]), (25, &[1, 1, 1, 11, 11, 17, 63, 105, 183]),
    (44, &[1, 1, 5, 11, 9, 29, 97, 231, 363]), (47, &[1, 1, 5, 15, 19, 45, 41, 7, 383]),
    (52, &[1, 3, 7, 7, 31, 19, 83, 137, 221]), (55, &[1, 1, 1, 3, 23, 15, 111, 223, 83]),
    (59, &[1, 1, 5, 13, 31, 15, 55, 25, 161]), (62, &[1, 1, 3, 13, 25, 47, 39, 87, 257]),
    (67, &[1, 1, 1, 11, 21, 53, 125, 249, 293]), (74, &[1, 1, 7, 11, 11, 7, 57, 79, 323]),
    (81, &[1, 1, 5, 5, 17, 13, 81, 3, 131]), (82, &[1, 1, 7, 13, 23, 7, 65, 251, 475]),
    (87, &[1, 3, 5, 1, 9, 43, 3, 149, 11]), (91, &[1, 1, 3, 13, 31, 13, 13, 255, 487]),
    (94, &[1, 3, 3, 1, 5, 63, 89, 91, 127]), (103, &[1, 1, 3, 3, 1, 19, 123, 127, 237]),
    (104, &[1, 1, 5, 7, 23, 31, 37, 243, 289]),
    (109, &[1, 1, 5, 11, 17, 53, 117, 183, 491]), (122, &[1, 1, 1, 5, 1, 13, 13, 209, 345]),
    (124, &[1, 1, 3, 15, 1, 57, 115, 7, 33]), (137, &[1, 3, 1, 11, 7, 43, 81, 207, 175]),
    (138, &[1, 3, 1, 1, 15, 27, 63, 255, 49]), (143, &[1, 3, 5, 3, 27, 61, 105, 171, 305]),
    (145, &[1, 1, 5, 3, 1, 3, 57, 249, 149]), (152, &[1, 1, 3, 5, 5, 57, 15, 13, 159]),
    (157, &[1, 1, 1, 11, 7, 11, 105, 141, 225]),
    (167, &[1, 3, 3, 5, 27, 59, 121, 101, 271]), (173, &[1, 3, 5, 9, 11, 49, 51, 59, 115]),
    (176, &[1, 1, 7, 1, 23, 45, 125, 71, 419]), (181, &[1, 1, 3, 5, 23, 5, 105, 109, 75]),
    (182, &[1, 1, 7, 15, 7, 11, 67, 121, 453]), (185, &[1, 3, 7, 3, 9, 13, 31, 27, 449]),
    (191, &[1, 3, 1, 15, 19, 39, 39, 89, 15]), (194, &[1, 1, 1, 1, 1, 33, 73, 145, 379]),
    (199, &[1, 3, 1, 15, 15, 43, 29, 13, 483]), (218, &[1, 1, 7, 3, 19, 27, 85, 131, 431]),
    (220, &[1, 3, 3, 3, 5, 35, 23, 195, 349]), (227, &[1, 3, 3, 7, 9, 27, 39, 59, 297]),
    (229, &[1, 1, 3, 9, 11, 17, 13, 241, 157]), (230, &[1, 3, 7, 15, 25, 57, 33, 189, 213]),
    (234, &[1, 1, 7, 1, 9, 55, 73, 83, 217]), (236, &[1, 3, 3, 13, 19, 27, 23, 113, 249]),
    (241, &[1, 3, 5, 3, 23, 43, 3, 253, 479]), (244, &[1, 1, 5, 5, 11, 5, 45, 117, 217]),
    (253, &[1, 3, 3, 7, 29, 37, 33, 123, 147]),
    (4, &[1, 3, 1, 15, 5, 5, 37, 227, 223, 459]),
    (13, &[1, 1, 7, 5, 5, 39, 63, 255, 135, 487]),
    (19, &[1, 3, 1, 7, 9, 7, 87, 249, 217, 599]),
    (22, &[1, 1, 3, 13, 9, 47, 7, 225, 363, 247]),
    (50, &[1, 3, 7, 13, 19, 13, 9, 67, 9, 737]),
    (55, &[1, 3, 5, 5, 19, 59, 7, 41, 319, 677]),
    (64, &[1, 1, 5, 3, 31, 63, 15, 43, 207, 789]),
    (69, &[1, 1, 7, 9, 13, 39, 3, 47, 497, 169]),
    (98, &[1, 3, 1, 7, 21, 17, 97, 19, 415, 905]),
    (107, &[1, 3, 7, 1, 3, 31, 71, 111, 165, 127]),
    (115, &[1, 1, 5, 11, 1, 61, 83, 119, 203, 847]),
    (121, &[1, 3, 3, 13, 9, 61, 19, 97, 47, 35]),
    (127, &[1, 1, 7, 7, 15, 29, 63, 95, 417, 469]),
    (134, &[1, 3, 1, 9, 25, 9, 71, 57, 213, 385]),
    (140, &[1, 3, 5, 13, 31, 47, 101, 57, 39, 341]),
    (145, &[1, 1, 3, 3, 31, 57, 125, 173, 365, 551]),
    (152, &[1, 3, 7, 1, 13, 57, 67, 157, 451, 707]),
    (158, &[1, 1, 1, 7, 21, 13, 105, 89, 429, 965]),
    (161, &[1, 1, 5, 9, 17, 51, 45, 119, 157, 141]),
    (171, &[1, 3, 7, 7, 13, 45, 91, 9, 129, 741]),
    (181, &[1, 3, 7, 1, 23, 57, 67, 141, 151, 571]),
    (194, &[1, 1, 3, 11, 17, 47, 93, 107, 375, 157]),
    (199, &[1, 3, 3, 5, 11, 21, 43, 51, 169, 915]),
    (203, &[1, 1, 5, 3, 15, 55, 101, 67, 455, 625]),
    (208, &[1, 3, 5, 9, 1, 23, 29, 47, 345, 595]),
    (227, &[1, 3, 7, 7, 5, 49, 29, 155, 323, 589]),
    (242, &[1, 3, 3, 7, 5, 41, 127, 61, 261, 717]),
];

/// The direction integers of one dimension: `v[k]` is the `k+1`-th direction number as a
/// 32-bit binary fraction (the top bit is `2^-1`).
fn directions(dim: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if dim == 0 {
        for (k, x) in v.iter_mut().enumerate() {
            *x = 1 << (BITS - 1 - k);
        }
        return v;
    }
    let (a, m) = JOE_KUO[dim - 1];
    let s = m.len();
    for k in 0..s.min(BITS) {
        v[k] = m[k] << (BITS - 1 - k);
    }
    for k in s..BITS {
        let mut x = v[k - s] ^ (v[k - s] >> s);
        for l in 1..s {
            if (a >> (s - 1 - l)) & 1 == 1 {
                x ^= v[k - l];
            }
        }
        v[k] = x;
    }
    v
}

/// A Sobol' sequence generator over `dims` dimensions.
#[derive(Clone, Debug)]
pub struct Sobol {
    /// `v[d][k]`: direction integers of dimension `d`, scrambled if asked.
    v: Vec<[u32; BITS]>,
    /// The digital shift of each dimension (0 unscrambled).
    shift: Vec<u32>,
}

impl Sobol {
    /// The plain sequence in `dims` dimensions (`1 <= dims <=` [`MAX_DIMS`]); its first point
    /// is the origin.
    pub fn new(dims: usize) -> Result<Sobol, String> {
        if dims == 0 || dims > MAX_DIMS {
            return Err(format!(
                "a Sobol' sequence here has 1 to {MAX_DIMS} dimensions, not {dims}"
            ));
        }
        Ok(Sobol {
            v: (0..dims).map(directions).collect(),
            shift: vec![0; dims],
        })
    }

    /// The sequence in `dims` dimensions, scrambled by a random lower-triangular binary
    /// matrix and a random digital shift per dimension, both drawn with ChaCha8 from
    /// `seed`. The scramble keeps the sequence's balance (every `2^m` leading points are
    /// one per interval of width `2^-m` in each dimension) and makes the estimates
    /// randomised quasi-Monte Carlo, so that no point sits at the origin.
    pub fn scrambled(dims: usize, seed: u64) -> Result<Sobol, String> {
        let mut s = Sobol::new(dims)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for d in 0..dims {
            // Row j of the lower-triangular matrix: a 1 on the diagonal (digit j), random
            // bits for the more significant digits l < j.
            let rows: Vec<u32> = (0..BITS)
                .map(|j| {
                    let diagonal = 1u32 << (BITS - 1 - j);
                    let above = !((diagonal as u64 * 2 - 1) as u32);
                    (rng.next_u32() & above) | diagonal
                })
                .collect();
            for k in 0..BITS {
                let old = s.v[d][k];
                let mut new = 0u32;
                for (j, row) in rows.iter().enumerate() {
                    if (row & old).count_ones() % 2 == 1 {
                        new |= 1 << (BITS - 1 - j);
                    }
                }
                s.v[d][k] = new;
            }
            s.shift[d] = rng.next_u32();
        }
        Ok(s)
    }

    /// Number of dimensions.
    pub fn dims(&self) -> usize {
        self.v.len()
    }

    /// The first `n` points (`n <= 2^32`), each a vector of coordinates in `[0, 1)`.
    pub fn points(&self, n: usize) -> Vec<Vec<f64>> {
        let mut x: Vec<u32> = self.shift.clone();
        let scale = 1.0 / (1u64 << BITS) as f64;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            if i > 0 {
                // Gray code: point i differs from point i - 1 by the direction numbers of
                // the lowest zero bit of i - 1.
                let c = (i - 1).trailing_ones() as usize;
                for (xd, v) in x.iter_mut().zip(&self.v) {
                    *xd ^= v[c];
                }
            }
            out.push(x.iter().map(|&xi| f64::from(xi) * scale).collect());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_direction_numbers_are_well_formed() {
        for (d, (a, m)) in JOE_KUO.iter().enumerate() {
            let s = m.len();
            assert!(s >= 1 && *a < 1 << (s - 1), "dimension {}", d + 2);
            for (k, mk) in m.iter().enumerate() {
                assert!(
                    mk % 2 == 1 && *mk < 1 << (k + 1),
                    "dimension {}, m_{}",
                    d + 2,
                    k + 1
                );
            }
        }
        // Degrees never decrease along the table (polynomials are listed by degree).
        assert!(JOE_KUO.windows(2).all(|w| w[0].1.len() <= w[1].1.len()));
    }

    #[test]
    fn the_first_points_are_the_published_ones() {
        // The first eight points of the two-dimensional Sobol' sequence.
        let expected = [
            [0.0, 0.0],
            [0.5, 0.5],
            [0.75, 0.25],
            [0.25, 0.75],
            [0.375, 0.375],
            [0.875, 0.875],
            [0.625, 0.125],
            [0.125, 0.625],
        ];
        let points = Sobol::new(2).unwrap().points(8);
        for (p, e) in points.iter().zip(expected) {
            assert_eq!(p.as_slice(), e.as_slice());
        }
        // Dimension 3 (x^2 + x + 1, m = 1, 3): 0, 1/2, 1/4, 3/4, 5/8, 1/8, 7/8, 3/8.
        let third: Vec<f64> = Sobol::new(3)
            .unwrap()
            .points(8)
            .iter()
            .map(|p| p[2])
            .collect();
        assert_eq!(
            third,
            vec![0.0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375]
        );
    }

    fn balanced(points: &[Vec<f64>], dim: usize) -> bool {
        let n = points.len();
        let mut seen = vec![false; n];
        for p in points {
            let cell = (p[dim] * n as f64) as usize;
            if cell >= n || seen[cell] {
                return false;
            }
            seen[cell] = true;
        }
        true
    }

    #[test]
    fn every_power_of_two_prefix_is_balanced_in_every_dimension_scrambled_or_not() {
        for seq in [
            Sobol::new(MAX_DIMS).unwrap(),
            Sobol::scrambled(MAX_DIMS, 7).unwrap(),
        ] {
            let points = seq.points(1024);
            for m in [1, 4, 7, 10] {
                let prefix = &points[..1 << m];
                for d in 0..MAX_DIMS {
                    assert!(balanced(prefix, d), "2^{m} points, dimension {}", d + 1);
                }
            }
        }
    }

    #[test]
    fn the_first_two_dimensions_form_a_zero_net_scrambled_or_not() {
        // Every elementary box of area 1/256 holds exactly one of the first 256 points.
        for seq in [Sobol::new(2).unwrap(), Sobol::scrambled(2, 11).unwrap()] {
            let points = seq.points(256);
            for split in 0..=8 {
                let (nx, ny) = (1usize << split, 1usize << (8 - split));
                let mut count = vec![0u32; nx * ny];
                for p in &points {
                    count[(p[0] * nx as f64) as usize * ny + (p[1] * ny as f64) as usize] += 1;
                }
                assert!(count.iter().all(|&c| c == 1), "boxes {nx} x {ny}");
            }
        }
    }

    #[test]
    fn scrambling_is_seeded_and_moves_the_origin() {
        let a = Sobol::scrambled(5, 3).unwrap().points(64);
        assert_eq!(a, Sobol::scrambled(5, 3).unwrap().points(64), "same seed");
        assert_ne!(
            a,
            Sobol::scrambled(5, 4).unwrap().points(64),
            "another seed"
        );
        assert!(
            a[0].iter().all(|&x| x > 0.0),
            "the first point is not the origin"
        );
        assert!(Sobol::new(0).is_err() && Sobol::new(MAX_DIMS + 1).is_err());
    }
}
