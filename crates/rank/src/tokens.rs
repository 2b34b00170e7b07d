//! The token recommender as exported to the browser: the models' int8 matrices and the scoring
//! of a portfolio by each method, with the reasons shown beside a suggestion. The server's
//! `/api/recommend` and the dashboard's WASM both call [`TokenModel::recommend`] on the same
//! artifact bytes, so they rank identically.
//!
//! The collaborative parts are trained on a population of *simulated* traders (there is no public
//! portfolio data); the reasons say so.

use serde::{Deserialize, Serialize};

use crate::linalg::solve_spd;
use crate::rows::{cosine_i8, Int8Rows};
use crate::{top_k_by, RankError};

/// A way to score candidate tokens for a portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The baseline: the tokens most simulated traders hold.
    Popularity,
    /// Cosine similarity of behaviour profiles to the holdings, weighted.
    Content,
    /// User-user collaborative filtering: the nearest simulated traders' holdings.
    UserKnn,
    /// Item-item collaborative filtering: co-holding similarity to the holdings.
    ItemKnn,
    /// Implicit-feedback matrix factorisation (ALS), the portfolio folded in.
    Als,
    /// A weighted blend of content and the collaborative method, weight tuned on validation users.
    Hybrid,
}

impl Method {
    pub const ALL: [Method; 6] = [
        Method::Popularity,
        Method::Content,
        Method::UserKnn,
        Method::ItemKnn,
        Method::Als,
        Method::Hybrid,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Method::Popularity => "popularity",
            Method::Content => "content",
            Method::UserKnn => "user_knn",
            Method::ItemKnn => "item_knn",
            Method::Als => "als",
            Method::Hybrid => "hybrid",
        }
    }

    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Popularity => "popularity (baseline)",
            Method::Content => "content-based (behaviour profiles)",
            Method::UserKnn => "user-user CF",
            Method::ItemKnn => "item-item CF",
            Method::Als => "matrix factorisation (implicit ALS)",
            Method::Hybrid => "hybrid (content + CF)",
        }
    }
}

/// Everything the browser needs to recommend tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenModel {
    /// Token symbols, the item order of every matrix below.
    pub symbols: Vec<String>,
    /// A sector per token (documented, e.g. "stablecoin", "DeFi").
    pub sectors: Vec<String>,
    /// The names of the behaviour-profile columns.
    pub profile_features: Vec<String>,
    /// Standardised behaviour profiles, one row per token.
    pub content: Int8Rows,
    /// Co-holding cosine similarity between tokens (`n × n`).
    pub item_item: Int8Rows,
    /// The training traders' holdings (simulated), as token indices.
    pub users: Vec<Vec<u16>>,
    /// How many nearest traders user-user CF uses.
    pub user_neighbours: u32,
    /// ALS item factors (`n × f`).
    pub factors: Int8Rows,
    pub als_regularization: f32,
    pub als_alpha: f32,
    /// Share of training traders holding each token.
    pub popularity: Vec<f32>,
    /// The collaborative method that answers "collaborative" (the best on validation users).
    pub collaborative: Method,
    /// The weight of the collaborative score in the hybrid (tuned on validation users).
    pub hybrid_weight: f32,
}

/// One holding, resolved: a token index and its weight (weights sum to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Holding {
    pub index: usize,
    pub weight: f32,
}

/// Why a portfolio cannot be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HoldingsError {
    #[error("holdings must not be empty")]
    Empty,
    #[error("unknown symbols: {}", .0.join(", "))]
    Unknown(Vec<String>),
    #[error("the weight of {0} must be a positive number")]
    Weight(String),
    #[error("every token is already held: nothing left to suggest")]
    Everything,
}

/// A suggested token.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub index: usize,
    pub symbol: String,
    pub score: f32,
    pub reasons: Vec<String>,
}

