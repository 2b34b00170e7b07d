//! A seeded population of *simulated* traders. There is no public data of who holds which
//! tokens, so collaborative filtering is trained and evaluated on traders drawn from documented
//! behavioural archetypes; each archetype prefers tokens by the real data's behaviour (the
//! standardised profiles) or by sector. Every page and report that shows them says "simulated".

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::profile::{sector, Profiles};

/// Profile columns the archetypes read (see [`super::profile::PROFILE_FEATURES`]).
const VOLATILITY: usize = 0;
const BETA: usize = 1;
const MOMENTUM_90: usize = 5;
const MARKET_CAP: usize = 8;

/// A kind of trader: how many tokens they hold and how much they like each token.
pub struct Archetype {
    pub name: &'static str,
    pub description: &'static str,
    /// Share of the population.
    pub share: f64,
    /// Portfolio size, inclusive.
    pub size: (usize, usize),
    affinity: fn(&str, &[f64]) -> f64,
}

fn by_sector(sec: &str, table: &[(&str, f64)], otherwise: f64) -> f64 {
    table
        .iter()
        .find(|(s, _)| *s == sec)
        .map_or(otherwise, |t| t.1)
}

/// The archetypes, their shares summing to 1.
pub const ARCHETYPES: [Archetype; 8] = [
    Archetype {
        name: "blue chip",
        description: "large, established tokens: affinity e^(1.5 z(market cap)); stablecoins ×0.2",
        share: 0.25,
        size: (2, 5),
        affinity: |symbol, z| {
            let s = if sector(symbol) == "stablecoin" { 0.2 } else { 1.0 };
            s * (1.5 * z[MARKET_CAP]).exp()
        },
    },
    Archetype {
        name: "momentum",
        description: "chases the strongest 90-day returns: e^(2 z(90-day return)); stablecoins ×0.05",
        share: 0.15,
        size: (3, 6),
        affinity: |symbol, z| {
            let s = if sector(symbol) == "stablecoin" { 0.05 } else { 1.0 };
            s * (2.0 * z[MOMENTUM_90]).exp()
        },
    },
    Archetype {
        name: "DeFi",
        description: "DeFi tokens ×8 and Ethereum ×4, the rest 0.3",
        share: 0.12,
        size: (3, 6),
        affinity: |symbol, _| {
            if symbol == "ETH" {
                4.0
            } else {
                by_sector(sector(symbol), &[("DeFi", 8.0)], 0.3)
            }
        },
    },
    Archetype {
        name: "privacy",
        description: "Monero ×12, payment coins ×3, Bitcoin ×2, the rest 0.3",
        share: 0.05,
        size: (2, 4),
        affinity: |symbol, _| {
            if symbol == "BTC" {
                2.0
            } else {
                by_sector(sector(symbol), &[("privacy", 12.0), ("payments", 3.0)], 0.3)
            }
        },
    },
    Archetype {
        name: "stablecoin-heavy",
        description: "stablecoins ×10, Bitcoin and Ethereum ×3, the rest 0.2",
        share: 0.10,
        size: (2, 4),
        affinity: |symbol, _| match symbol {
            "BTC" | "ETH" => 3.0,
            _ => by_sector(sector(symbol), &[("stablecoin", 10.0)], 0.2),
        },
    },
    Archetype {
        name: "high beta",
        description: "the most volatile, BTC-amplifying tokens: e^(1.5 z(beta) + z(volatility)); stablecoins ×0.01",
        share: 0.13,
        size: (3, 7),
        affinity: |symbol, z| {
            let s = if sector(symbol) == "stablecoin" { 0.01 } else { 1.0 };
            s * (1.5 * z[BETA] + z[VOLATILITY]).exp()
        },
    },
    Archetype {
        name: "platform",
        description: "smart-contract platforms ×6, the rest 0.5",
        share: 0.12,
        size: (3, 6),
        affinity: |symbol, _| by_sector(sector(symbol), &[("smart-contract platform", 6.0)], 0.5),
    },
    Archetype {
        name: "payments",
        description: "payment coins ×6, meme coins ×4, the rest 0.4",
        share: 0.08,
        size: (2, 5),
        affinity: |symbol, _| {
            by_sector(sector(symbol), &[("payments", 6.0), ("meme", 4.0)], 0.4)
        },
    },
];

/// Probability that a slot of a portfolio is filled uniformly at random instead of by affinity.
pub const EXPLORATION: f64 = 0.1;

