//! A linear-chain conditional random field over hashed features (Lafferty, McCallum & Pereira,
//! 2001): a score per (feature bucket, label) and per label transition; Viterbi for the best
//! label sequence and forward-backward for each token's marginal probability, which is the
//! parser's confidence. Training (stochastic gradient on the log-likelihood) lives on the
//! server, in `mmi_nutrition::recipe::tagger`; this is what both sides tag with.
//!
//! Stored as [`QuantizedCrf`]: the feature rows that are not all zero, as int8 with one scale per
//! row, so that the model is small enough for the browser.

use serde::{Deserialize, Serialize};

/// A trained CRF, weights in `f32`.
#[derive(Debug, Clone, PartialEq)]
pub struct Crf {
    pub n_labels: usize,
    pub buckets: u32,
    /// `state[bucket * n_labels + label]`.
    pub state: Vec<f32>,
    /// `transition[from * n_labels + to]`.
    pub transition: Vec<f32>,
    pub start: Vec<f32>,
    pub end: Vec<f32>,
}

/// Forward-backward in log space: `alpha[i * L + y]` is the log-score of all prefixes ending in
/// `y` at `i`, `beta` the same for suffixes, `log_z` the log-partition.
#[derive(Debug, Clone)]
pub struct Lattice {
    pub alpha: Vec<f64>,
    pub beta: Vec<f64>,
    pub log_z: f64,
}

fn log_sum_exp(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = values.clone().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + values.map(|v| (v - max).exp()).sum::<f64>().ln()
}

impl Crf {
    pub fn zeros(n_labels: usize, buckets: u32) -> Crf {
        Crf {
            n_labels,
            buckets,
            state: vec![0.0; buckets as usize * n_labels],
            transition: vec![0.0; n_labels * n_labels],
            start: vec![0.0; n_labels],
            end: vec![0.0; n_labels],
        }
    }

    /// `emissions[i * L + y]`: the summed feature weights of token `i` for label `y`.
    pub fn emissions(&self, features: &[Vec<u32>]) -> Vec<f64> {
        let l = self.n_labels;
        let mut out = vec![0.0; features.len() * l];
        for (i, feats) in features.iter().enumerate() {
            for f in feats {
                let row = &self.state[*f as usize * l..(*f as usize + 1) * l];
                for (y, w) in row.iter().enumerate() {
                    out[i * l + y] += f64::from(*w);
                }
            }
        }
        out
    }

    /// The most likely label sequence.
    pub fn viterbi(&self, emissions: &[f64]) -> Vec<usize> {
        let l = self.n_labels;
        let n = emissions.len() / l;
        if n == 0 {
            return Vec::new();
        }
        let mut score: Vec<f64> = (0..l)
            .map(|y| f64::from(self.start[y]) + emissions[y])
            .collect();
        let mut back = vec![0usize; n * l];
        for i in 1..n {
            let mut next = vec![f64::NEG_INFINITY; l];
            for to in 0..l {
                for (from, prev) in score.iter().enumerate() {
                    let s = prev + f64::from(self.transition[from * l + to]);
                    if s > next[to] {
                        next[to] = s;
                        back[i * l + to] = from;
                    }
                }
                next[to] += emissions[i * l + to];
            }
            score = next;
        }
        let mut best = (0..l)
            .max_by(|a, b| {
                (score[*a] + f64::from(self.end[*a]))
                    .total_cmp(&(score[*b] + f64::from(self.end[*b])))
            })
            .unwrap_or(0);
        let mut path = vec![0; n];
        for i in (0..n).rev() {
            path[i] = best;
            best = back[i * l + best];
        }
        path
    }

    pub fn lattice(&self, emissions: &[f64]) -> Lattice {
        let l = self.n_labels;
        let n = emissions.len() / l;
        let mut alpha = vec![0.0; n * l];
        let mut beta = vec![0.0; n * l];
        if n == 0 {
            return Lattice {
                alpha,
                beta,
                log_z: 0.0,
            };
        }
        for y in 0..l {
            alpha[y] = f64::from(self.start[y]) + emissions[y];
            beta[(n - 1) * l + y] = f64::from(self.end[y]);
        }
        for i in 1..n {
            for to in 0..l {
                let prev = &alpha[(i - 1) * l..i * l];
                alpha[i * l + to] = log_sum_exp(
                    (0..l).map(|from| prev[from] + f64::from(self.transition[from * l + to])),
                ) + emissions[i * l + to];
            }
        }
        for i in (0..n - 1).rev() {
            for from in 0..l {
                let next = &beta[(i + 1) * l..(i + 2) * l];
                beta[i * l + from] = log_sum_exp((0..l).map(|to| {
                    f64::from(self.transition[from * l + to])
                        + emissions[(i + 1) * l + to]
                        + next[to]
                }));
            }
        }
        let log_z = log_sum_exp((0..l).map(|y| alpha[(n - 1) * l + y] + f64::from(self.end[y])));
        Lattice { alpha, beta, log_z }
    }

    /// `P(y_i = y | line)` for every token and label.
    pub fn marginals(lattice: &Lattice) -> Vec<f64> {
        lattice
            .alpha
            .iter()
            .zip(&lattice.beta)
            .map(|(a, b)| (a + b - lattice.log_z).exp())
            .collect()
    }