impl TokenModel {
    pub fn to_bytes(&self) -> Vec<u8> {
        // A plain struct of vectors and numbers always encodes.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Decodes and checks every matrix's shape against the token list.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, RankError> {
        let m: TokenModel =
            postcard::from_bytes(bytes).map_err(|e| RankError::Decode(e.to_string()))?;
        let n = m.symbols.len();
        m.content.check(n, "content")?;
        m.item_item.check(n, "item_item")?;
        m.factors.check(n, "factors")?;
        if m.item_item.dim() != n || m.sectors.len() != n || m.popularity.len() != n {
            return Err(RankError::Format(
                "per-token vectors of the wrong length".into(),
            ));
        }
        if m.users.iter().flatten().any(|i| usize::from(*i) >= n) {
            return Err(RankError::Format("a trader holds an unknown token".into()));
        }
        Ok(m)
    }

    /// The engine behind a method name of the API (`"content"`, `"collaborative"`, `"hybrid"`):
    /// "collaborative" is the CF method chosen on validation traders; anything else is the hybrid.
    pub fn engine(&self, api_method: &str) -> Method {
        match api_method {
            "content" => Method::Content,
            "collaborative" => self.collaborative,
            _ => Method::Hybrid,
        }
    }

    pub fn index_of(&self, symbol: &str) -> Option<usize> {
        self.symbols
            .iter()
            .position(|s| s.eq_ignore_ascii_case(symbol.trim()))
    }

    /// Resolves `(symbol, weight)` pairs: symbols case-insensitively, duplicates summed, a missing
    /// weight counted as `1 / n` of the portfolio, weights then scaled to sum to 1.
    pub fn holdings(&self, items: &[(&str, Option<f64>)]) -> Result<Vec<Holding>, HoldingsError> {
        if items.is_empty() {
            return Err(HoldingsError::Empty);
        }
        let unknown: Vec<String> = items
            .iter()
            .filter(|(s, _)| self.index_of(s).is_none())
            .map(|(s, _)| s.trim().to_string())
            .collect();
        if !unknown.is_empty() {
            return Err(HoldingsError::Unknown(unknown));
        }
        let default = 1.0 / items.len() as f64;
        let mut out: Vec<Holding> = Vec::new();
        for (symbol, weight) in items {
            let w = weight.unwrap_or(default);
            if !(w.is_finite() && w > 0.0) {
                return Err(HoldingsError::Weight(symbol.trim().to_uppercase()));
            }
            let index = self.index_of(symbol).ok_or(HoldingsError::Empty)?;
            match out.iter_mut().find(|h| h.index == index) {
                Some(h) => h.weight += w as f32,
                None => out.push(Holding {
                    index,
                    weight: w as f32,
                }),
            }
        }
        if out.len() == self.symbols.len() {
            return Err(HoldingsError::Everything);
        }
        let total: f32 = out.iter().map(|h| h.weight).sum();
        for h in &mut out {
            h.weight /= total;
        }
        Ok(out)
    }

    /// Every token's score for the portfolio (held tokens included; [`Self::recommend`] skips them).
    pub fn scores(&self, holdings: &[Holding], method: Method) -> Vec<f32> {
        self.scores_with(holdings, method, &self.prepare(holdings, method))
    }

    /// What a method needs once per portfolio: the nearest traders, the folded-in portfolio.
    fn prepare(&self, holdings: &[Holding], method: Method) -> Prepared {
        let uses = |m: Method| method == m || (method == Method::Hybrid && self.collaborative == m);
        Prepared {
            near: if uses(Method::UserKnn) {
                self.neighbours(holdings)
            } else {
                Vec::new()
            },
            fold: if uses(Method::Als) {
                self.fold_in(holdings)
            } else {
                None
            },
        }
    }

