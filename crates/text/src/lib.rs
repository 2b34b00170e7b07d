//! Text preprocessing for the sentiment models, the same on the server (training, the API) and
//! in the browser (scoring typed headlines): a tokenizer, English stop words that keep the
//! negations sentiment depends on, a vocabulary fitted on training texts only, and TF-IDF.
//!
//! [`ingredient`] parses recipe ingredient lines (tokenizer, CRF tagger, quantities and units).
//! [`sentiment`] holds the trained sentiment models in the form both sides score them with.
//!
//! No IO, and nothing that does not compile to wasm32.

pub mod ingredient;
pub mod sentiment;
mod stop;
mod tfidf;
mod tokenize;
mod vocab;

pub use stop::{is_stop_word, STOP_WORDS};
pub use tfidf::TfIdf;
pub use tokenize::{tokenize, tokens_without_stop_words, NUMBER};
pub use vocab::Vocabulary;