    /// The best labels and the marginal probability of each chosen label.
    pub fn tag(&self, features: &[Vec<u32>]) -> (Vec<usize>, Vec<f64>) {
        let em = self.emissions(features);
        let path = self.viterbi(&em);
        let lattice = self.lattice(&em);
        let marginals = Crf::marginals(&lattice);
        let l = self.n_labels;
        let confidence = path
            .iter()
            .enumerate()
            .map(|(i, y)| marginals[i * l + y])
            .collect();
        (path, confidence)
    }

    /// The stored form: non-zero feature rows as int8 with a scale each.
    pub fn quantize(&self) -> QuantizedCrf {
        let l = self.n_labels;
        let mut rows = Vec::new();
        let mut weights = Vec::new();
        let mut scales = Vec::new();
        for (b, row) in self.state.chunks(l).enumerate() {
            let max = row.iter().fold(0.0f32, |m, w| m.max(w.abs()));
            if max == 0.0 {
                continue;
            }
            let scale = max / 127.0;
            rows.push(b as u32);
            scales.push(scale);
            weights.extend(
                row.iter()
                    .map(|w| (w / scale).round().clamp(-127.0, 127.0) as i8),
            );
        }
        QuantizedCrf {
            n_labels: l as u32,
            buckets: self.buckets,
            rows,
            weights,
            scales,
            transition: self.transition.clone(),
            start: self.start.clone(),
            end: self.end.clone(),
        }
    }
}

/// A [`Crf`] as stored and shipped: `weights[k * L + y]` of bucket `rows[k]`, times `scales[k]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantizedCrf {
    pub n_labels: u32,
    pub buckets: u32,
    pub rows: Vec<u32>,
    pub weights: Vec<i8>,
    pub scales: Vec<f32>,
    pub transition: Vec<f32>,
    pub start: Vec<f32>,
    pub end: Vec<f32>,
}

impl QuantizedCrf {
    /// The dense model it stands for (checked: every row in range, every length consistent).
    pub fn dequantize(&self) -> Result<Crf, String> {
        let l = self.n_labels as usize;
        if self.weights.len() != self.rows.len() * l
            || self.scales.len() != self.rows.len()
            || self.transition.len() != l * l
            || self.start.len() != l
            || self.end.len() != l
        {
            return Err("inconsistent lengths".into());
        }
        let mut crf = Crf::zeros(l, self.buckets);
        for (k, b) in self.rows.iter().enumerate() {
            if *b >= self.buckets {
                return Err(format!("row {b} outside {} buckets", self.buckets));
            }
            for y in 0..l {
                crf.state[*b as usize * l + y] =
                    f32::from(self.weights[k * l + y]) * self.scales[k];
            }
        }
        crf.transition.clone_from(&self.transition);
        crf.start.clone_from(&self.start);
        crf.end.clone_from(&self.end);
        Ok(crf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    /// A two-label model small enough to enumerate every sequence by hand.
    fn tiny() -> Crf {
        let mut crf = Crf::zeros(2, 4);
        crf.state = vec![1.0, 0.0, 0.0, 1.5, 0.3, 0.2, -0.5, 0.4];
        crf.transition = vec![0.5, -1.0, 0.2, 0.8];
        crf.start = vec![0.1, -0.2];
        crf.end = vec![0.0, 0.3];
        crf
    }

    fn score(crf: &Crf, em: &[f64], path: &[usize]) -> f64 {
        let l = crf.n_labels;
        let mut s = f64::from(crf.start[path[0]]) + f64::from(crf.end[*path.last().unwrap()]);
        for (i, y) in path.iter().enumerate() {
            s += em[i * l + y];
            if i > 0 {
                s += f64::from(crf.transition[path[i - 1] * l + y]);
            }
        }
        s
    }

    #[test]
    fn viterbi_and_marginals_match_enumeration() {
        let crf = tiny();
        let feats = vec![vec![0, 2], vec![1], vec![3, 2]];
        let em = crf.emissions(&feats);
        let paths: Vec<Vec<usize>> = (0..8)
            .map(|k| (0..3).map(|i| (k >> i) & 1).collect())
            .collect();
        let scores: Vec<f64> = paths.iter().map(|p| score(&crf, &em, p)).collect();
        let best = (0..8)
            .max_by(|a, b| scores[*a].total_cmp(&scores[*b]))
            .unwrap();
        assert_eq!(crf.viterbi(&em), paths[best]);
        let z: f64 = scores.iter().map(|s| s.exp()).sum();
        let lattice = crf.lattice(&em);
        assert_relative_eq!(lattice.log_z, z.ln(), epsilon = 1e-9);
        let marg = Crf::marginals(&lattice);
        for i in 0..3 {
            for y in 0..2 {
                let p: f64 = (0..8)
                    .filter(|k| paths[*k][i] == y)
                    .map(|k| scores[k].exp())
                    .sum::<f64>()
                    / z;
                assert_relative_eq!(marg[i * 2 + y], p, epsilon = 1e-9);
            }
        }
    }

    #[test]
    fn quantized_round_trip_is_close() {
        let crf = tiny();
        let q = crf.quantize();
        assert_eq!(q.rows, vec![0, 1, 2, 3]);
        let back = q.dequantize().unwrap();
        for (a, b) in crf.state.iter().zip(&back.state) {
            assert!((a - b).abs() <= 1.5 / 127.0, "{a} vs {b}");
        }
        let mut bad = q.clone();
        bad.rows[0] = 99;
        assert!(bad.dequantize().is_err());
    }
}
