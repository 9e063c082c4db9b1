//! Addressed randomness: every random number of a run is a pure function of
//! (seed, tick, purpose, state).
//!
//! The generator is ChaCha8 keyed by the run's seed. Each (tick, purpose) pair owns one
//! ChaCha stream, and state `i` owns the 64-bit word at position `2 i` of that stream. So a
//! draw never depends on which other draws were made, in which order, or on how many
//! threads ran: two scenarios run with the same seed see the same uniforms for the same
//! state at the same tick (common random numbers), and their differences come from the
//! scenarios alone.
//!
//! A whole tick's draws for one purpose are one contiguous keystream, generated sixteen
//! blocks side by side ([`Draws::fill_words`]); a lone draw computes just the one ChaCha block
//! that holds its word ([`Draws::one`], [`chacha8_block`]), the same words the stream
//! would give at that position.
//! The every-tick purpose ([`Purpose::Tick`]) gives each state one 64-bit word, split into
//! two 32-bit uniforms: the upper half decides whether the state reviews, the lower half
//! its choice. Their resolution, 2^-32, is far below anything the model can resolve, and
//! halving the keystream halves the cost of the draws every run makes for every state.
//! Systems call these; nothing else in the crate draws random numbers for a run.

/// Why a random number is drawn; each purpose has its own stream per tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Purpose {
    /// Whether a state reviews its position this tick (upper 32 bits) and the uniform of
    /// its ordered-logit choice (lower 32 bits).
    Tick = 0,
    /// Whether the opposing power retaliates against a new member.
    Retaliate = 1,
}

/// The addressed generator of one run.
#[derive(Clone, Debug)]
pub struct Draws {
    key: [u8; 32],
}

impl Draws {
    /// The generator for `seed`. The 256-bit ChaCha key is the seed expanded by SplitMix64
    /// (Steele, Lea & Flood 2014), written little-endian, so it is the same on every platform.
    pub fn new(seed: u64) -> Draws {
        let mut key = [0u8; 32];
        let mut state = seed;
        for chunk in key.chunks_exact_mut(8) {
            chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
        }
        Draws { key }
    }

    /// Fills `upper[i]` and `lower[i]` with state `i`'s pair of 32-bit uniforms in [0, 1)
    /// for this tick and purpose: the upper and lower halves of its word. The two slices
    /// have one slot per state.
    pub fn fill_halves(&self, tick: u32, purpose: Purpose, upper: &mut [f64], lower: &mut [f64]) {
        assert_eq!(upper.len(), lower.len(), "one slot per state in each half");
        let mut words = vec![0u64; upper.len()];
        self.fill_words(tick, purpose, &mut words);
        for ((hi, lo), &word) in upper.iter_mut().zip(lower).zip(&words) {
            (*hi, *lo) = split_unit(word);
        }
    }

    /// Fills `words[i]` with state `i`'s 64-bit word for this tick and purpose (one slot
    /// per state): the word [`Draws::pair`] splits and [`Draws::one`] scales.
    pub fn fill_words(&self, tick: u32, purpose: Purpose, words: &mut [u64]) {
        keystream_words(&input_words(&self.key, 0, stream_id(tick, purpose)), words);
    }

    /// State `state`'s pair for this tick and purpose: `(upper[state], lower[state])` of
    /// [`Draws::fill_halves`].
    pub fn pair(&self, tick: u32, purpose: Purpose, state: u32) -> (f64, f64) {
        split_unit(self.word(tick, purpose, state))
    }

    /// The 53-bit uniform in [0, 1) of `state` for this tick and purpose (the whole word).
    pub fn one(&self, tick: u32, purpose: Purpose, state: u32) -> f64 {
        unit_f64(self.word(tick, purpose, state))
    }

    /// State `state`'s 64-bit word for this tick and purpose, `words[state]` of
    /// [`Draws::fill_words`]: 32-bit words `2 state` (low half) and `2 state + 1` (high
    /// half) of the stream, which lie in one 16-word block, so only that block is computed.
    fn word(&self, tick: u32, purpose: Purpose, state: u32) -> u64 {
        let pos = 2 * u64::from(state);
        let block = chacha8_block(&self.key, pos / 16, stream_id(tick, purpose));
        let at = (pos % 16) as usize;
        u64::from(block[at]) | (u64::from(block[at + 1]) << 32)
    }
}

