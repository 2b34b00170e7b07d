//! Units of measure as recipes write them, normalised: `tablespoons`, `Tbsp`, `T` → tablespoon;
//! mass units convert to grams and volume units to millilitres exactly (US customary volumes,
//! since most recipes here are American: a cup is 236.6 ml; UK recipes give metric amounts
//! first). Counted units (`clove`, `can`, `slice`...) are kept by name: what one weighs depends
//! on the food and comes from USDA's household measures (`mmi_nutrition::recipe`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    Gram,
    Kilogram,
    Milligram,
    Ounce,
    Pound,
    Millilitre,
    Centilitre,
    Decilitre,
    Litre,
    Teaspoon,
    Tablespoon,
    Cup,
    FluidOunce,
    Pint,
    Quart,
    Gallon,
    Pinch,
    Dash,
    /// A counted thing with a name (`clove`, `can`, `slice`, `bunch`...).
    Count(CountUnit),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CountUnit {
    Clove,
    Can,
    Jar,
    Package,
    Bottle,
    Slice,
    Piece,
    Stick,
    Bunch,
    Sprig,
    Handful,
    Head,
    Stalk,
    Bulb,
    Sheet,
    Leaf,
    Fillet,
    Rasher,
    Cube,
    Knob,
    Ear,
    Loaf,
    Drop,
}

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Mass,
    Volume,
    Count,
}

impl Unit {
    /// Recognises a unit word (any case, singular or plural). Case matters only for the
    /// cookbook abbreviations `t` (teaspoon) and `T` (tablespoon).
    pub fn parse(word: &str) -> Option<Unit> {
        use CountUnit::*;
        use Unit::*;
        if word == "T" || word == "Tb" || word == "TB" {
            return Some(Tablespoon);
        }
        if word == "t" {
            return Some(Teaspoon);
        }
        let w = word.to_lowercase();
        let w = w.trim_end_matches('.');
        Some(match w {
            "g" | "gr" | "grs" | "gram" | "grams" | "gramme" | "grammes" => Gram,
            "kg" | "kgs" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogramme"
            | "kilogrammes" => Kilogram,
            "mg" | "milligram" | "milligrams" => Milligram,
            "oz" | "ozs" | "ounce" | "ounces" => Ounce,
            "lb" | "lbs" | "pound" | "pounds" | "ib" => Pound,
            "ml" | "mls" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => {
                Millilitre
            }
            "cl" | "centilitre" | "centilitres" | "centiliter" | "centiliters" => Centilitre,
            "dl" | "decilitre" | "decilitres" | "deciliter" | "deciliters" => Decilitre,
            "l" | "litre" | "litres" | "liter" | "liters" | "ltr" => Litre,
            "tsp" | "tsps" | "teaspoon" | "teaspoons" | "teaspoonful" | "teaspoonfuls" => Teaspoon,
            "tbsp" | "tbsps" | "tbs" | "tbl" | "tablespoon" | "tablespoons" | "tablespoonful"
            | "tablespoonfuls" | "dsp" => Tablespoon,
            "cup" | "cups" | "c" => Cup,
            "floz" => FluidOunce,
            "pint" | "pints" | "pt" | "pts" => Pint,
            "quart" | "quarts" | "qt" | "qts" => Quart,
            "gallon" | "gallons" | "gal" => Gallon,
            "pinch" | "pinches" => Pinch,
            "dash" | "dashes" | "splash" | "splashes" => Dash,
            "clove" | "cloves" => Count(Clove),
            "can" | "cans" | "tin" | "tins" => Count(Can),
            "jar" | "jars" => Count(Jar),
            "package" | "packages" | "packet" | "packets" | "pkg" | "pack" | "packs" | "box"
            | "boxes" | "bag" | "bags" | "carton" | "cartons" | "container" | "containers" => {
                Count(Package)
            }
            "bottle" | "bottles" => Count(Bottle),
            "slice" | "slices" => Count(Slice),
            "piece" | "pieces" | "chunk" | "chunks" => Count(Piece),
            "stick" | "sticks" => Count(Stick),
            "bunch" | "bunches" | "bundle" => Count(Bunch),
            "sprig" | "sprigs" => Count(Sprig),
            "handful" | "handfuls" => Count(Handful),
            "head" | "heads" => Count(Head),
            "stalk" | "stalks" | "rib" | "ribs" => Count(Stalk),
            "bulb" | "bulbs" => Count(Bulb),
            "sheet" | "sheets" => Count(Sheet),
            "leaf" | "leaves" => Count(Leaf),
            "fillet" | "fillets" | "filet" | "filets" => Count(Fillet),
            "rasher" | "rashers" | "strip" | "strips" => Count(Rasher),
            "cube" | "cubes" => Count(Cube),
            "knob" | "knobs" => Count(Knob),
            "ear" | "ears" => Count(Ear),
            "loaf" | "loaves" => Count(Loaf),
            "drop" | "drops" => Count(Drop),
            _ => return None,
        })
    }

