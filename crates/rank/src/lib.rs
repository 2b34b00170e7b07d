//! A compact table of embeddings: one int8 vector per item with a per-row scale (the row's
//! largest absolute value / 127), so a 16-dimensional food embedding takes 16 + 4 bytes instead
//! of 64, and cosine similarity is computed on the fly without dequantising the table.
//!
//! No IO and no dependencies beyond `thiserror`: the same code scores on the server and, compiled
//! to WASM, in the browser.
//!
//! `tokens` scores the token recommender and `foods` the food suggestions from their exported
//! artifacts (postcard-encoded, int8 rows with per-row scales), with the same code on both sides.
//!
//! Binary layout of a table (little endian): the magic `MMIQ8v01`, `n` (u32), `dim` (u32), `id_len` (u32),
//! then `n` ids of `id_len` ASCII bytes, `n` f32 scales, and `n × dim` i8 values.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

pub mod foods;
pub mod linalg;
pub mod rows;
pub mod tokens;

pub use rows::Int8Rows;

const MAGIC: &[u8; 8] = b"MMIQ8v01";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RankError {
    #[error("not a quantized table: {0}")]
    Format(String),
    #[error("ids must be {expected} ASCII bytes, got {id:?}")]
    Id { expected: usize, id: String },
    #[error("cannot decode the artifact: {0}")]
    Decode(String),
    #[error("row {row} has {got} values, expected {expected}")]
    Dim {
        row: usize,
        got: usize,
        expected: usize,
    },
}

/// Quantized rows with their ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuantizedTable {
    pub dim: usize,
    pub ids: Vec<String>,
    pub scales: Vec<f32>,
    /// Row-major, `ids.len() × dim`.
    pub values: Vec<i8>,
}

/// Quantizes one row: `scale = max |v| / 127`, `q = round(v / scale)`; a zero row has scale 0.
pub fn quantize_row(row: &[f32]) -> (f32, Vec<i8>) {
    let max = row.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() {
        return (0.0, vec![0; row.len()]);
    }
    let scale = max / 127.0;
    let q = row
        .iter()
        .map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (scale, q)
}

impl QuantizedTable {
    /// Quantizes `rows` (each `dim` long) with their `ids` (all the same byte length).
    pub fn from_rows(ids: Vec<String>, rows: &[Vec<f32>]) -> Result<Self, RankError> {
        let id_len = ids.first().map_or(0, String::len);
        if let Some(bad) = ids.iter().find(|id| id.len() != id_len || !id.is_ascii()) {
            return Err(RankError::Id {
                expected: id_len,
                id: bad.clone(),
            });
        }
        if ids.len() != rows.len() {
            return Err(RankError::Format(format!(
                "{} ids for {} rows",
                ids.len(),
                rows.len()
            )));
        }
        let q = Int8Rows::from_dense(rows)?;
        Ok(QuantizedTable {
            dim: q.dim(),
            ids,
            scales: q.scales,
            values: q.values,
        })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn row(&self, i: usize) -> &[i8] {
        &self.values[i * self.dim..(i + 1) * self.dim]
    }

    /// Row `i` dequantized.
    pub fn dequantize(&self, i: usize) -> Vec<f32> {
        self.row(i)
            .iter()
            .map(|q| f32::from(*q) * self.scales[i])
            .collect()
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|x| x == id)
    }

    /// Cosine similarity of row `i` and `query` (the scale cancels out of a cosine, so the
    /// int8 values are used directly).
    pub fn cosine(&self, i: usize, query: &[f32]) -> f32 {
        let (mut dot, mut nr) = (0.0f32, 0.0f32);
        for (q, v) in self.row(i).iter().zip(query) {
            let q = f32::from(*q);
            dot += q * v;
            nr += q * q;
        }
        let nq: f32 = query.iter().map(|v| v * v).sum();
        if nr == 0.0 || nq == 0.0 {
            0.0
        } else {
            dot / (nr.sqrt() * nq.sqrt())
        }
    }

    /// The `k` rows most cosine-similar to `query`, best first, skipping rows `skip` rejects;
    /// ties go to the lower row index, so the order is the same everywhere.
    pub fn top_k(
        &self,
        query: &[f32],
        k: usize,
        skip: impl Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        top_k_by(self.len(), k, |i| (!skip(i)).then(|| self.cosine(i, query)))
    }