    fn scores_with(&self, holdings: &[Holding], method: Method, p: &Prepared) -> Vec<f32> {
        let n = self.symbols.len();
        match method {
            Method::Popularity => self.popularity.clone(),
            Method::Content => (0..n)
                .map(|j| {
                    holdings
                        .iter()
                        .map(|h| h.weight * self.profile_similarity(h.index, j))
                        .sum()
                })
                .collect(),
            Method::ItemKnn => (0..n)
                .map(|j| {
                    holdings
                        .iter()
                        .map(|h| h.weight * self.item_item.get(h.index, j).unwrap_or(0.0))
                        .sum()
                })
                .collect(),
            Method::UserKnn => {
                let mut scores = vec![0.0f32; n];
                for (u, sim) in &p.near {
                    for i in &self.users[*u] {
                        scores[usize::from(*i)] += sim;
                    }
                }
                scores
            }
            Method::Als => p.fold.as_ref().map_or_else(
                || vec![0.0; n],
                |fold| (0..n).map(|j| fold.score(j) as f32).collect(),
            ),
            Method::Hybrid => {
                let held = |j: usize| holdings.iter().any(|h| h.index == j);
                let content = normalised(&self.scores_with(holdings, Method::Content, p), held);
                let cf = normalised(&self.scores_with(holdings, self.collaborative, p), held);
                let b = self.hybrid_weight;
                content
                    .iter()
                    .zip(&cf)
                    .map(|(c, f)| (1.0 - b) * c + b * f)
                    .collect()
            }
        }
    }

    /// The `k` best tokens not held, best first, with their reasons.
    pub fn recommend(&self, holdings: &[Holding], method: Method, k: usize) -> Vec<Suggestion> {
        let prepared = self.prepare(holdings, method);
        let scores = self.scores_with(holdings, method, &prepared);
        let held = |j: usize| holdings.iter().any(|h| h.index == j);
        top_k_by(self.symbols.len(), k, |j| (!held(j)).then(|| scores[j]))
            .into_iter()
            .map(|(j, score)| Suggestion {
                index: j,
                symbol: self.symbols[j].clone(),
                score,
                reasons: self.reasons(holdings, method, j, &prepared),
            })
            .collect()
    }

    fn profile_similarity(&self, a: usize, b: usize) -> f32 {
        cosine_i8(self.content.row(a), self.content.row(b))
    }

    /// The nearest training traders to the portfolio by cosine similarity (binary traders,
    /// weighted portfolio), with their similarities; ties to the lower trader index.
    fn neighbours(&self, holdings: &[Holding]) -> Vec<(usize, f32)> {
        let norm: f32 = holdings
            .iter()
            .map(|h| h.weight * h.weight)
            .sum::<f32>()
            .sqrt();
        top_k_by(self.users.len(), self.user_neighbours as usize, |u| {
            let items = &self.users[u];
            let dot: f32 = holdings
                .iter()
                .filter(|h| items.iter().any(|i| usize::from(*i) == h.index))
                .map(|h| h.weight)
                .sum();
            (dot > 0.0).then(|| dot / (norm * (items.len() as f32).sqrt()))
        })
    }

    /// Hu, Koren & Volinsky's fold-in of a new user: `u = (YᵀY + Yᵀ(C − I)Y + λI)⁻¹ YᵀC p` with
    /// preference 1 and confidence `1 + α · w · |holdings|` for each holding.
    fn fold_in(&self, holdings: &[Holding]) -> Option<FoldIn> {
        let f = self.factors.dim();
        let y: Vec<Vec<f64>> = (0..self.symbols.len())
            .map(|i| self.factors.dense(i).into_iter().map(f64::from).collect())
            .collect();
        let mut a = vec![0.0f64; f * f];
        for row in &y {
            for r in 0..f {
                for c in 0..f {
                    a[r * f + c] += row[r] * row[c];
                }
            }
        }
        let lambda = f64::from(self.als_regularization);
        for d in 0..f {
            a[d * f + d] += lambda;
        }
        let count = holdings.len() as f64;
        let mut b = vec![0.0f64; f];
        let mut confidence = Vec::with_capacity(holdings.len());
        for h in holdings {
            let c = 1.0 + f64::from(self.als_alpha) * f64::from(h.weight) * count;
            let yi = &y[h.index];
            for r in 0..f {
                for col in 0..f {
                    a[r * f + col] += (c - 1.0) * yi[r] * yi[col];
                }
                b[r] += c * yi[r];
            }
            confidence.push(c);
        }
        let user = solve_spd(&a, &b)?;
        // Per-holding contributions to a score: c_h · y_jᵀ A⁻¹ y_h (the paper's explanation).
        let explain = holdings
            .iter()
            .map(|h| solve_spd(&a, &y[h.index]))
            .collect::<Option<Vec<_>>>()?;
        Some(FoldIn {
            user,
            explain,
            confidence,
            y,
        })
    }