    pub fn dimension(self) -> Dimension {
        match self {
            Unit::Gram | Unit::Kilogram | Unit::Milligram | Unit::Ounce | Unit::Pound => {
                Dimension::Mass
            }
            Unit::Count(_) => Dimension::Count,
            _ => Dimension::Volume,
        }
    }

    /// Grams in one of this unit, for mass units.
    pub fn grams(self) -> Option<f64> {
        Some(match self {
            Unit::Gram => 1.0,
            Unit::Kilogram => 1000.0,
            Unit::Milligram => 0.001,
            Unit::Ounce => 28.349_523_125,
            Unit::Pound => 453.592_37,
            _ => return None,
        })
    }

    /// Millilitres in one of this unit, for volume units (US customary; a pinch is 1/16 and a
    /// dash 1/8 of a teaspoon, the usual cookbook conventions).
    pub fn millilitres(self) -> Option<f64> {
        const TSP: f64 = 4.928_921_593_75;
        Some(match self {
            Unit::Millilitre => 1.0,
            Unit::Centilitre => 10.0,
            Unit::Decilitre => 100.0,
            Unit::Litre => 1000.0,
            Unit::Teaspoon => TSP,
            Unit::Tablespoon => 3.0 * TSP,
            Unit::FluidOunce => 6.0 * TSP,
            Unit::Cup => 48.0 * TSP,
            Unit::Pint => 96.0 * TSP,
            Unit::Quart => 192.0 * TSP,
            Unit::Gallon => 768.0 * TSP,
            Unit::Pinch => TSP / 16.0,
            Unit::Dash => TSP / 8.0,
            _ => return None,
        })
    }

    /// The unit's name, singular, as the API reports it.
    pub fn name(self) -> &'static str {
        use CountUnit::*;
        match self {
            Unit::Gram => "g",
            Unit::Kilogram => "kg",
            Unit::Milligram => "mg",
            Unit::Ounce => "oz",
            Unit::Pound => "lb",
            Unit::Millilitre => "ml",
            Unit::Centilitre => "cl",
            Unit::Decilitre => "dl",
            Unit::Litre => "l",
            Unit::Teaspoon => "tsp",
            Unit::Tablespoon => "tbsp",
            Unit::Cup => "cup",
            Unit::FluidOunce => "fl oz",
            Unit::Pint => "pint",
            Unit::Quart => "quart",
            Unit::Gallon => "gallon",
            Unit::Pinch => "pinch",
            Unit::Dash => "dash",
            Unit::Count(c) => match c {
                Clove => "clove",
                Can => "can",
                Jar => "jar",
                Package => "package",
                Bottle => "bottle",
                Slice => "slice",
                Piece => "piece",
                Stick => "stick",
                Bunch => "bunch",
                Sprig => "sprig",
                Handful => "handful",
                Head => "head",
                Stalk => "stalk",
                Bulb => "bulb",
                Sheet => "sheet",
                Leaf => "leaf",
                Fillet => "fillet",
                Rasher => "slice",
                Cube => "cube",
                Knob => "knob",
                Ear => "ear",
                Loaf => "loaf",
                Drop => "drop",
            },
        }
    }

    /// Containers whose size is often given beside them: `1 (14-ounce) can`.
    pub fn is_container(self) -> bool {
        matches!(
            self,
            Unit::Count(CountUnit::Can | CountUnit::Jar | CountUnit::Package | CountUnit::Bottle)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn spellings_normalise() {
        assert_eq!(Unit::parse("Tablespoons"), Some(Unit::Tablespoon));
        assert_eq!(Unit::parse("tbsp."), Some(Unit::Tablespoon));
        assert_eq!(Unit::parse("T"), Some(Unit::Tablespoon));
        assert_eq!(Unit::parse("t"), Some(Unit::Teaspoon));
        assert_eq!(Unit::parse("mL"), Some(Unit::Millilitre));
        assert_eq!(Unit::parse("lbs"), Some(Unit::Pound));
        assert_eq!(Unit::parse("tins"), Some(Unit::Count(CountUnit::Can)));
        assert_eq!(Unit::parse("onion"), None);
    }

    #[test]
    fn conversions() {
        assert_relative_eq!(Unit::Cup.millilitres().unwrap(), 236.588, epsilon = 1e-3);
        assert_relative_eq!(
            Unit::Tablespoon.millilitres().unwrap(),
            14.787,
            epsilon = 1e-3
        );
        assert_relative_eq!(
            Unit::FluidOunce.millilitres().unwrap(),
            29.574,
            epsilon = 1e-3
        );
        assert_relative_eq!(
            Unit::Pound.grams().unwrap(),
            16.0 * Unit::Ounce.grams().unwrap(),
            epsilon = 1e-9
        );
        assert_eq!(Unit::Cup.grams(), None);
        assert_eq!(Unit::Count(CountUnit::Clove).dimension(), Dimension::Count);
    }
}
