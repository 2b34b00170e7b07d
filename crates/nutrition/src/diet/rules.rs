//! The ground-truth diet labels of a food, from documented rules over its USDA food group, words
//! of its description, and nutrient thresholds. `docs/nutrition.md` gives every rule's source or
//! rationale; the tests below check them on named SR26 foods.
//!
//! A label is `None` ("not decided") when the nutrient its rule needs is missing: such foods are
//! left out of training and evaluation for the models rather than guessed.

use serde::{Deserialize, Serialize};

use crate::features::macro_ratios;
use crate::nutrient::Nutrient;
use crate::Food;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DietLabel {
    Vegan,
    Vegetarian,
    Pescatarian,
    KetoFriendly,
    PaleoFriendly,
    GlutenFree,
    LowSodium,
    HighProtein,
}

pub const DIET_LABELS: [DietLabel; 8] = [
    DietLabel::Vegan,
    DietLabel::Vegetarian,
    DietLabel::Pescatarian,
    DietLabel::KetoFriendly,
    DietLabel::PaleoFriendly,
    DietLabel::GlutenFree,
    DietLabel::LowSodium,
    DietLabel::HighProtein,
];

impl DietLabel {
    pub fn key(self) -> &'static str {
        match self {
            DietLabel::Vegan => "vegan",
            DietLabel::Vegetarian => "vegetarian",
            DietLabel::Pescatarian => "pescatarian",
            DietLabel::KetoFriendly => "keto_friendly",
            DietLabel::PaleoFriendly => "paleo_friendly",
            DietLabel::GlutenFree => "gluten_free",
            DietLabel::LowSodium => "low_sodium",
            DietLabel::HighProtein => "high_protein",
        }
    }

    pub fn from_key(key: &str) -> Option<DietLabel> {
        DIET_LABELS.iter().copied().find(|l| l.key() == key)
    }
}

/// The eight labels of one food, in [`DIET_LABELS`] order.
pub type Labels = [Option<bool>; 8];

/// USDA SR26 food groups whose every food is meat, poultry or fish.
const MEAT_GROUPS: [&str; 5] = ["0500", "0700", "1000", "1300", "1700"];
const FISH_GROUP: &str = "1500";
const DAIRY_EGG_GROUP: &str = "0100";