    /// The `k` rows most cosine-similar to row `i`, by integer dot products of the int8 rows
    /// (exact, and the same on every platform), skipping rows `skip` rejects.
    pub fn top_k_like(
        &self,
        i: usize,
        k: usize,
        skip: impl Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let query = self.row(i);
        top_k_by(self.len(), k, |j| {
            (!skip(j)).then(|| rows::cosine_i8(query, self.row(j)))
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let id_len = self.ids.first().map_or(0, String::len);
        let mut out = Vec::with_capacity(20 + self.len() * (id_len + 4 + self.dim));
        out.extend_from_slice(MAGIC);
        for v in [self.len(), self.dim, id_len] {
            out.extend_from_slice(&(v as u32).to_le_bytes());
        }
        for id in &self.ids {
            out.extend_from_slice(id.as_bytes());
        }
        for s in &self.scales {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out.extend(self.values.iter().map(|v| *v as u8));
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RankError> {
        let bad = |m: &str| RankError::Format(m.to_string());
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(bad("wrong magic"));
        }
        let u32_at = |at: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&bytes[at..at + 4]);
            u32::from_le_bytes(b) as usize
        };
        let (n, dim, id_len) = (u32_at(8), u32_at(12), u32_at(16));
        let expected = 20 + n * (id_len + 4 + dim);
        if bytes.len() != expected {
            return Err(RankError::Format(format!(
                "{} bytes, expected {expected}",
                bytes.len()
            )));
        }
        let mut at = 20;
        let mut ids = Vec::with_capacity(n);
        for _ in 0..n {
            let id =
                std::str::from_utf8(&bytes[at..at + id_len]).map_err(|_| bad("id not ASCII"))?;
            ids.push(id.to_string());
            at += id_len;
        }
        let scales = (0..n)
            .map(|i| {
                let mut b = [0u8; 4];
                b.copy_from_slice(&bytes[at + 4 * i..at + 4 * i + 4]);
                f32::from_le_bytes(b)
            })
            .collect();
        at += 4 * n;
        let values = bytes[at..].iter().map(|b| *b as i8).collect();
        Ok(QuantizedTable {
            dim,
            ids,
            scales,
            values,
        })
    }
}

/// Name search, the same for the server's food search and the browser's: the items whose
/// lower-cased name (`lowered`, in item order) holds every word of `query` (split on anything
/// not alphanumeric, lower-cased); names starting with the first word first, then shorter
/// names, then item order; at most `limit`.
pub fn search_names<'a>(
    lowered: impl Iterator<Item = std::borrow::Cow<'a, str>>,
    query: &str,
    limit: usize,
) -> Vec<usize> {
    let words: Vec<String> = query
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(bool, usize, usize)> = lowered
        .enumerate()
        .filter(|(_, d)| words.iter().all(|w| d.contains(w.as_str())))
        .map(|(i, d)| (!d.starts_with(words[0].as_str()), d.len(), i))
        .collect();
    hits.sort_unstable();
    hits.into_iter().take(limit).map(|h| h.2).collect()
}

/// The `k` best of `n` items by `score` (`None` or NaN: not a candidate), best first; ties go to
/// the lower index, so the order is the same on every platform. A min-heap of the best `k` so far.
pub fn top_k_by(n: usize, k: usize, score: impl Fn(usize) -> Option<f32>) -> Vec<(usize, f32)> {
    let mut heap: BinaryHeap<Scored> = BinaryHeap::with_capacity(k + 1);
    if k == 0 {
        return Vec::new();
    }
    for i in 0..n {
        let Some(value) = score(i).filter(|v| !v.is_nan()) else {
            continue;
        };
        let s = Scored(value, i);
        if heap.len() < k {
            heap.push(s);
        } else if heap
            .peek()
            .is_some_and(|worst| s.cmp(worst) == Ordering::Less)
        {
            heap.pop();
            heap.push(s);
        }
    }
    let mut out: Vec<(usize, f32)> = heap.into_iter().map(|s| (s.1, s.0)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// A score and a row index, ordered so that the *worse* entry is greater (for a min-heap of the
/// best): lower score, or equal score and higher index.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scored(f32, usize);

impl Eq for Scored {}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> QuantizedTable {
        let rows = vec![
            vec![1.0, 0.0, 0.0],
            vec![0.9, 0.1, 0.0],
            vec![0.0, 1.0, 0.0],
            vec![-1.0, 0.0, 0.0],
            vec![0.0, 0.0, 0.0],
        ];
        let ids = ["00001", "00002", "00003", "00004", "00005"]
            .map(String::from)
            .to_vec();
        QuantizedTable::from_rows(ids, &rows).expect("table")
    }

    #[test]
    fn round_trip_error_is_within_half_a_step() {
        let row = vec![0.31f32, -2.5, 1.0, 0.0, 2.49];
        let (scale, q) = quantize_row(&row);
        assert_eq!(scale, 2.5 / 127.0);
        assert_eq!(q[1], -127);
        for (v, q) in row.iter().zip(&q) {
            assert!((v - f32::from(*q) * scale).abs() <= scale / 2.0 + 1e-7);
        }
        assert_eq!(quantize_row(&[0.0, 0.0]), (0.0, vec![0, 0]));
    }

    #[test]
    fn top_k_is_ordered_and_skips() {
        let t = table();
        let top = t.top_k(&[1.0, 0.0, 0.0], 3, |i| i == 0);
        let order: Vec<usize> = top.iter().map(|x| x.0).collect();
        // Row 1 (cosine 0.99), then the orthogonal rows 2 and 4 (cosine 0, lower index first).
        assert_eq!(order, vec![1, 2, 4]);
        assert!(top[0].1 > 0.99);
        assert_eq!(t.top_k(&[1.0, 0.0, 0.0], 10, |_| false).len(), 5);
        // The integer search from a stored row ranks the same way.
        let like: Vec<usize> = t.top_k_like(0, 3, |i| i == 0).iter().map(|x| x.0).collect();
        assert_eq!(like, vec![1, 2, 4]);
    }

    #[test]
    fn bytes_round_trip_and_reject_corruption() {
        let t = table();
        let bytes = t.to_bytes();
        assert_eq!(bytes.len(), 20 + 5 * (5 + 4 + 3));
        assert_eq!(QuantizedTable::from_bytes(&bytes).expect("load"), t);
        assert!(QuantizedTable::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(QuantizedTable::from_bytes(&wrong).is_err());
        assert!(
            QuantizedTable::from_rows(vec!["1".into(), "22".into()], &[vec![1.0], vec![2.0]])
                .is_err()
        );
    }
}