/// The ChaCha stream of a (tick, purpose) pair.
fn stream_id(tick: u32, purpose: Purpose) -> u64 {
    (u64::from(tick) << 8) | purpose as u64
}

/// Block `block` of the ChaCha8 keystream with this key and stream id: the 16 words
/// `ChaCha8Rng::from_seed(key)` gives from word position `16 block` after
/// `set_stream(stream)` (Bernstein's layout with a 64-bit block counter in words 12-13
/// and the 64-bit stream id in words 14-15, both little-endian; tests compare it with
/// `rand_chacha`). One block costs a quarter of the four that a freshly positioned
/// `ChaCha8Rng` computes before its first word.
pub fn chacha8_block(key: &[u8; 32], block: u64, stream: u64) -> [u32; 16] {
    let input = input_words(key, block, stream);
    let mut x = input;
    // Eight rounds: four double rounds of a column round and a diagonal round.
    for _ in 0..4 {
        quarter_round(&mut x, 0, 4, 8, 12);
        quarter_round(&mut x, 1, 5, 9, 13);
        quarter_round(&mut x, 2, 6, 10, 14);
        quarter_round(&mut x, 3, 7, 11, 15);
        quarter_round(&mut x, 0, 5, 10, 15);
        quarter_round(&mut x, 1, 6, 11, 12);
        quarter_round(&mut x, 2, 7, 8, 13);
        quarter_round(&mut x, 3, 4, 9, 14);
    }
    for (out, word) in x.iter_mut().zip(input) {
        *out = out.wrapping_add(word);
    }
    x
}