    fn reasons(&self, holdings: &[Holding], method: Method, j: usize, p: &Prepared) -> Vec<String> {
        let symbol = |i: usize| self.symbols[i].as_str();
        // The holding that contributes most to a weighted-sum score, with its similarity.
        let strongest = |sim: &dyn Fn(usize) -> f32| {
            holdings
                .iter()
                .map(|h| (h.index, h.weight * sim(h.index), sim(h.index)))
                .fold(None, |best: Option<(usize, f32, f32)>, x| match best {
                    Some(b) if b.1 >= x.1 => Some(b),
                    _ => Some(x),
                })
        };
        let content = || {
            let mut out = Vec::new();
            if let Some((h, _, s)) = strongest(&|h| self.profile_similarity(h, j)) {
                out.push(format!(
                    "moves like {} (behaviour-profile similarity {s:.2})",
                    symbol(h)
                ));
            }
            if let Some(h) = holdings
                .iter()
                .find(|h| self.sectors[h.index] == self.sectors[j])
            {
                out.push(format!(
                    "same sector as {}: {}",
                    symbol(h.index),
                    self.sectors[j]
                ));
            }
            out
        };
        let collaborative = |m: Method| -> Vec<String> {
            match m {
                Method::ItemKnn => strongest(&|h| self.item_item.get(h, j).unwrap_or(0.0))
                    .map(|(h, _, s)| {
                        format!(
                            "simulated traders who hold {} tend to hold it too (co-holding similarity {s:.2})",
                            symbol(h)
                        )
                    })
                    .into_iter()
                    .collect(),
                Method::UserKnn => {
                    let near = &p.near;
                    let with = near
                        .iter()
                        .filter(|(u, _)| self.users[*u].iter().any(|i| usize::from(*i) == j))
                        .count();
                    vec![format!(
                        "held by {with} of the {} simulated traders most like this portfolio",
                        near.len()
                    )]
                }
                Method::Als => p
                    .fold
                    .as_ref()
                    .and_then(|fold| {
                        let total = fold.score(j);
                        let (k, part) = fold
                            .contributions(j)
                            .into_iter()
                            .enumerate()
                            .fold(None, |best: Option<(usize, f64)>, x| match best {
                                Some(b) if b.1 >= x.1 => Some(b),
                                _ => Some(x),
                            })?;
                        let share = if total.abs() > 1e-12 { 100.0 * part / total } else { 0.0 };
                        Some(format!(
                            "linked to {} by the simulated traders' portfolio factors ({share:.0}% of its score)",
                            symbol(holdings[k].index)
                        ))
                    })
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            }
        };
        let popular = || {
            format!(
                "held by {:.0}% of simulated traders",
                100.0 * self.popularity[j]
            )
        };
        match method {
            Method::Popularity => vec![popular()],
            Method::Content => content(),
            Method::Hybrid => {
                // Each half's reason when it carries weight, the heavier half first.
                let b = self.hybrid_weight;
                let mut first = if b < 1.0 { content() } else { Vec::new() };
                first.truncate(1);
                let second = if b > 0.0 {
                    collaborative(self.collaborative)
                } else {
                    Vec::new()
                };
                if b >= 0.5 {
                    second.into_iter().chain(first).collect()
                } else {
                    first.into_iter().chain(second).collect()
                }
            }
            m => collaborative(m),
        }
    }
}

