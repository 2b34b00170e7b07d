//! The server functions' answer encoding: JSON, as with server_fn's own `Json`, but decoded in
//! the browser from a `&str`. A resource hydrated from the page decodes its value from a `&str`
//! (codee's `JsonSerdeCodec`) while server_fn's `Json` decodes from bytes, and serde_json
//! monomorphises its deserializer per reader: with both, every answer type was compiled twice
//! into the bundle (192 `deserialize_struct` bodies, about 600 KB of 4.2 MB before wasm-opt).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{de::DeserializeOwned, Serialize};

/// JSON over `POST`, decoded from text: `#[server(output = Json)]` (or `input = Json, output = Json`).
pub type Json = Post<JsonText>;

/// The encoding behind [`Json`].
pub struct JsonText;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = String;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}