/// The 16 input words of ChaCha block `block` with this key and stream id (Bernstein's
/// layout: the constant, the key, a 64-bit block counter in words 12-13 and the 64-bit
/// stream id in words 14-15, all little-endian).
fn input_words(key: &[u8; 32], block: u64, stream: u64) -> [u32; 16] {
    let mut input = [0u32; 16];
    input[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    for (word, le) in input[4..12].iter_mut().zip(key.chunks_exact(4)) {
        *word = u32::from_le_bytes(le.try_into().expect("four bytes"));
    }
    input[12] = block as u32;
    input[13] = (block >> 32) as u32;
    input[14] = stream as u32;
    input[15] = (stream >> 32) as u32;
    input
}

/// Fills `words` with the keystream from block `input[12..14]` on, as 64-bit words (32-bit
/// words `2 k` and `2 k + 1` of the stream, low half first: what `ChaCha8Rng::next_u64`
/// gives at that position).
///
/// Where the processor has 512-bit vectors, sixteen blocks are computed side by side, each
/// block in one lane of every vector ([`keystream_avx512`]); elsewhere `rand_chacha`
/// generates them. The tests compare the two.
fn keystream_words(input: &[u32; 16], words: &mut [u64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the processor has the instructions `keystream_avx512` is compiled for.
        unsafe { keystream_avx512(input, words) };
        return;
    }
    keystream_portable(input, words);
}

/// [`keystream_words`] by `rand_chacha`: the key and stream id taken back out of `input`.
fn keystream_portable(input: &[u32; 16], words: &mut [u64]) {
    use rand::{Rng, SeedableRng};
    let mut key = [0u8; 32];
    for (le, word) in key.chunks_exact_mut(4).zip(&input[4..12]) {
        le.copy_from_slice(&word.to_le_bytes());
    }
    let mut rng = rand_chacha::ChaCha8Rng::from_seed(key);
    rng.set_stream(u64::from(input[14]) | (u64::from(input[15]) << 32));
    rng.set_word_pos(16 * (u128::from(input[12]) | (u128::from(input[13]) << 32)));
    // Whole keystream blocks at a time: the little-endian bytes of word `i` are exactly
    // what `next_u64` would return for it.
    let mut bytes = [0u8; 2048];
    for chunk in words.chunks_mut(bytes.len() / 8) {
        let buf = &mut bytes[..chunk.len() * 8];
        rng.fill_bytes(buf);
        for (word, le) in chunk.iter_mut().zip(buf.chunks_exact(8)) {
            *word = u64::from_le_bytes(le.try_into().expect("eight bytes"));
        }
    }
}

/// [`keystream_words`] with 512-bit vectors: sixteen blocks at a time, vector `w` holding
/// word `w` of each block (so a quarter round is twelve vector operations for all sixteen),
/// then turned around so that each block's words are contiguous again.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn keystream_avx512(input: &[u32; 16], words: &mut [u64]) {
    use std::arch::x86_64::*;

    /// `[a, b, c, d] += ...` of one quarter round on every lane.
    macro_rules! quarter {
        ($x:ident, $a:expr, $b:expr, $c:expr, $d:expr) => {
            $x[$a] = _mm512_add_epi32($x[$a], $x[$b]);
            $x[$d] = _mm512_rol_epi32::<16>(_mm512_xor_si512($x[$d], $x[$a]));
            $x[$c] = _mm512_add_epi32($x[$c], $x[$d]);
            $x[$b] = _mm512_rol_epi32::<12>(_mm512_xor_si512($x[$b], $x[$c]));
            $x[$a] = _mm512_add_epi32($x[$a], $x[$b]);
            $x[$d] = _mm512_rol_epi32::<8>(_mm512_xor_si512($x[$d], $x[$a]));
            $x[$c] = _mm512_add_epi32($x[$c], $x[$d]);
            $x[$b] = _mm512_rol_epi32::<7>(_mm512_xor_si512($x[$b], $x[$c]));
        };
    }
    // Vectors of 64-bit lane indices for two-source permutations (8 and up: the second).
    let index = |lanes: [i64; 8]| {
        // SAFETY: `lanes` is 64 readable bytes; the load has no alignment requirement.
        unsafe { _mm512_loadu_si512(lanes.as_ptr().cast()) }
    };
    let (pairs_lo, pairs_hi) = (
        index([0, 1, 8, 9, 4, 5, 12, 13]),
        index([2, 3, 10, 11, 6, 7, 14, 15]),
    );
    let (halves_lo, halves_hi) = (
        index([0, 1, 2, 3, 8, 9, 10, 11]),
        index([4, 5, 6, 7, 12, 13, 14, 15]),
    );
    let lane_numbers = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    // The blocks whose words land in the 64-bit lanes of a low and a high unpacking.
    const UNPACKED: [[usize; 8]; 2] = [[0, 1, 4, 5, 8, 9, 12, 13], [2, 3, 6, 7, 10, 11, 14, 15]];

    let first = u64::from(input[12]) | (u64::from(input[13]) << 32);
    let mut out = [0u64; 128];
    for (k, chunk) in words.chunks_mut(out.len()).enumerate() {
        let base = first.wrapping_add(16 * k as u64);
        let low = _mm512_set1_epi32(base as u32 as i32);
        let counter = _mm512_add_epi32(low, lane_numbers);
        // A lane whose low counter word wrapped carries one into the high word.
        let carried = _mm512_cmplt_epu32_mask(counter, low);
        let high = _mm512_set1_epi32((base >> 32) as u32 as i32);
        let high = _mm512_mask_add_epi32(high, carried, high, _mm512_set1_epi32(1));
        let mut start = [_mm512_setzero_si512(); 16];
        for (lanes, &word) in start.iter_mut().zip(input) {
            *lanes = _mm512_set1_epi32(word as i32);
        }
        (start[12], start[13]) = (counter, high);
        let mut x = start;
        for _ in 0..4 {
            quarter!(x, 0, 4, 8, 12);
            quarter!(x, 1, 5, 9, 13);
            quarter!(x, 2, 6, 10, 14);
            quarter!(x, 3, 7, 11, 15);
            quarter!(x, 0, 5, 10, 15);
            quarter!(x, 1, 6, 11, 12);
            quarter!(x, 2, 7, 8, 13);
            quarter!(x, 3, 4, 9, 14);
        }
        for (lanes, init) in x.iter_mut().zip(start) {
            *lanes = _mm512_add_epi32(*lanes, init);
        }
        // Words 2p and 2p+1 of each block side by side as one 64-bit word, in two halves
        // of eight blocks ([`UNPACKED`]); each half is an 8 x 8 matrix (word pair by
        // block) to transpose, in three steps of 64-bit, 128-bit and 256-bit swaps.
        for (half, blocks) in UNPACKED.iter().enumerate() {
            let mut r = [_mm512_setzero_si512(); 8];
            for (p, row) in r.iter_mut().enumerate() {
                *row = if half == 0 {
                    _mm512_unpacklo_epi32(x[2 * p], x[2 * p + 1])
                } else {
                    _mm512_unpackhi_epi32(x[2 * p], x[2 * p + 1])
                };
            }
            let mut a = [_mm512_setzero_si512(); 8];
            for i in 0..4 {
                a[2 * i] = _mm512_unpacklo_epi64(r[2 * i], r[2 * i + 1]);
                a[2 * i + 1] = _mm512_unpackhi_epi64(r[2 * i], r[2 * i + 1]);
            }
            let mut b = [_mm512_setzero_si512(); 8];
            for g in [0, 4] {
                b[g] = _mm512_permutex2var_epi64(a[g], pairs_lo, a[g + 2]);
                b[g + 1] = _mm512_permutex2var_epi64(a[g + 1], pairs_lo, a[g + 3]);
                b[g + 2] = _mm512_permutex2var_epi64(a[g], pairs_hi, a[g + 2]);
                b[g + 3] = _mm512_permutex2var_epi64(a[g + 1], pairs_hi, a[g + 3]);
            }
            for j in 0..4 {
                let column_lo = _mm512_permutex2var_epi64(b[j], halves_lo, b[j + 4]);
                let column_hi = _mm512_permutex2var_epi64(b[j], halves_hi, b[j + 4]);
                for (column, block) in [(column_lo, blocks[j]), (column_hi, blocks[j + 4])] {
                    let to = &mut out[8 * block..8 * block + 8];
                    // SAFETY: `to` is 64 writable bytes; the store has no alignment
                    // requirement.
                    unsafe { _mm512_storeu_si512(to.as_mut_ptr().cast(), column) };
                }
            }
        }
        chunk.copy_from_slice(&out[..chunk.len()]);
    }
}

