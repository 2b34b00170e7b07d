//! Implicit-feedback alternating least squares (Hu, Koren & Volinsky, "Collaborative Filtering
//! for Implicit Feedback Datasets", ICDM 2008): preference 1 for a held token, confidence
//! `1 + α · w · |portfolio|` (a trader's weights sum to 1, so an equal-weight portfolio gives every
//! holding `1 + α`), the same rule `mmi_rank::tokens` uses to fold in a new portfolio.

use mmi_rank::linalg::solve_spd;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The item factors (`n_items × factors`) after `iterations` alternating solves.
pub fn train(
    users: &[Vec<(usize, f64)>],
    n_items: usize,
    factors: usize,
    lambda: f32,
    alpha: f32,
    iterations: usize,
    seed: u64,
) -> Vec<Vec<f64>> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut init = |count: usize| -> Vec<Vec<f64>> {
        (0..count)
            .map(|_| (0..factors).map(|_| rng.gen_range(-0.1..0.1)).collect())
            .collect()
    };
    let mut x = init(users.len());
    let mut y = init(n_items);
    let (lambda, alpha) = (f64::from(lambda), f64::from(alpha));
    let confidence = |w: f64, len: usize| 1.0 + alpha * w * len as f64;
    // Per item, its holders: (user, confidence).
    let mut holders: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_items];
    for (u, items) in users.iter().enumerate() {
        for (i, w) in items {
            holders[*i].push((u, confidence(*w, items.len())));
        }
    }
    for _ in 0..iterations {
        let gram_y = gram(&y, factors, lambda);
        for (u, items) in users.iter().enumerate() {
            let parts: Vec<(&[f64], f64)> = items
                .iter()
                .map(|(i, w)| (y[*i].as_slice(), confidence(*w, items.len())))
                .collect();
            if let Some(v) = solve_one(&gram_y, &parts, factors) {
                x[u] = v;
            }
        }
        let gram_x = gram(&x, factors, lambda);
        for (i, hs) in holders.iter().enumerate() {
            let parts: Vec<(&[f64], f64)> =
                hs.iter().map(|(u, c)| (x[*u].as_slice(), *c)).collect();
            if let Some(v) = solve_one(&gram_x, &parts, factors) {
                y[i] = v;
            }
        }
    }
    y
}

/// `MᵀM + λI`.
fn gram(m: &[Vec<f64>], f: usize, lambda: f64) -> Vec<f64> {
    let mut g = vec![0.0; f * f];
    for row in m {
        for r in 0..f {
            for c in 0..f {
                g[r * f + c] += row[r] * row[c];
            }
        }
    }
    for d in 0..f {
        g[d * f + d] += lambda;
    }
    g
}

/// `(G + Σ (c − 1) v vᵀ)⁻¹ Σ c v` over the observed `(v, c)`.
fn solve_one(g: &[f64], parts: &[(&[f64], f64)], f: usize) -> Option<Vec<f64>> {
    let mut a = g.to_vec();
    let mut b = vec![0.0; f];
    for (v, c) in parts {
        for r in 0..f {
            for col in 0..f {
                a[r * f + col] += (c - 1.0) * v[r] * v[col];
            }
            b[r] += c * v[r];
        }
    }
    solve_spd(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_communities_get_separated_factors() {
        // Users 0..20 hold items {0, 1}, users 20..40 hold {2, 3}.
        let users: Vec<Vec<(usize, f64)>> = (0..40)
            .map(|u| {
                let base = if u < 20 { 0 } else { 2 };
                vec![(base, 0.5), (base + 1, 0.5)]
            })
            .collect();
        let y = train(&users, 4, 2, 0.1, 10.0, 10, 1);
        let cos = |a: &[f64], b: &[f64]| {
            let d: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
            let n = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
            d / (n(a) * n(b))
        };
        assert!(cos(&y[0], &y[1]) > 0.95);
        assert!(cos(&y[2], &y[3]) > 0.95);
        assert!(cos(&y[0], &y[2]).abs() < 0.3);
    }
}