const MEAT_WORDS: &[&str] = &[
    "beef",
    "pork",
    "veal",
    "lamb",
    "mutton",
    "chicken",
    "turkey",
    "duck",
    "goose",
    "ham",
    "bacon",
    "sausage",
    "salami",
    "pepperoni",
    "bologna",
    "frankfurter",
    "frank",
    "meat",
    "meatball",
    "meatloaf",
    "liver",
    "gelatin",
    "gelatine",
    "gelatins",
    "lard",
    "tallow",
    "suet",
    "venison",
    "bison",
    "buffalo",
    "rabbit",
    "goat",
    "elk",
    "deer",
    "quail",
    "pheasant",
    "ostrich",
    "emu",
    "squab",
    "caribou",
    "moose",
    "seal",
    "whale",
    "walrus",
    "beaver",
    "bear",
    "pastrami",
    "prosciutto",
    "chorizo",
    "jerky",
    "pate",
    "giblets",
    "squirrel",
    "opossum",
    "raccoon",
    "turtle",
    "frog",
    "poultry",
    "broiler",
    "capon",
    "hotdog",
    "pemmican",
    "muskrat",
];
const FISH_WORDS: &[&str] = &[
    "fish",
    "salmon",
    "tuna",
    "cod",
    "haddock",
    "halibut",
    "herring",
    "mackerel",
    "sardine",
    "anchovy",
    "anchovies",
    "trout",
    "tilapia",
    "catfish",
    "pollock",
    "flounder",
    "snapper",
    "bass",
    "carp",
    "perch",
    "pike",
    "shark",
    "swordfish",
    "roe",
    "caviar",
    "shrimp",
    "crab",
    "lobster",
    "clam",
    "oyster",
    "mussel",
    "scallop",
    "squid",
    "octopus",
    "crayfish",
    "crawfish",
    "surimi",
    "eel",
    "whitefish",
    "smelt",
    "mullet",
    "pompano",
    "grouper",
    "roughy",
    "sturgeon",
    "shad",
    "seafood",
    "cuttlefish",
    "abalone",
    "conch",
    "whelk",
    "bluefish",
    "burbot",
    "butterfish",
    "cusk",
    "dolphinfish",
    "drum",
    "croaker",
    "ling",
    "lingcod",
    "milkfish",
    "monkfish",
    "pout",
    "rockfish",
    "sablefish",
    "scup",
    "sheepshead",
    "spot",
    "sucker",
    "sunfish",
    "tilefish",
    "wolffish",
    "yellowtail",
    "cisco",
    "mahimahi",
    "krill",
];
const DAIRY_WORDS: &[&str] = &[
    "milk",
    "cheese",
    "butter",
    "cream",
    "yogurt",
    "yoghurt",
    "whey",
    "casein",
    "caseinate",
    "kefir",
    "ghee",
    "custard",
    "buttermilk",
    "lactose",
    "curd",
    "ricotta",
    "mozzarella",
    "parmesan",
    "cheddar",
];
const EGG_WORDS: &[&str] = &["egg", "yolk", "mayonnaise", "meringue", "eggnog"];
/// Plant "milks" and "butters" that contain no dairy.
const NOT_DAIRY: &[&str] = &[
    "coconut milk",
    "soy milk",
    "soymilk",
    "almond milk",
    "rice milk",
    "oat milk",
    "peanut butter",
    "almond butter",
    "cashew butter",
    "apple butter",
    "cocoa butter",
    "sesame butter",
    "nut butter",
    "sunflower seed butter",
    "non-dairy",
    "nondairy",
    "cream of tartar",
    "coconut cream",
    "imitation milk",
];
/// Phrases that use a meat word for a plant food.
const NOT_MEAT: &[&str] = &["coconut meat", "grated meat", "kernel meat", "nut meat"];
/// Words that mark a meat substitute: its meat words name what it imitates.
const SUBSTITUTE: &[&str] = &["meatless", "vegetarian", "veggie", "vegan", "imitation"];
const GLUTEN_WORDS: &[&str] = &[
    "wheat",
    "barley",
    "rye",
    "triticale",
    "spelt",
    "kamut",
    "semolina",
    "durum",
    "farina",
    "bulgur",
    "couscous",
    "seitan",
    "malt",
    "malted",
    "bread",
    "breads",
    "breaded",
    "breading",
    "crumbs",
    "croissant",
    "bagel",
    "biscuit",
    "cracker",
    "pretzel",
    "pasta",
    "spaghetti",
    "macaroni",
    "noodle",
    "lasagna",
    "ravioli",
    "tortellini",
    "pizza",
    "cake",
    "cookie",
    "pie",
    "pastry",
    "muffin",
    "pancake",
    "waffle",
    "doughnut",
    "croutons",
    "stuffing",
    "beer",
    "ale",
    "flour",
    "oat",
    "oats",
    "oatmeal",
    "graham",
    "wafer",
    "brownie",
    "granola",
    "batter",
    "battered",
    "gravy",
    "sandwich",
    "burger",
    "hamburger",
    "cheeseburger",
    "burrito",
    "bun",
    "roll",
    "dumpling",
    "gnocchi",
    "crepe",
    "strudel",
    "danish",
    "eclair",
    "scone",
    "pita",
    "matzo",
    "pierogi",
    "tempura",
    "teriyaki",
    "gluten",
    "bran",
    "germ",
];
/// Flours and noodles made without gluten grains.
const GLUTEN_FREE_PHRASES: &[&str] = &[
    "gluten-free",
    "gluten free",
    "rice flour",
    "corn flour",
    "potato flour",
    "soy flour",
    "almond flour",
    "coconut flour",
    "chickpea flour",
    "buckwheat flour",
    "tapioca flour",
    "rice noodles",
    "rice bran",
    "corn bran",
    "rice cake",
    "rice crackers",
    "sweet potato pie",
];
/// Foods paleo rules out even when USDA files them among vegetables and fruits: grains,
/// legumes, added sugar and processed meats.
const NOT_PALEO_WORDS: &[&str] = &[
    "sweetened",
    "syrup",
    "sugar",
    "candied",
    "breaded",
    "batter",
    "battered",
    "cured",
    "sausage",
    "frankfurter",
    "bologna",
    "salami",
    "luncheon",
    "corn",
    "beans",
    "peas",
    "soybeans",
    "lentils",
    "chickpeas",
    "peanut",
    "peanuts",
    "soy",
    "tofu",
    "pickled",
    "pickles",
    "jam",
    "jelly",
    "marmalade",
    "preserves",
    "nectar",
    "pie",
    "pudding",
    "sauce",
];
const PALEO_GROUPS: [&str; 9] = [
    "0500", "1000", "1300", "1500", "1700", "0900", "1100", "1200", "0200",
];
const PALEO_FATS: &[&str] = &["olive", "coconut", "avocado", "lard", "tallow"];