/// ChaCha's quarter round on words `a`, `b`, `c`, `d` of `x`.
#[inline(always)]
fn quarter_round(x: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

/// One step of SplitMix64: advances `state` and returns a well-mixed 64-bit value.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The resolution of a half-word uniform, 2^-32.
const HALF_SCALE: f64 = 1.0 / 4_294_967_296.0;

/// The upper and lower 32 bits of `x` as two uniforms in [0, 1).
fn split_unit(x: u64) -> (f64, f64) {
    (upper_unit(x), lower_unit(x))
}

/// The upper 32 bits of `x` as a uniform in [0, 1) (the first of [`Draws::pair`]).
pub fn upper_unit(x: u64) -> f64 {
    f64::from((x >> 32) as u32) * HALF_SCALE
}

/// The lower 32 bits of `x` as a uniform in [0, 1) (the second of [`Draws::pair`]).
pub fn lower_unit(x: u64) -> f64 {
    f64::from(x as u32) * HALF_SCALE
}

/// The least integer `t` such that, for every word `x`, `upper_unit(x) < p` exactly when
/// `x >> 32 < t`: scaling by 2^32 is exact, so `h * 2^-32 < p` is `h < p * 2^32`, which for
/// an integer `h` is `h < ceil(p * 2^32)`. Lets a screen compare integers instead of
/// converting every word (NaN or negative `p` give 0: no word passes).
pub fn upper_threshold(p: f64) -> u64 {
    let scaled = (p * 4_294_967_296.0).ceil();
    if scaled >= 4_294_967_296.0 {
        1 << 32
    } else {
        // `as` saturates: NaN and negative values become 0.
        scaled as u64
    }
}

/// The top 53 bits of `x` as a uniform double in [0, 1).
fn unit_f64(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_wide_keystream_is_rand_chachas() {
        // Lengths around the vector width (8 words per block, 16 blocks side by side),
        // starting blocks near the counter's carry into its high word and its wrap. (On a
        // processor without 512-bit vectors both sides are `rand_chacha`.)
        let mut state = 0x77_u64;
        for k in 0..60u64 {
            let mut key = [0u8; 32];
            for chunk in key.chunks_exact_mut(8) {
                chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
            }
            let stream = splitmix64(&mut state) >> (k % 64);
            let first = match k % 3 {
                0 => k,
                1 => u64::from(u32::MAX) - 20 + k,
                _ => u64::MAX - k,
            };
            let len = [0usize, 1, 7, 8, 9, 127, 128, 129, 196, 300, 1000][k as usize % 11];
            let input = input_words(&key, first, stream);
            let mut rng = ChaCha8Rng::from_seed(key);
            rng.set_stream(stream);
            rng.set_word_pos(16 * u128::from(first));
            let theirs: Vec<u64> = (0..len).map(|_| rng.next_u64()).collect();
            let mut wide = vec![0u64; len];
            keystream_words(&input, &mut wide);
            let mut portable = vec![0u64; len];
            keystream_portable(&input, &mut portable);
            // Past the last block both wrap the 64-bit counter to block 0.
            assert_eq!(wide, theirs, "first {first}, len {len}");
            assert_eq!(portable, theirs, "first {first}, len {len}");
        }
    }

    #[test]
    fn a_lone_draw_equals_the_same_slot_of_a_filled_tick() {
        let draws = Draws::new(42);
        let (mut upper, mut lower) = (vec![0.0; 300], vec![0.0; 300]);
        draws.fill_halves(7, Purpose::Tick, &mut upper, &mut lower);
        for state in [0u32, 1, 2, 150, 299] {
            let i = state as usize;
            assert_eq!(draws.pair(7, Purpose::Tick, state), (upper[i], lower[i]));
        }
    }

    #[test]
    fn words_split_into_the_filled_halves() {
        let draws = Draws::new(9);
        let (mut upper, mut lower) = (vec![0.0; 300], vec![0.0; 300]);
        draws.fill_halves(4, Purpose::Tick, &mut upper, &mut lower);
        let mut words = vec![0u64; 300];
        draws.fill_words(4, Purpose::Tick, &mut words);
        for (i, &w) in words.iter().enumerate() {
            assert_eq!((upper_unit(w), lower_unit(w)), (upper[i], lower[i]));
            assert_eq!(unit_f64(w), draws.one(4, Purpose::Tick, i as u32));
        }
    }

    #[test]
    fn the_integer_screen_matches_the_float_comparison() {
        let words: Vec<u64> = (0..2000u64)
            .map(|k| splitmix64(&mut k.clone()))
            .chain([0, u64::MAX, 1 << 32, (1 << 32) - 1, 0xFFFF_FFFF_0000_0000])
            .collect();
        let mut ps = vec![
            0.0,
            -0.5,
            1.0,
            1.5,
            f64::NAN,
            1e-300,
            0.5,
            0.1,
            0.9999999999,
        ];
        ps.extend(words.iter().take(50).map(|&w| upper_unit(w)));
        ps.extend(words.iter().take(50).map(|&w| upper_unit(w) + 1e-12));
        for p in ps {
            let t = upper_threshold(p);
            for &w in &words {
                assert_eq!(upper_unit(w) < p, (w >> 32) < t, "p {p}, word {w:x}");
            }
        }
    }

    #[test]
    fn one_block_is_the_streams_block() {
        // Keys, stream ids and positions spread over their whole ranges (splitmix64), plus
        // the edges: the block counter's carry into its high word, the last block, stream
        // ids with high bits set. Every word of each block is compared with `rand_chacha`
        // positioned at the block and at a word inside it.
        let mut state = 0x5eed_u64;
        let mut cases: Vec<([u8; 32], u64, u64)> = Vec::new();
        for k in 0..400 {
            let mut key = [0u8; 32];
            for chunk in key.chunks_exact_mut(8) {
                chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
            }
            let block = match k % 4 {
                0 => splitmix64(&mut state) % 64,
                1 => splitmix64(&mut state) >> 4,
                2 => u64::from(u32::MAX) - 1 + (k as u64 % 3),
                _ => u64::MAX - (k as u64 % 3),
            };
            let stream = if k % 2 == 0 {
                splitmix64(&mut state) % 4096
            } else {
                splitmix64(&mut state)
            };
            cases.push((key, block, stream));
        }
        for (key, block, stream) in cases {
            let ours = chacha8_block(&key, block, stream);
            let mut rng = ChaCha8Rng::from_seed(key);
            rng.set_stream(stream);
            rng.set_word_pos(16 * u128::from(block));
            let theirs: Vec<u32> = (0..16).map(|_| rng.next_u32()).collect();
            assert_eq!(ours.to_vec(), theirs, "block {block}, stream {stream}");
            let at = (block % 8) as usize * 2;
            let mut rng = ChaCha8Rng::from_seed(key);
            rng.set_stream(stream);
            rng.set_word_pos(16 * u128::from(block) + at as u128);
            let word = u64::from(ours[at]) | (u64::from(ours[at + 1]) << 32);
            assert_eq!(word, rng.next_u64(), "block {block}, word {at}");
        }
    }

    #[test]
    fn lone_words_match_the_filled_words_for_many_seeds_and_ticks() {
        let mut words = vec![0u64; 1000];
        for seed in [0u64, 1, 2, 3, 77, u64::MAX] {
            let draws = Draws::new(seed);
            for tick in [0u32, 1, 65, 1000, u32::MAX] {
                for purpose in [Purpose::Tick, Purpose::Retaliate] {
                    draws.fill_words(tick, purpose, &mut words);
                    for state in (0..1000u32).step_by(7).chain([999]) {
                        let w = words[state as usize];
                        assert_eq!(draws.word(tick, purpose, state), w, "seed {seed}");
                        assert_eq!(draws.one(tick, purpose, state), unit_f64(w));
                    }
                }
            }
        }
    }

    #[test]
    fn streams_differ_by_seed_tick_and_purpose() {
        let base = Draws::new(1).one(3, Purpose::Tick, 5);
        assert_ne!(base, Draws::new(2).one(3, Purpose::Tick, 5));
        assert_ne!(base, Draws::new(1).one(4, Purpose::Tick, 5));
        assert_ne!(base, Draws::new(1).one(3, Purpose::Retaliate, 5));
        assert_ne!(base, Draws::new(1).one(3, Purpose::Tick, 6));
    }

    #[test]
    fn uniforms_look_uniform_and_halves_independent() {
        // 100,000 pairs: the mean of U(0,1) has sd 1/sqrt(12 n) = 0.00091; allow 5 sd.
        // Each decile should hold 10% of draws; its sd is sqrt(0.09/n) = 0.00095, allow 5 sd.
        // The correlation of the halves has sd 1/sqrt(n) = 0.0032; allow 5 sd.
        let draws = Draws::new(2025);
        let (mut upper, mut lower) = (vec![0.0; 100_000], vec![0.0; 100_000]);
        draws.fill_halves(1, Purpose::Tick, &mut upper, &mut lower);
        let all: Vec<(f64, f64)> = upper.into_iter().zip(lower).collect();
        let n = all.len() as f64;
        for half in [0, 1] {
            let xs: Vec<f64> = all
                .iter()
                .map(|p| if half == 0 { p.0 } else { p.1 })
                .collect();
            let mean = xs.iter().sum::<f64>() / n;
            assert!(
                (mean - 0.5).abs() < 5.0 * 0.00091,
                "half {half}: mean {mean}"
            );
            let mut deciles = [0usize; 10];
            for &u in &xs {
                assert!((0.0..1.0).contains(&u));
                deciles[(u * 10.0) as usize] += 1;
            }
            for (k, &c) in deciles.iter().enumerate() {
                let share = c as f64 / n;
                assert!(
                    (share - 0.1).abs() < 5.0 * 0.00095,
                    "half {half}, decile {k}: {share}"
                );
            }
        }
        let cov = all.iter().map(|p| (p.0 - 0.5) * (p.1 - 0.5)).sum::<f64>() / n;
        let corr = cov * 12.0;
        assert!(corr.abs() < 5.0 / n.sqrt(), "correlation of halves {corr}");
    }
}
