//! When fresh produce is in season, for one named region: the **United States**, after the USDA
//! SNAP-Ed Connection "Seasonal Produce Guide" (fruits and vegetables by season), with
//! meteorological seasons (spring March–May, summer June–August, fall September–November, winter
//! December–February). A produce line is recognised by its head noun (the name's last word, or
//! last two: `butternut squash`, `sweet potatoes`); canned, frozen or dried produce is year-round
//! and not counted.

use mmi_text::ingredient::stem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

use Season::*;

/// The region the table describes.
pub const REGION: &str = "United States (USDA SNAP-Ed Seasonal Produce Guide)";

/// Produce (singular, lower case) and its seasons.
const PRODUCE: &[(&str, &[Season])] = &[
    ("apple", &[Summer, Fall, Winter]),
    ("apricot", &[Spring, Summer]),
    ("asparagus", &[Spring]),
    ("avocado", &[Spring, Summer, Winter]),
    ("banana", &[Spring, Summer, Fall, Winter]),
    ("beet", &[Summer, Fall, Winter]),
    ("bell pepper", &[Summer, Fall]),
    ("blackberry", &[Summer]),
    ("blueberry", &[Summer]),
    ("broccoli", &[Spring, Fall]),
    ("brussels sprout", &[Fall, Winter]),
    ("cabbage", &[Spring, Fall, Winter]),
    ("cantaloupe", &[Summer]),
    ("carrot", &[Spring, Summer, Fall, Winter]),
    ("cauliflower", &[Fall]),
    ("celery", &[Spring, Summer, Fall, Winter]),
    ("chard", &[Spring, Fall, Winter]),
    ("cherry", &[Summer]),
    ("collard", &[Spring, Fall, Winter]),
    ("corn", &[Summer]),
    ("courgette", &[Summer]),
    ("cranberry", &[Fall]),
    ("cucumber", &[Summer]),
    ("eggplant", &[Summer]),
    ("garlic", &[Spring, Summer, Fall]),
    ("ginger", &[Fall]),
    ("grape", &[Fall]),
    ("grapefruit", &[Winter]),
    ("green bean", &[Summer, Fall]),
    ("honeydew", &[Summer]),
    ("kale", &[Spring, Fall, Winter]),
    ("kiwi", &[Spring, Fall, Winter]),
    ("kiwifruit", &[Spring, Fall, Winter]),
    ("leek", &[Winter]),
    ("lemon", &[Spring, Summer, Fall, Winter]),
    ("lettuce", &[Spring, Fall]),
    ("lima bean", &[Summer]),
    ("lime", &[Spring, Summer, Fall, Winter]),
    ("mango", &[Summer, Fall]),
    ("mushroom", &[Spring, Fall]),
    ("okra", &[Summer]),
    ("onion", &[Spring, Fall, Winter]),
    ("orange", &[Winter]),
    ("parsnip", &[Fall, Winter]),
    ("pea", &[Spring, Fall]),
    ("peach", &[Summer]),
    ("pear", &[Fall, Winter]),
    ("pineapple", &[Spring, Fall, Winter]),
    ("plum", &[Summer]),
    ("potato", &[Fall, Winter]),
    ("pumpkin", &[Fall, Winter]),
    ("radish", &[Spring, Fall]),
    ("raspberry", &[Summer, Fall]),
    ("rhubarb", &[Spring]),
    ("rutabaga", &[Fall, Winter]),
    ("spinach", &[Spring, Fall]),
    ("strawberry", &[Spring, Summer]),
    ("summer squash", &[Summer]),
    ("sweet potato", &[Fall, Winter]),
    ("tomatillo", &[Summer]),
    ("tomato", &[Summer]),
    ("turnip", &[Spring, Fall, Winter]),
    ("watermelon", &[Summer]),
    ("winter squash", &[Fall, Winter]),
    ("butternut squash", &[Fall, Winter]),
    ("acorn squash", &[Fall, Winter]),
    ("yam", &[Fall, Winter]),
    ("zucchini", &[Summer]),
];

/// The season of a month (1–12).
pub fn season_of(month: u32) -> Option<Season> {
    Some(match month {
        3..=5 => Spring,
        6..=8 => Summer,
        9..=11 => Fall,
        12 | 1 | 2 => Winter,
        _ => return None,
    })
}

/// The produce an ingredient name is, by its head noun, and that produce's seasons; `None` for
/// anything else or for produce that is canned, frozen or dried (`line` says so).
pub fn produce(name: &str, line: &str) -> Option<(&'static str, &'static [Season])> {
    let lower = line.to_lowercase();
    if ["canned", "frozen", "dried", "tinned", "jarred"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    let words: Vec<String> = name
        .to_lowercase()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(stem)
        .collect();
    let last = words.last()?;
    let two = (words.len() >= 2).then(|| format!("{} {last}", words[words.len() - 2]));
    let find = |key: &str| PRODUCE.iter().find(|(k, _)| *k == key).copied();
    two.as_deref().and_then(find).or_else(|| find(last))
}

/// Whether produce with `seasons` is in season in `month`.
pub fn in_season(seasons: &[Season], month: u32) -> Option<bool> {
    season_of(month).map(|s| seasons.contains(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_nouns_and_seasons() {
        assert_eq!(
            produce("cherry tomatoes", "1 cup cherry tomatoes")
                .unwrap()
                .0,
            "tomato"
        );
        assert_eq!(
            produce("butternut squash", "1 butternut squash").unwrap().0,
            "butternut squash"
        );
        assert_eq!(
            produce("sweet potatoes", "2 sweet potatoes").unwrap().0,
            "sweet potato"
        );
        assert_eq!(produce("garlic powder", "1 tsp garlic powder"), None);
        assert_eq!(
            produce("tomatoes", "1 (14-ounce) can tomatoes, canned"),
            None
        );
        assert_eq!(produce("frozen peas", "1 cup frozen peas"), None);
        let (_, tomato) = produce("tomatoes", "4 ripe tomatoes").unwrap();
        assert_eq!(in_season(tomato, 7), Some(true));
        assert_eq!(in_season(tomato, 12), Some(false));
        assert_eq!(in_season(tomato, 13), None);
        assert_eq!(season_of(2), Some(Winter));
        assert_eq!(season_of(9), Some(Fall));
    }
}