/// A simulated trader: an archetype and `(token index, weight)` holdings, weights summing to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Trader {
    pub archetype: usize,
    pub holdings: Vec<(usize, f64)>,
}

/// `count` traders, archetypes drawn by share, tokens drawn without replacement by affinity
/// (with [`EXPLORATION`]), weights exponential(1) normalised. Same seed, same population.
pub fn simulate(profiles: &Profiles, count: usize, seed: u64) -> Vec<Trader> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let n = profiles.symbols.len();
    let affinities: Vec<Vec<f64>> = ARCHETYPES
        .iter()
        .map(|a| {
            profiles
                .symbols
                .iter()
                .zip(&profiles.z)
                .map(|(s, z)| (a.affinity)(s, z).max(0.0))
                .collect()
        })
        .collect();
    (0..count)
        .map(|_| {
            let mut pick: f64 = rng.gen();
            let archetype = ARCHETYPES
                .iter()
                .position(|a| {
                    pick -= a.share;
                    pick < 0.0
                })
                .unwrap_or(ARCHETYPES.len() - 1);
            let (lo, hi) = ARCHETYPES[archetype].size;
            let size = rng.gen_range(lo..=hi).min(n);
            let mut free: Vec<usize> = (0..n).collect();
            let mut holdings = Vec::with_capacity(size);
            for _ in 0..size {
                let weights: Vec<f64> = if rng.gen::<f64>() < EXPLORATION {
                    vec![1.0; free.len()]
                } else {
                    free.iter().map(|i| affinities[archetype][*i]).collect()
                };
                let total: f64 = weights.iter().sum();
                let mut at = rng.gen::<f64>() * total;
                let slot = weights
                    .iter()
                    .position(|w| {
                        at -= w;
                        at < 0.0
                    })
                    .unwrap_or(free.len() - 1);
                let token = free.remove(slot);
                let weight = -(1.0 - rng.gen::<f64>()).ln();
                holdings.push((token, weight));
            }
            let total: f64 = holdings.iter().map(|h| h.1).sum();
            for h in &mut holdings {
                h.1 /= total;
            }
            holdings.sort_by_key(|h| h.0);
            Trader {
                archetype,
                holdings,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profiles() -> Profiles {
        // Six known tokens, then 14 of sector "other".
        let mut symbols: Vec<String> = ["AAVE", "BTC", "ETH", "UNI", "USDT", "XMR"]
            .map(String::from)
            .to_vec();
        symbols.extend((0..14).map(|i| format!("F{i:02}")));
        let z = vec![vec![0.0; 11]; symbols.len()];
        Profiles {
            raw: vec![vec![None; 11]; symbols.len()],
            symbols,
            z,
            to: "2021-07-06".into(),
        }
    }

    #[test]
    fn shares_sum_to_one_and_the_population_is_seeded() {
        let total: f64 = ARCHETYPES.iter().map(|a| a.share).sum();
        assert!((total - 1.0).abs() < 1e-12);
        let p = profiles();
        let a = simulate(&p, 500, 7);
        assert_eq!(a, simulate(&p, 500, 7));
        assert_ne!(a, simulate(&p, 500, 8));
        for t in &a {
            let (lo, hi) = ARCHETYPES[t.archetype].size;
            assert!(t.holdings.len() >= lo && t.holdings.len() <= hi);
            let w: f64 = t.holdings.iter().map(|h| h.1).sum();
            assert!((w - 1.0).abs() < 1e-9);
            let mut ids: Vec<usize> = t.holdings.iter().map(|h| h.0).collect();
            ids.dedup();
            assert_eq!(ids.len(), t.holdings.len());
        }
    }

    #[test]
    fn archetypes_prefer_their_sectors() {
        let p = profiles();
        let traders = simulate(&p, 3000, 1);
        let share = |arch: &str, token: usize| {
            let of: Vec<&Trader> = traders
                .iter()
                .filter(|t| ARCHETYPES[t.archetype].name == arch)
                .collect();
            of.iter()
                .filter(|t| t.holdings.iter().any(|h| h.0 == token))
                .count() as f64
                / of.len() as f64
        };
        // DeFi traders hold UNI far more often than USDT; privacy traders hold XMR most.
        assert!(share("DeFi", 3) > 2.0 * share("DeFi", 4));
        assert!(share("privacy", 5) > 0.8);
        assert!(share("stablecoin-heavy", 4) > share("stablecoin-heavy", 0));
    }
}