/// Parses a typed portfolio: items separated by commas, semicolons or new lines, each a symbol
/// with an optional weight after a space, `:` or `=` (`"BTC 0.6, ETH 40%, SOL"`); a percentage is
/// divided by 100. Symbols are checked later, against the model.
pub fn parse_holdings(text: &str) -> Result<Vec<(String, Option<f64>)>, String> {
    let mut out = Vec::new();
    for item in text.split([',', ';', '\n']) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let mut parts = item
            .split(|c: char| c.is_whitespace() || c == ':' || c == '=')
            .filter(|p| !p.is_empty());
        let symbol = parts.next().unwrap_or_default().to_uppercase();
        let weight = match parts.next() {
            None => None,
            Some(w) => {
                let (number, scale) = match w.strip_suffix('%') {
                    Some(n) => (n, 100.0),
                    None => (w, 1.0),
                };
                let value: f64 = number
                    .parse()
                    .map_err(|_| format!("{symbol}: {w:?} is not a weight"))?;
                Some(value / scale)
            }
        };
        if let Some(extra) = parts.next() {
            return Err(format!(
                "{symbol}: unexpected {extra:?} (write e.g. \"BTC 0.6, ETH 0.4\")"
            ));
        }
        out.push((symbol, weight));
    }
    Ok(out)
}

/// Per-portfolio work shared by the scores and the reasons.
struct Prepared {
    near: Vec<(usize, f32)>,
    fold: Option<FoldIn>,
}

/// A folded-in portfolio.
struct FoldIn {
    user: Vec<f64>,
    /// `A⁻¹ y_h` per holding.
    explain: Vec<Vec<f64>>,
    confidence: Vec<f64>,
    y: Vec<Vec<f64>>,
}

impl FoldIn {
    fn score(&self, j: usize) -> f64 {
        dot(&self.y[j], &self.user)
    }