/// The words of a description, lower-cased, split on anything but letters and digits.
fn words(description: &str) -> Vec<String> {
    description
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// True if a word of `words` is one of `list`, as is or with a plural `s`/`es`.
fn any_word(words: &[String], list: &[&str]) -> bool {
    words.iter().any(|w| {
        list.iter()
            .any(|k| w == k || w.strip_suffix('s') == Some(k) || w.strip_suffix("es") == Some(k))
    })
}

fn any_phrase(lower: &str, list: &[&str]) -> bool {
    list.iter().any(|p| lower.contains(p))
}

struct Facts {
    meat: bool,
    fish: bool,
    dairy: bool,
    egg: bool,
    honey: bool,
}

fn facts(food: &Food) -> Facts {
    let lower = food.description.to_lowercase();
    let w = words(&food.description);
    let group = food.group_code.as_deref().unwrap_or("");
    let not_dairy_phrase = any_phrase(&lower, NOT_DAIRY);
    let dairy_words = any_word(&w, DAIRY_WORDS);
    // "Peanut butter" is not dairy, but "peanut butter and milk chocolate" is.
    let dairy = if not_dairy_phrase {
        let stripped = NOT_DAIRY
            .iter()
            .fold(lower.clone(), |s, p| s.replace(p, " "));
        any_word(&words(&stripped), DAIRY_WORDS)
    } else {
        dairy_words
    };
    let egg =
        any_word(&w, EGG_WORDS) || (group == DAIRY_EGG_GROUP && !dairy && lower.starts_with("egg"));
    let not_meat = NOT_MEAT
        .iter()
        .fold(lower.clone(), |s, p| s.replace(p, " "));
    Facts {
        meat: MEAT_GROUPS.contains(&group)
            || (!any_word(&w, SUBSTITUTE) && any_word(&words(&not_meat), MEAT_WORDS)),
        fish: group == FISH_GROUP || any_word(&w, FISH_WORDS),
        dairy: dairy || (group == DAIRY_EGG_GROUP && !egg),
        egg,
        honey: any_word(&w, &["honey"]),
    }
}

fn gluten_free(food: &Food) -> bool {
    let lower = food.description.to_lowercase();
    if lower.contains("gluten-free") || lower.contains("gluten free") {
        return true;
    }
    let stripped = GLUTEN_FREE_PHRASES
        .iter()
        .fold(lower, |s, p| s.replace(p, " "));
    let w = words(&stripped);
    // Breakfast cereals: most contain wheat, oats or barley malt; only corn grits and hominy are
    // taken as gluten-free without a label saying so.
    if food.group_code.as_deref() == Some("0800") && !any_word(&w, &["grits", "hominy"]) {
        return false;
    }
    !any_word(&w, GLUTEN_WORDS) && !stripped.contains("soy sauce")
}

fn paleo(food: &Food, facts: &Facts) -> bool {
    let lower = food.description.to_lowercase();
    let w = words(&food.description);
    let group = food.group_code.as_deref().unwrap_or("");
    let allowed_group = PALEO_GROUPS.contains(&group)
        || (group == "0400" && any_word(&w, PALEO_FATS))
        || (facts.egg && !facts.dairy && group == DAIRY_EGG_GROUP);
    allowed_group && !facts.dairy && !any_word(&w, NOT_PALEO_WORDS) && !lower.contains("with added")
}

/// Net carbohydrate (carbohydrate minus fibre; fibre missing counts as none subtracted) at most
/// 5 g per 100 g and at most 10 % of energy from carbohydrate.
fn keto(food: &Food) -> Option<bool> {
    let carb = food.get(Nutrient::Carbohydrate)?;
    let net = carb - food.get(Nutrient::Fiber).unwrap_or(0.0);
    let share_ok = match macro_ratios(food) {
        Some(r) => r.carbohydrate <= 0.10,
        None => food.get(Nutrient::Protein).is_some() && food.get(Nutrient::Fat).is_some(),
    };
    Some(net <= 5.0 && share_ok)
}

/// The eight labels of `food`.
pub fn label_food(food: &Food) -> Labels {
    let f = facts(food);
    let cholesterol = food.get(Nutrient::Cholesterol).unwrap_or(0.0);
    let vegetarian = !f.meat && !f.fish;
    let vegan = vegetarian && !f.dairy && !f.egg && !f.honey && cholesterol <= 0.0;
    [
        Some(vegan),
        Some(vegetarian),
        Some(!f.meat),
        keto(food),
        Some(paleo(food, &f)),
        Some(gluten_free(food)),
        food.get(Nutrient::Sodium).map(|na| na <= 140.0),
        food.get(Nutrient::Protein).map(|p| p >= 10.0),
    ]
}

/// The major food allergens (the US "Big 9": FALCPA plus sesame under the FASTER Act), the keys
/// of [`allergens`]' bit mask in this order.
pub const ALLERGENS: [&str; 9] = [
    "milk",
    "egg",
    "fish",
    "shellfish",
    "tree_nuts",
    "peanuts",
    "wheat_gluten",
    "soy",
    "sesame",
];

const SHELLFISH_WORDS: &[&str] = &[
    "shrimp",
    "prawn",
    "crab",
    "lobster",
    "crayfish",
    "crawfish",
    "krill",
    "clam",
    "oyster",
    "mussel",
    "scallop",
    "squid",
    "calamari",
    "octopus",
    "cuttlefish",
    "abalone",
    "conch",
    "whelk",
    "snail",
    "escargot",
];
const TREE_NUT_WORDS: &[&str] = &[
    "almond",
    "cashew",
    "walnut",
    "pecan",
    "pistachio",
    "hazelnut",
    "filbert",
    "macadamia",
    "brazilnut",
    "chestnut",
    "pinyon",
    "praline",
    "marzipan",
    "nutella",
];
const TREE_NUT_PHRASES: &[&str] = &["brazil nut", "pine nut", "mixed nuts"];
const SOY_WORDS: &[&str] = &[
    "soy", "soya", "soybean", "soymilk", "tofu", "tempeh", "miso", "edamame", "natto", "okara",
    "yuba",
];
const SESAME_WORDS: &[&str] = &["sesame", "tahini", "halvah", "halva", "hummus"];

/// The allergens of `food` by its description and group (bit `b` is [`ALLERGENS`]`[b]`):
/// milk and egg as the vegan rule finds them, fish (finfish: the fish group or fish words, not a
/// food named only by shellfish), shellfish (crustaceans and molluscs), wheat/gluten (every food
/// the gluten-free rule rejects), and word lists for tree nuts, peanuts, soy and sesame. A
/// description-only rule: SR26 has no ingredient lists, so "may contain" traces are not seen.
pub fn allergens(food: &Food) -> u16 {
    let f = facts(food);
    let w = words(&food.description);
    let lower = food.description.to_lowercase();
    let shellfish = any_word(&w, SHELLFISH_WORDS);
    let finfish_words: Vec<&str> = FISH_WORDS
        .iter()
        .copied()
        .filter(|x| !SHELLFISH_WORDS.contains(x))
        .collect();
    let fish = f.fish && (!shellfish || any_word(&w, &finfish_words));
    let tree_nuts = any_word(&w, TREE_NUT_WORDS) || any_phrase(&lower, TREE_NUT_PHRASES);
    let peanuts = any_word(&w, &["peanut"]);
    let soy = any_word(&w, SOY_WORDS) || lower.contains("soy sauce");
    let flags = [
        f.dairy,
        f.egg,
        fish,
        shellfish,
        tree_nuts,
        peanuts,
        !gluten_free(food),
        soy,
        any_word(&w, SESAME_WORDS),
    ];
    flags
        .iter()
        .enumerate()
        .fold(0u16, |m, (b, on)| if *on { m | (1 << b) } else { m })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nutrient::Nutrient as N;

    fn food(ndb: &str, desc: &str, group: &str) -> Food {
        Food::new(ndb, desc, Some(group))
            .with(N::Protein, 5.0)
            .with(N::Fat, 5.0)
            .with(N::Carbohydrate, 20.0)
            .with(N::Sodium, 50.0)
    }

    fn has(food: &Food, label: DietLabel) -> Option<bool> {
        let i = DIET_LABELS.iter().position(|l| *l == label).expect("label");
        label_food(food)[i]
    }

    use DietLabel::*;

    #[test]
    fn animal_foods() {
        let milk = food(
            "01077",
            "Milk, whole, 3.25% milkfat, with added vitamin D",
            "0100",
        )
        .with(N::Cholesterol, 10.0);
        assert_eq!(has(&milk, Vegan), Some(false));
        assert_eq!(has(&milk, Vegetarian), Some(true));
        assert_eq!(has(&milk, PaleoFriendly), Some(false));
        let egg = food("01123", "Egg, whole, raw, fresh", "0100").with(N::Cholesterol, 372.0);
        assert_eq!(has(&egg, Vegetarian), Some(true));
        assert_eq!(has(&egg, Vegan), Some(false));
        assert_eq!(has(&egg, PaleoFriendly), Some(true));
        let salmon = food("15076", "Fish, salmon, Atlantic, wild, raw", "1500");
        assert_eq!(has(&salmon, Vegetarian), Some(false));
        assert_eq!(has(&salmon, Pescatarian), Some(true));
        assert_eq!(has(&salmon, PaleoFriendly), Some(true));
        let chicken = food(
            "05062",
            "Chicken, broilers or fryers, breast, meat only, raw",
            "0500",
        );
        assert_eq!(has(&chicken, Pescatarian), Some(false));
        let soup = food("06016", "Soup, chicken noodle, canned, condensed", "0600");
        assert_eq!(has(&soup, Vegetarian), Some(false));
        assert_eq!(has(&soup, GlutenFree), Some(false));
        let honey = food("19296", "Honey", "1900");
        assert_eq!(has(&honey, Vegan), Some(false));
        assert_eq!(has(&honey, Vegetarian), Some(true));
        let bacon = food("10123", "Pork, cured, bacon, unprepared", "1000");
        assert_eq!(has(&bacon, PaleoFriendly), Some(false));
    }

    #[test]
    fn plant_foods() {
        let broccoli = food("11090", "Broccoli, raw", "1100").with(N::Cholesterol, 0.0);
        assert_eq!(has(&broccoli, Vegan), Some(true));
        assert_eq!(has(&broccoli, GlutenFree), Some(true));
        assert_eq!(has(&broccoli, PaleoFriendly), Some(true));
        let pb = food("16098", "Peanut butter, smooth style, with salt", "1600");
        assert_eq!(has(&pb, Vegan), Some(true));
        assert_eq!(has(&pb, PaleoFriendly), Some(false));
        let coconut_milk = food(
            "12117",
            "Nuts, coconut milk, raw (liquid expressed from grated meat and water)",
            "1200",
        );
        // Neither "milk" nor "meat" here is animal.
        assert_eq!(has(&coconut_milk, Vegan), Some(true));
        let veggie = food("16147", "Vegetarian meatloaf or patties", "1600");
        assert_eq!(has(&veggie, Vegetarian), Some(true));
        let bread = food(
            "18069",
            "Bread, white, commercially prepared (includes soft bread crumbs)",
            "1800",
        );
        assert_eq!(has(&bread, GlutenFree), Some(false));
        assert_eq!(has(&bread, Vegan), Some(true));
        let gf = food(
            "18966",
            "Bread, gluten-free, white, made with rice flour, corn starch, and/or tapioca",
            "1800",
        );
        assert_eq!(has(&gf, GlutenFree), Some(true));
        let rice = food(
            "20044",
            "Rice, white, long-grain, regular, raw, unenriched",
            "2000",
        );
        assert_eq!(has(&rice, GlutenFree), Some(true));
        assert_eq!(has(&rice, PaleoFriendly), Some(false));
        let corn = food("11167", "Corn, sweet, yellow, raw", "1100");
        assert_eq!(has(&corn, PaleoFriendly), Some(false));
        let cheerios = food(
            "08013",
            "Cereals ready-to-eat, GENERAL MILLS, CHEERIOS",
            "0800",
        );
        assert_eq!(has(&cheerios, GlutenFree), Some(false));
        let grits = food(
            "08090",
            "Cereals, corn grits, white, regular and quick, enriched, dry",
            "0800",
        );
        assert_eq!(has(&grits, GlutenFree), Some(true));
        let soy_sauce = food("16123", "Soy sauce made from soy and wheat (shoyu)", "1600");
        assert_eq!(has(&soy_sauce, GlutenFree), Some(false));
        let olive_oil = food("04053", "Oil, olive, salad or cooking", "0400");
        assert_eq!(has(&olive_oil, PaleoFriendly), Some(true));
        let margarine = food(
            "04610",
            "Margarine, regular, 80% fat, composite, stick, with salt",
            "0400",
        );
        assert_eq!(has(&margarine, PaleoFriendly), Some(false));
    }

    #[test]
    fn nutrient_rules_and_missing_values() {
        // Cheddar: 24.9 g protein, 0 g fibre, 1.28 g carbohydrate, 33.1 g fat, 621 mg sodium.
        let cheddar = Food::new("01009", "Cheese, cheddar", Some("0100"))
            .with(N::Protein, 24.9)
            .with(N::Fat, 33.1)
            .with(N::Carbohydrate, 1.28)
            .with(N::Sodium, 621.0);
        assert_eq!(has(&cheddar, KetoFriendly), Some(true));
        assert_eq!(has(&cheddar, HighProtein), Some(true));
        assert_eq!(has(&cheddar, LowSodium), Some(false));
        // Broccoli: 6.64 g carbohydrate − 2.6 g fibre = 4.04 g net, but 56 % of its energy.
        let broccoli = Food::new("11090", "Broccoli, raw", Some("1100"))
            .with(N::Protein, 2.82)
            .with(N::Fat, 0.37)
            .with(N::Carbohydrate, 6.64)
            .with(N::Fiber, 2.6);
        assert_eq!(has(&broccoli, KetoFriendly), Some(false));
        assert_eq!(has(&broccoli, HighProtein), Some(false));
        // Sodium missing: low-sodium is undecided, not false.
        assert_eq!(has(&broccoli, LowSodium), None);
        let mut no_carb = broccoli.clone();
        no_carb.values[N::Carbohydrate as usize] = None;
        assert_eq!(has(&no_carb, KetoFriendly), None);
        // Exactly at the FDA limits: 140 mg sodium is low, 10 g protein is high.
        let edge = food("x", "Tofu, raw, firm", "1600")
            .with(N::Sodium, 140.0)
            .with(N::Protein, 10.0);
        assert_eq!(has(&edge, LowSodium), Some(true));
        assert_eq!(has(&edge, HighProtein), Some(true));
    }

    #[test]
    fn allergens_from_descriptions() {
        let names = |f: &Food| {
            let m = allergens(f);
            ALLERGENS
                .iter()
                .enumerate()
                .filter(|(b, _)| m & (1 << b) != 0)
                .map(|(_, k)| *k)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&food("01001", "Butter, salted", "0100")),
            vec!["milk"]
        );
        assert_eq!(
            names(&food("01123", "Egg, whole, raw, fresh", "0100")),
            vec!["egg"]
        );
        assert_eq!(
            names(&food("15001", "Fish, anchovy, european, raw", "1500")),
            vec!["fish"]
        );
        assert_eq!(
            names(&food(
                "15149",
                "Crustaceans, shrimp, mixed species, raw",
                "1500"
            )),
            vec!["shellfish"]
        );
        assert_eq!(
            names(&food(
                "16098",
                "Peanut butter, smooth style, with salt",
                "1600"
            )),
            vec!["peanuts"]
        );
        assert_eq!(
            names(&food("12061", "Nuts, almonds", "1200")),
            vec!["tree_nuts"]
        );
        assert_eq!(
            names(&food(
                "16124",
                "Soy sauce made from soy and wheat (shoyu)",
                "1600"
            )),
            vec!["wheat_gluten", "soy"]
        );
        assert_eq!(
            names(&food("12166", "Seeds, sesame butter, tahini", "1200")),
            vec!["sesame"]
        );
        assert_eq!(
            names(&food(
                "20081",
                "Wheat flour, white, all-purpose, enriched",
                "2000"
            )),
            vec!["wheat_gluten"]
        );
        assert!(names(&food("12104", "Nuts, coconut meat, raw", "1200")).is_empty());
        assert!(names(&food("11457", "Spinach, raw", "1100")).is_empty());
    }
}
