//! The ingredient parser as the server and the browser run it: a tokenizer that keeps
//! quantities whole, hashed token features, a linear-chain CRF tagging each token QTY, UNIT,
//! SIZE, NAME, PREP, COMMENT, PURPOSE or OTHER, and the normalisation of quantities and units.
//! Training is on the server (`mmi_nutrition::recipe::tagger`).

mod crf;
mod features;
mod parse;
mod quantity;
mod tokenize;
mod units;

pub use crf::{Crf, Lattice, QuantizedCrf};
pub use features::{size_word, stem, token_features, FeatureSet};
pub use parse::{
    assemble, encode_model, Amount, Field, IngredientModelError, IngredientParser, Label,
    ParsedLine, TaggedToken, BUCKETS, LABELS,
};
pub use quantity::{number_word, parse_quantity, Quantity};
pub use tokenize::{tokenize_ingredient, vulgar_fraction, Token, TokenKind};
pub use units::{CountUnit, Dimension, Unit};