    fn contributions(&self, j: usize) -> Vec<f64> {
        self.explain
            .iter()
            .zip(&self.confidence)
            .map(|(z, c)| c * dot(&self.y[j], z))
            .collect()
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Min-max scaling of the candidates' scores to 0..1 (held tokens get 0); all equal → all 0.
fn normalised(scores: &[f32], held: impl Fn(usize) -> bool) -> Vec<f32> {
    let candidates = || {
        scores
            .iter()
            .enumerate()
            .filter(|(j, _)| !held(*j))
            .map(|(_, s)| *s)
    };
    let lo = candidates().fold(f32::INFINITY, f32::min);
    let hi = candidates().fold(f32::NEG_INFINITY, f32::max);
    scores
        .iter()
        .enumerate()
        .map(|(j, s)| {
            if held(j) || hi <= lo {
                0.0
            } else {
                (s - lo) / (hi - lo)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four tokens: A and B behave alike, C is the opposite of A, D is orthogonal; traders
    /// {A, B}, {A, B, C}, {C, D}.
    fn model() -> TokenModel {
        let n = 4;
        let content = Int8Rows::from_dense(&[
            vec![1.0, 0.0],
            vec![0.9, 0.1],
            vec![-1.0, 0.0],
            vec![0.0, 1.0],
        ])
        .expect("content");
        let users: Vec<Vec<u16>> = vec![vec![0, 1], vec![0, 1, 2], vec![2, 3]];
        // Co-holding cosine between item columns.
        let cols: Vec<Vec<f32>> = (0..n)
            .map(|i| {
                users
                    .iter()
                    .map(|u| f32::from(u8::from(u.contains(&(i as u16)))))
                    .collect()
            })
            .collect();
        let cos = |a: &[f32], b: &[f32]| {
            let d: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            let n = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>().sqrt();
            d / (n(a) * n(b))
        };
        let item_item: Vec<Vec<f32>> = (0..n)
            .map(|i| (0..n).map(|j| cos(&cols[i], &cols[j])).collect())
            .collect();
        TokenModel {
            symbols: ["AAA", "BBB", "CCC", "DDD"].map(String::from).to_vec(),
            sectors: ["x", "x", "y", "z"].map(String::from).to_vec(),
            profile_features: vec!["f1".into(), "f2".into()],
            content,
            item_item: Int8Rows::from_dense(&item_item).expect("item"),
            users,
            user_neighbours: 2,
            factors: Int8Rows::from_dense(&[
                vec![1.0, 0.0],
                vec![1.0, 0.1],
                vec![0.5, 0.5],
                vec![0.0, 1.0],
            ])
            .expect("factors"),
            als_regularization: 0.1,
            als_alpha: 10.0,
            popularity: vec![2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0],
            collaborative: Method::ItemKnn,
            hybrid_weight: 0.5,
        }
    }

    #[test]
    fn holdings_are_resolved_and_normalised() {
        let m = model();
        let h = m
            .holdings(&[("aaa", Some(3.0)), ("CCC", None), ("AAA", Some(1.0))])
            .expect("ok");
        // CCC's missing weight is 1/3; AAA's 3 + 1 are summed; then scaled to sum 1.
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].index, 0);
        assert!((h[0].weight - 4.0 / (4.0 + 1.0 / 3.0)).abs() < 1e-6);
        assert_eq!(
            m.holdings(&[("AAA", None), ("XYZ", None), ("QQ", None)]),
            Err(HoldingsError::Unknown(vec!["XYZ".into(), "QQ".into()]))
        );
        assert_eq!(m.holdings(&[]), Err(HoldingsError::Empty));
        assert_eq!(
            m.holdings(&[("AAA", Some(0.0))]),
            Err(HoldingsError::Weight("AAA".into()))
        );
        assert_eq!(
            m.holdings(&[("AAA", None), ("BBB", None), ("CCC", None), ("DDD", None)]),
            Err(HoldingsError::Everything)
        );
    }

    #[test]
    fn content_scores_are_weighted_cosines() {
        let m = model();
        let h = m.holdings(&[("AAA", None)]).expect("ok");
        let s = m.scores(&h, Method::Content);
        // cos(A, B) = 0.9 / sqrt(0.82) ≈ 0.9939, cos(A, C) = −1, cos(A, D) = 0 (int8 rounding).
        assert!((s[1] - 0.9939).abs() < 0.01, "{s:?}");
        assert!((s[2] + 1.0).abs() < 1e-6 && s[3].abs() < 1e-6);
        let top = m.recommend(&h, Method::Content, 2);
        assert_eq!(top.iter().map(|x| x.index).collect::<Vec<_>>(), vec![1, 3]);
        assert!(top[0].reasons[0].starts_with("moves like AAA"));
        assert!(top[0].reasons[1].contains("same sector as AAA: x"));
    }

    #[test]
    fn user_and_item_knn_by_hand() {
        let m = model();
        let h = m.holdings(&[("CCC", None)]).expect("ok");
        // Traders holding C: {A,B,C} (cos 1/√3 ≈ 0.577) and {C,D} (1/√2 ≈ 0.707).
        let s = m.scores(&h, Method::UserKnn);
        assert!(
            (s[3] - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-3 && (s[0] - 0.5774).abs() < 1e-3,
            "{s:?}"
        );
        let top = m.recommend(&h, Method::UserKnn, 3);
        assert_eq!(
            top.iter().map(|x| x.index).collect::<Vec<_>>(),
            vec![3, 0, 1]
        );
        assert_eq!(
            top[0].reasons,
            vec!["held by 1 of the 2 simulated traders most like this portfolio"]
        );
        // Item-item: cos(C, D) = 1/√2, cos(C, A) = 1/2.
        let s = m.scores(&h, Method::ItemKnn);
        assert!(
            (s[3] - std::f32::consts::FRAC_1_SQRT_2).abs() < 0.01 && (s[0] - 0.5).abs() < 0.01,
            "{s:?}"
        );
    }

    #[test]
    fn als_fold_in_solves_the_normal_equations() {
        let m = model();
        let h = m.holdings(&[("DDD", None)]).expect("ok");
        // YᵀY + λI with Y dequantized, plus (c − 1) y_D y_Dᵀ with c = 1 + 10; b = c y_D.
        let y: Vec<Vec<f64>> = (0..4)
            .map(|i| m.factors.dense(i).into_iter().map(f64::from).collect())
            .collect();
        let mut a = [0.1, 0.0, 0.0, 0.1];
        for r in &y {
            a[0] += r[0] * r[0];
            a[1] += r[0] * r[1];
            a[2] += r[1] * r[0];
            a[3] += r[1] * r[1];
        }
        a[3] += 10.0 * y[3][1] * y[3][1];
        let b = [11.0 * y[3][0], 11.0 * y[3][1]];
        let det = a[0] * a[3] - a[1] * a[2];
        let u = [
            (a[3] * b[0] - a[1] * b[1]) / det,
            (a[0] * b[1] - a[2] * b[0]) / det,
        ];
        let s = m.scores(&h, Method::Als);
        for j in 0..4 {
            let want = y[j][0] * u[0] + y[j][1] * u[1];
            assert!(
                (f64::from(s[j]) - want).abs() < 1e-5,
                "{j}: {} vs {want}",
                s[j]
            );
        }
        let top = m.recommend(&h, Method::Als, 1);
        assert_eq!(top[0].index, 2); // C shares D's second factor
        assert!(top[0].reasons[0].contains("linked to DDD"));
        assert!(top[0].reasons[0].contains("100% of its score"));
    }

    #[test]
    fn hybrid_blends_normalised_scores_and_skips_holdings() {
        let m = model();
        let h = m.holdings(&[("AAA", None)]).expect("ok");
        let s = m.scores(&h, Method::Hybrid);
        assert_eq!(s[0], 0.0);
        let top = m.recommend(&h, Method::Hybrid, 10);
        assert_eq!(top.len(), 3);
        assert!(top.iter().all(|x| x.index != 0));
        assert_eq!(top[0].index, 1); // best on both halves: score 1
        assert!((top[0].score - 1.0).abs() < 1e-6);
        let pop = m.recommend(&h, Method::Popularity, 1);
        assert_eq!(pop[0].reasons, vec!["held by 67% of simulated traders"]);
    }

    #[test]
    fn typed_portfolios_parse() {
        assert_eq!(
            parse_holdings("btc 0.6, ETH:40%;sol\n  DOT=2 ,").expect("ok"),
            vec![
                ("BTC".to_string(), Some(0.6)),
                ("ETH".to_string(), Some(0.4)),
                ("SOL".to_string(), None),
                ("DOT".to_string(), Some(2.0)),
            ]
        );
        assert_eq!(parse_holdings("  ").expect("ok"), vec![]);
        assert!(parse_holdings("BTC lots")
            .unwrap_err()
            .contains("not a weight"));
        assert!(parse_holdings("BTC 1 2")
            .unwrap_err()
            .contains("unexpected"));
    }

    #[test]
    fn bytes_round_trip_and_checks() {
        let m = model();
        let bytes = m.to_bytes();
        assert_eq!(TokenModel::from_bytes(&bytes).expect("decode"), m);
        assert!(TokenModel::from_bytes(&bytes[..bytes.len() / 2]).is_err());
        let mut bad = m.clone();
        bad.users.push(vec![9]);
        assert!(TokenModel::from_bytes(&bad.to_bytes()).is_err());
        assert_eq!(Method::from_key("user_knn"), Some(Method::UserKnn));
        assert_eq!(Method::from_key("nope"), None);
    }
}
