//! Technical indicators, as TA-Lib defines them.

mod bands;
mod macd;
mod moving;
mod oscillators;
mod volume;

pub use bands::{bollinger, Bollinger};
pub use macd::{macd, Macd};
pub use moving::{ema, sma};
pub use oscillators::{momentum, rsi};
pub use volume::{obv, pvt, volume_ratio};
