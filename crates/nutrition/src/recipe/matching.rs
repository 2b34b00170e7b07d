//! Food matching: an ingredient's name (`extra-virgin olive oil`) → the USDA food that stands for
//! it (`Oil, olive, salad or cooking`), with a confidence.
//!
//! A documented table of staples names their food outright (`milk` → whole milk, `ground beef`
//! → 80% lean: the words alone cannot tell those apart). Otherwise: USDA describes foods
//! head-noun first with comma-separated qualifiers, and recipes write the qualifiers first; so
//! both sides become bags of stemmed words and a food scores by the share of the query's IDF
//! weight it covers (a word in the description's first part counts fully, one in a later
//! qualifier 0.8), less 0.04 per
//! description word the query does not ask for (so `Egg, whole, raw, fresh` beats
//! `Egg, whole, cooked, omelet` for `eggs`), plus small documented preferences: raw over cooked
//! when the line says neither, generic over branded and restaurant foods. A documented phrase
//! table maps recipe words to USDA wording first (`caster sugar` → `sugars granulated`,
//! `courgette` → `zucchini`). A match needs at least 65% of the query's weight; below that the
//! line is reported unmatched rather than guessed.

use std::collections::HashMap;

use mmi_text::ingredient::{stem, tokenize_ingredient, TokenKind, Unit};
use serde::{Deserialize, Serialize};

use crate::Food;

/// Recipe wording → USDA wording, applied to whole stemmed phrases, longest first.
const SYNONYMS: &[(&str, &str)] = &[
    ("all-purpose flour", "wheat flour white all-purpose"),
    ("all purpose flour", "wheat flour white all-purpose"),
    ("smoked paprika", "spices paprika"),
    ("ground cumin", "spices cumin seed"),
    ("ground ginger", "spices ginger ground"),
    ("ground cinnamon", "spices cinnamon ground"),
    ("ground nutmeg", "spices nutmeg ground"),
    ("ground turmeric", "spices turmeric ground"),
    ("ground black pepper", "spices pepper black"),
    ("ground cloves", "spices cloves ground"),
    ("cherry tomato", "tomatoes red ripe raw"),
    ("white vinegar", "vinegar distilled"),
    ("garlic powder", "spices garlic powder"),
    ("onion powder", "spices onion powder"),
    ("semi-sweet chocolate", "candies semisweet chocolate"),
    ("pecorino romano", "cheese romano"),
    ("pecorino", "cheese romano"),
    ("plain flour", "wheat flour white all-purpose"),
    (
        "self-raising flour",
        "wheat flour white all-purpose self-rising",
    ),
    (
        "self-rising flour",
        "wheat flour white all-purpose self-rising",
    ),
    ("bread flour", "wheat flour white bread"),
    ("strong white flour", "wheat flour white bread"),
    ("cake flour", "wheat flour white cake"),
    ("whole wheat flour", "wheat flour whole-grain"),
    ("wholemeal flour", "wheat flour whole-grain"),
    ("flour", "wheat flour white all-purpose"),
    ("caster sugar", "sugars granulated"),
    ("granulated sugar", "sugars granulated"),
    ("white sugar", "sugars granulated"),
    ("sugar", "sugars granulated"),
    ("brown sugar", "sugars brown"),
    ("light brown sugar", "sugars brown"),
    ("dark brown sugar", "sugars brown"),
    ("icing sugar", "sugars powdered"),
    ("powdered sugar", "sugars powdered"),
    ("confectioners' sugar", "sugars powdered"),
    ("confectioners sugar", "sugars powdered"),
    ("maple syrup", "syrups maple"),
    ("olive oil", "oil olive"),
    ("extra-virgin olive oil", "oil olive"),
    ("vegetable oil", "oil vegetable soybean"),
    ("canola oil", "oil canola"),
    ("rapeseed oil", "oil canola"),
    ("sunflower oil", "oil sunflower"),
    ("sesame oil", "oil sesame"),
    ("coconut oil", "oil coconut"),
    ("salt", "salt table"),
    ("kosher salt", "salt table"),
    ("sea salt", "salt table"),
    ("black pepper", "spices pepper black"),
    ("pepper", "spices pepper black"),
    ("peppercorn", "spices pepper black"),
    ("cayenne", "spices pepper red cayenne"),
    ("paprika", "spices paprika"),
    ("cinnamon", "spices cinnamon ground"),
    ("cumin", "spices cumin seed"),
    ("nutmeg", "spices nutmeg ground"),
    ("turmeric", "spices turmeric ground"),
    ("oregano", "spices oregano dried"),
    ("thyme", "thyme fresh"),
    ("bay leaf", "spices bay leaf"),
    ("chili powder", "spices chili powder"),
    ("chilli powder", "spices chili powder"),
    ("baking soda", "leavening agents baking soda"),
    ("bicarbonate of soda", "leavening agents baking soda"),
    (
        "baking powder",
        "leavening agents baking powder double-acting phosphate",
    ),
    ("yeast", "leavening agents yeast baker's active dry"),
    ("water", "water tap drinking"),
    ("egg", "egg whole raw fresh"),
    ("egg yolk", "egg yolk raw fresh"),
    ("egg white", "egg white raw fresh"),
    ("butter", "butter without salt"),
    ("unsalted butter", "butter without salt"),
    ("salted butter", "butter salted"),
    ("milk", "milk whole"),
    ("whole milk", "milk whole"),
    ("heavy cream", "cream fluid heavy whipping"),
    ("double cream", "cream fluid heavy whipping"),
    ("whipping cream", "cream fluid heavy whipping"),
    ("heavy whipping cream", "cream fluid heavy whipping"),
    ("single cream", "cream fluid light"),
    ("sour cream", "cream sour cultured"),
    ("cream cheese", "cheese cream"),
    ("parmesan", "cheese parmesan grated"),
    ("parmigiano-reggiano", "cheese parmesan grated"),
    ("cheddar", "cheese cheddar"),
    ("mozzarella", "cheese mozzarella whole milk"),
    ("feta", "cheese feta"),
    ("greek yogurt", "yogurt greek plain whole milk"),
    ("yogurt", "yogurt plain whole milk"),
    ("yoghurt", "yogurt plain whole milk"),
    ("garlic", "garlic raw"),
    ("garlic clove", "garlic raw"),
    ("onion", "onions raw"),
    ("red onion", "onions raw"),
    ("yellow onion", "onions raw"),
    ("shallot", "shallots raw"),
    ("spring onion", "onions spring or scallions"),
    ("scallion", "onions spring or scallions"),
    ("green onion", "onions spring or scallions"),
    ("courgette", "squash summer zucchini"),
    ("zucchini", "squash summer zucchini"),
    ("aubergine", "eggplant raw"),
    ("rocket", "arugula raw"),
    ("coriander", "coriander cilantro leaves"),
    ("cilantro", "coriander cilantro leaves"),
    ("parsley", "parsley fresh"),
    ("basil", "basil fresh"),
    ("mint", "spearmint fresh"),
    ("ginger", "ginger root raw"),
    ("lemon juice", "lemon juice raw"),
    ("lime juice", "lime juice raw"),
    ("lemon", "lemons raw without peel"),
    ("lime", "limes raw"),
    ("lemon zest", "lemon peel raw"),
    ("tomato", "tomatoes red ripe raw"),
    ("potato", "potatoes flesh and skin raw"),
    ("carrot", "carrots raw"),
    ("celery", "celery raw"),
    ("red bell pepper", "peppers sweet red raw"),
    ("bell pepper", "peppers sweet green raw"),
    ("red pepper", "peppers sweet red raw"),
    ("green pepper", "peppers sweet green raw"),
    ("chili", "peppers hot chili red raw"),
    ("chilli", "peppers hot chili red raw"),
    ("jalapeno", "peppers jalapeno raw"),
    ("prawn", "crustaceans shrimp raw"),
    ("shrimp", "crustaceans shrimp raw"),
    ("minced beef", "beef ground 80% lean meat / 20% fat raw"),
    ("ground beef", "beef ground 80% lean meat / 20% fat raw"),
    ("beef mince", "beef ground 80% lean meat / 20% fat raw"),
    (
        "chicken breast",
        "chicken broilers or fryers breast meat only raw",
    ),
    (
        "chicken thigh",
        "chicken broilers or fryers thigh meat only raw",
    ),
    ("chicken stock", "soup stock chicken home-prepared"),
    ("chicken broth", "soup stock chicken home-prepared"),
    ("beef stock", "soup stock beef home-prepared"),
    ("beef broth", "soup stock beef home-prepared"),
    ("bacon", "pork cured bacon unprepared"),
    ("honey", "honey"),
    ("vanilla", "vanilla extract"),
    ("vanilla extract", "vanilla extract"),
    ("cocoa powder", "cocoa dry powder unsweetened"),
    ("cocoa", "cocoa dry powder unsweetened"),
    ("dark chocolate", "chocolate dark 70-85% cacao solids"),
    (
        "bittersweet chocolate",
        "chocolate dark 70-85% cacao solids",
    ),
    ("semisweet chocolate", "candies semisweet chocolate"),
    ("semisweet chocolate chip", "candies semisweet chocolate"),
    ("chocolate chip", "candies semisweet chocolate"),
    ("rolled oat", "oats"),
    ("oat", "oats"),
    ("rice", "rice white long-grain regular raw enriched"),
    ("white rice", "rice white long-grain regular raw enriched"),
    ("basmati rice", "rice white long-grain regular raw enriched"),
    ("brown rice", "rice brown long-grain raw"),
    ("pasta", "pasta dry enriched"),
    ("spaghetti", "spaghetti dry enriched"),
    ("soy sauce", "soy sauce made from soy and wheat shoyu"),
    ("mayonnaise", "salad dressing mayonnaise regular"),
    ("ketchup", "catsup"),
    ("dijon mustard", "mustard prepared yellow"),
    ("mustard", "mustard prepared yellow"),
    ("balsamic vinegar", "vinegar balsamic"),
    ("red wine vinegar", "vinegar red wine"),
    ("cider vinegar", "vinegar cider"),
    ("apple cider vinegar", "vinegar cider"),
    ("white wine vinegar", "vinegar distilled"),
    ("vinegar", "vinegar distilled"),
    ("white wine", "alcoholic beverage wine table white"),
    ("red wine", "alcoholic beverage wine table red"),
    ("almond", "nuts almonds"),
    ("walnut", "nuts walnuts english"),
    ("pecan", "nuts pecans"),
    ("cashew", "nuts cashew nuts raw"),
    ("pine nut", "nuts pine nuts dried"),
    ("peanut butter", "peanut butter smooth style without salt"),
    ("tahini", "seeds sesame butter tahini"),
    (
        "chickpea",
        "chickpeas garbanzo beans mature seeds canned drained solids",
    ),
    ("black bean", "beans black turtle mature seeds canned"),
    ("coconut milk", "nuts coconut milk canned"),
    ("tofu", "tofu raw firm prepared with calcium sulfate"),
    ("spinach", "spinach raw"),
    ("avocado", "avocados raw all commercial varieties"),
    ("banana", "bananas raw"),
    ("apple", "apples raw with skin"),
    ("cornstarch", "cornstarch"),
    ("rolled oats", "oats"),
    ("oatmeal", "oats"),
    ("spinach", "spinach raw"),
    ("almond milk", "beverages almond milk"),
    ("jalapeno", "peppers jalapeno raw"),
    ("graham cracker crumb", "cookies graham crackers"),
    ("graham cracker", "cookies graham crackers"),
    ("goat cheese", "cheese goat soft type"),
    ("clarified butter", "butter oil anhydrous"),
    ("ghee", "butter oil anhydrous"),
    ("monterey jack", "cheese monterey"),
    ("tortilla", "tortillas ready-to-bake or -fry flour"),
    ("flour tortilla", "tortillas ready-to-bake or -fry flour"),
    ("corn tortilla", "tortillas ready-to-bake or -fry corn"),
    ("cornflour", "cornstarch"),
    ("breadcrumb", "bread crumbs dry grated plain"),
    ("panko", "bread crumbs dry grated plain"),
];

/// Staples whose best USDA food the word scores cannot single out (the description's numbers,
/// `80% lean`, are not words; `Milk, buttermilk` shares every word with whole milk): the whole
/// query, after noise is dropped, names the food by NDB number.
const CANONICAL: &[(&str, &str)] = &[
    ("milk", "01077"),
    ("whole milk", "01077"),
    ("2% milk", "01079"),
    ("reduced fat milk", "01079"),
    ("low fat milk", "01082"),
    ("skim milk", "01085"),
    ("buttermilk", "01088"),
    ("sour cream", "01056"),
    ("ground beef", "23572"),
    ("minced beef", "23572"),
    ("beef mince", "23572"),
    ("lean ground beef", "23562"),
    ("extra lean ground beef", "23557"),
    ("ground pork", "10219"),
    ("pork mince", "10219"),
    ("lemon", "09150"),
    ("lime", "09159"),
    ("orange", "09200"),
    ("orange zest", "09216"),
    ("bbq sauce", "06150"),
    ("barbecue sauce", "06150"),
    ("tomato paste", "11546"),
    ("tomato puree", "11547"),
    ("tomato sauce", "11549"),
    ("crushed tomato", "11693"),
    ("evaporated milk", "01096"),
    ("sweetened condensed milk", "01095"),
    ("condensed milk", "01095"),
    ("cayenne pepper", "02031"),
    ("red pepper flake", "02031"),
    ("chili flake", "02031"),
    ("chilli flake", "02031"),
    ("crushed red pepper", "02031"),
    ("coriander seed", "02013"),
    ("ground coriander", "02013"),
    ("mustard seed", "02024"),
    ("broccoli", "11090"),
    ("broccoli floret", "11090"),
    ("salmon", "15236"),
    ("salmon fillet", "15236"),
    ("chicken breast", "05062"),
    ("kale", "11233"),
    ("chicken stock", "06172"),
    ("chicken broth", "06172"),
    ("beef stock", "06170"),
    ("vegetable stock", "06615"),
    ("vegetable broth", "06615"),
    ("beef broth", "06170"),
    ("honey", "19296"),
    ("maple syrup", "19353"),
    ("garlic", "11215"),
    ("feta", "01019"),
    ("feta cheese", "01019"),
    ("ricotta", "01036"),
    ("ricotta cheese", "01036"),
    ("greek yogurt", "01256"),
    ("plain greek yogurt", "01256"),
    ("quinoa", "20035"),
    ("couscous", "20028"),
    ("lentil", "16069"),
    ("mushroom", "11260"),
    ("portobello mushroom", "11265"),
    ("shallot", "11677"),
    ("sweet potato", "11507"),
    ("russet potato", "11353"),
    ("pumpkin puree", "11424"),
    ("canned pumpkin", "11424"),
    ("coconut milk", "12118"),
    ("water", "14411"),
    ("cabbage", "11109"),
    ("cauliflower", "11135"),
    ("zucchini", "11477"),
    ("courgette", "11477"),
];

/// Query words that say nothing USDA distinguishes on.
const QUERY_NOISE: &[&str] = &[
    "fresh",
    "freshly",
    "good",
    "quality",
    "good-quality",
    "best",
    "organic",
    "free-range",
    "boneless",
    "skinless",
    "large",
    "small",
    "medium",
    "extra",
    "extra-large",
    "ripe",
    "homemade",
    "store-bought",
    "pure",
    "fine",
    "finely",
    "coarse",
    "coarsely",
    "kosher",
    "flaky",
    "cold",
    "warm",
    "hot",
    "lukewarm",
    "room",
    "temperature",
    "packed",
    "firmly",
    "lightly",
    "about",
    "your",
    "favorite",
    "favourite",
    "of",
    "a",
    "the",
    "and",
    "or",
    "for",
    "some",
    "little",
    "few",
    "optional",
    "plus",
    "more",
    "to",
    "taste",
    "needed",
    "cut",
    "into",
    "in",
    "piece",
    "pieces",
    "virgin",
    "extra-virgin",
    "baby",
    "natural",
    "plain",
    "unsweetened",
    "regular",
    "old-fashioned",
    "old",
    "fashioned",
    "roma",
    "vine",
    "heirloom",
    "english",
    "italian",
    "flat-leaf",
    "flat",
    "leaf",
    "boiling",
    "filtered",
    "toasted",
    "sharp",
    "mild",
    "very",
    "soft",
    "softened",
    "melted",
    "chilled",
    "chopped",
    "diced",
    "sliced",
    "minced",
    "grated",
    "shredded",
    "peeled",
    "thinly",
];

/// Description words that do not count against a food when the query leaves them out.
const DESCRIPTION_NEUTRAL: &[&str] = &[
    "raw",
    "fresh",
    "regular",
    "ns",
    "as",
    "to",
    "and",
    "or",
    "with",
    "without",
    "of",
    "the",
    "in",
    "salad",
    "cooking",
    "table",
    "enriched",
    "unenriched",
    "bleached",
    "unbleached",
    "all",
    "commercial",
    "variety",
    "varieties",
    "mature",
    "seed",
    "year",
    "round",
    "average",
    "drinking",
    "home-prepared",
    "prepared",
    "from",
    "recipe",
    "ready",
    "serve",
    "unprepared",
    "solid",
    "drained",
];

const COOKING_WORDS: &[&str] = &[
    "cooked", "boiled", "roasted", "fried", "baked", "grilled", "canned", "dried", "dry", "frozen",
    "smoked", "toasted", "stewed", "steamed", "braised", "broiled",
];

/// `jalapeño` → `jalapeno`, `purée` → `puree`: USDA writes plain ASCII.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        '’' => '\'',
        c => c,
    }
}

fn is_count_unit(w: &str) -> bool {
    matches!(Unit::parse(w), Some(Unit::Count(_)))
}

fn words(text: &str) -> Vec<String> {
    let folded: String = text.to_lowercase().chars().map(fold).collect();
    tokenize_ingredient(&folded)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| {
            let w = t.text.trim_end_matches("'s").trim_end_matches('\'');
            stem(w)
        })
        .collect()
}

/// A food's description as the matcher sees it: stemmed words with the part they are in (0 for
/// the head before the first top-level comma, bracketed aliases included).
#[derive(Debug, Clone)]
struct Described {
    words: Vec<(String, u8)>,
    /// Points off for restaurant, fast-food, baby and branded foods.
    penalty: f64,
    is_raw: bool,
}

fn describe(food: &Food) -> Described {
    let mut words_out = Vec::new();
    let mut part = 0u8;
    let mut depth = 0usize;
    let mut current = String::new();
    let flush = |current: &mut String, part: u8, out: &mut Vec<(String, u8)>| {
        for w in words(current) {
            if !out.iter().any(|(x, _)| *x == w) {
                out.push((w, part));
            }
        }
        current.clear();
    };
    for c in food.description.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                flush(&mut current, part, &mut words_out);
                part = part.saturating_add(1);
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    flush(&mut current, part, &mut words_out);
    let branded = food.description.split([' ', ',']).any(|w| {
        w.len() >= 3
            && w.chars()
                .all(|c| c.is_ascii_uppercase() || c == '\'' || c == '&')
    });
    let group_penalty = match food.group_code.as_deref() {
        Some("0300") => 0.5,                 // baby foods
        Some("3500") => 0.4,                 // American Indian/Alaska Native foods
        Some("2100") | Some("3600") => 0.3,  // fast foods, restaurant foods
        Some("2200") | Some("2500") => 0.15, // meals and entrees, snacks
        _ => 0.0,
    };
    let is_raw = words_out.iter().any(|(w, _)| w == "raw");
    Described {
        words: words_out,
        penalty: group_penalty + if branded { 0.15 } else { 0.0 },
        is_raw,
    }
}

/// A food chosen for an ingredient name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoodMatch {
    /// Index into the foods the matcher was built on.
    pub index: usize,
    pub ndb_no: String,
    pub description: String,
    /// 0..1: the share of the query's weight the food covers, less what it adds.
    pub confidence: f64,
}

/// The index the matcher searches.
#[derive(Debug, Clone)]
pub struct FoodMatcher {
    foods: Vec<(String, String)>,
    described: Vec<Described>,
    postings: HashMap<String, Vec<u32>>,
    idf: HashMap<String, f64>,
    synonyms: Vec<(Vec<String>, Vec<String>)>,
    canonical: HashMap<String, String>,
}

/// The least share of the query's weight a match must cover.
pub const MIN_COVERAGE: f64 = 0.65;

impl FoodMatcher {
    pub fn new(foods: &[Food]) -> FoodMatcher {
        let described: Vec<Described> = foods.iter().map(describe).collect();
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, d) in described.iter().enumerate() {
            for (w, _) in &d.words {
                postings.entry(w.clone()).or_default().push(i as u32);
            }
        }
        let n = foods.len().max(1) as f64;
        let idf = postings
            .iter()
            .map(|(w, p)| (w.clone(), (n / p.len() as f64).ln() + 1.0))
            .collect();
        let mut synonyms: Vec<(Vec<String>, Vec<String>)> =
            SYNONYMS.iter().map(|(k, v)| (words(k), words(v))).collect();
        synonyms.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        let canonical = CANONICAL
            .iter()
            .map(|(k, v)| (words(k).join(" "), v.to_string()))
            .collect();
        FoodMatcher {
            canonical,
            foods: foods
                .iter()
                .map(|f| (f.ndb_no.clone(), f.description.clone()))
                .collect(),
            described,
            postings,
            idf,
            synonyms,
        }
    }

    /// The query words of an ingredient name: stemmed, noise dropped, the phrase table applied,
    /// then a trailing counted unit dropped (`garlic cloves` → `garlic`, `kale leaves` → `kale`).
    pub fn query(&self, name: &str) -> Vec<String> {
        let q = self.cleaned(name);
        // Replace the longest known phrase first, anywhere in the query.
        let mut out = Vec::with_capacity(q.len() + 4);
        let mut i = 0;
        while i < q.len() {
            // A one-word key (`garlic` → `garlic raw`) stands for the whole query only: inside a
            // phrase (`garlic powder`) the other words say what it is.
            let hit = self.synonyms.iter().find(|(k, _)| {
                !k.is_empty() && q[i..].starts_with(k) && (k.len() > 1 || q.len() == 1)
            });
            match hit {
                Some((k, v)) => {
                    out.extend(v.iter().cloned());
                    i += k.len();
                }
                None => {
                    out.push(q[i].clone());
                    i += 1;
                }
            }
        }
        let mut seen: Vec<String> = Vec::with_capacity(out.len());
        for w in out {
            if !seen.contains(&w) {
                seen.push(w);
            }
        }
        if seen.len() > 1 && seen.last().is_some_and(|w| is_count_unit(w)) {
            seen.pop();
        }
        seen
    }

    /// The name's words (the first of `x or y`) without noise and without a trailing counted
    /// unit.
    fn cleaned(&self, name: &str) -> Vec<String> {
        let mut all = words(name);
        // "canola oil or olive oil": the first alternative.
        if let Some(or) = all.iter().position(|w| w == "or").filter(|p| *p > 0) {
            all.truncate(or);
        }
        let mut q: Vec<String> = all
            .into_iter()
            .filter(|w| !QUERY_NOISE.contains(&w.as_str()))
            .collect();
        if q.len() > 1 && q.last().is_some_and(|w| is_count_unit(w)) {
            q.pop();
        }
        q
    }

    /// The canonical food of a staple (see [`CANONICAL`]), if the name is one.
    fn canonical(&self, name: &str) -> Option<FoodMatch> {
        let q = self.cleaned(name).join(" ");
        let ndb = self.canonical.get(&q)?;
        let index = self.foods.iter().position(|(n, _)| n == ndb)?;
        Some(FoodMatch {
            index,
            ndb_no: self.foods[index].0.clone(),
            description: self.foods[index].1.clone(),
            confidence: 0.95,
        })
    }

    /// The best foods for `name`, best first, at most `k`, each above [`MIN_COVERAGE`].
    pub fn candidates(&self, name: &str, k: usize) -> Vec<FoodMatch> {
        let canonical = self.canonical(name);
        let query = self.query(name);
        if query.is_empty() {
            return canonical.into_iter().collect();
        }
        // A word no food has still counts: the query is about something USDA lacks.
        let unseen = (self.foods.len().max(1) as f64).ln() + 1.0;
        let weight = |w: &str| self.idf.get(w).copied().unwrap_or(unseen);
        let total: f64 = query.iter().map(|w| weight(w)).sum();
        let wants_cooked = query.iter().any(|w| COOKING_WORDS.contains(&w.as_str()));
        let mut candidates: Vec<u32> = query
            .iter()
            .filter_map(|w| self.postings.get(w))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut scored: Vec<(f64, f64, usize)> = candidates
            .into_iter()
            .filter_map(|c| {
                let d = &self.described[c as usize];
                let mut covered = 0.0;
                for w in &query {
                    if let Some((_, part)) = d.words.iter().find(|(x, _)| x == w) {
                        covered += weight(w) * if *part == 0 { 1.0 } else { 0.8 };
                    }
                }
                let coverage = covered / total;
                if coverage < MIN_COVERAGE {
                    return None;
                }
                let extra = d
                    .words
                    .iter()
                    .filter(|(w, _)| {
                        !query.contains(w) && !DESCRIPTION_NEUTRAL.contains(&w.as_str())
                    })
                    .count() as f64;
                let mut score = coverage - 0.04 * extra.min(8.0) - d.penalty;
                if !wants_cooked && d.is_raw {
                    score += 0.03;
                }
                Some((score, coverage, c as usize))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        let canonical_index = canonical.as_ref().map(|c| c.index);
        canonical
            .into_iter()
            .chain(
                scored
                    .into_iter()
                    .filter(|(_, _, i)| Some(*i) != canonical_index)
                    .map(|(score, _, i)| FoodMatch {
                        index: i,
                        ndb_no: self.foods[i].0.clone(),
                        description: self.foods[i].1.clone(),
                        confidence: score.clamp(0.0, 1.0),
                    }),
            )
            .take(k)
            .collect()
    }

    pub fn best(&self, name: &str) -> Option<FoodMatch> {
        self.candidates(name, 1).into_iter().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foods() -> Vec<Food> {
        [
            ("01123", "Egg, whole, raw, fresh", "0100"),
            ("01130", "Egg, whole, cooked, omelet", "0100"),
            ("04053", "Oil, olive, salad or cooking", "0400"),
            ("02047", "Salt, table", "0200"),
            ("11215", "Garlic, raw", "1100"),
            ("02011", "Spices, cloves, ground", "0200"),
            (
                "20081",
                "Wheat flour, white, all-purpose, enriched, bleached",
                "2000",
            ),
            (
                "20082",
                "Wheat flour, white, all-purpose, self-rising, enriched",
                "2000",
            ),
            ("19335", "Sugars, granulated", "1900"),
            (
                "16058",
                "Chickpeas (garbanzo beans, bengal gram), mature seeds, canned, solids and liquids",
                "1600",
            ),
            (
                "16056",
                "Chickpeas (garbanzo beans, bengal gram), mature seeds, raw",
                "1600",
            ),
            ("21001", "Fast foods, chicken, breaded and fried", "2100"),
            (
                "05062",
                "Chicken, broilers or fryers, breast, meat only, raw",
                "0500",
            ),
        ]
        .iter()
        .map(|(n, d, g)| Food::new(n, d, Some(g)))
        .collect()
    }

    fn best(m: &FoodMatcher, name: &str) -> Option<String> {
        m.best(name).map(|f| f.ndb_no)
    }

    #[test]
    fn common_ingredients_find_their_food() {
        let m = FoodMatcher::new(&foods());
        assert_eq!(best(&m, "eggs").as_deref(), Some("01123"));
        assert_eq!(best(&m, "extra-virgin olive oil").as_deref(), Some("04053"));
        assert_eq!(best(&m, "kosher salt").as_deref(), Some("02047"));
        assert_eq!(best(&m, "garlic cloves").as_deref(), Some("11215"));
        assert_eq!(best(&m, "plain flour").as_deref(), Some("20081"));
        assert_eq!(best(&m, "self-raising flour").as_deref(), Some("20082"));
        assert_eq!(best(&m, "caster sugar").as_deref(), Some("19335"));
        // Recipes use canned chickpeas unless they say dried.
        assert_eq!(best(&m, "chickpeas").as_deref(), Some("16058"));
        assert_eq!(
            best(&m, "boneless skinless chicken breasts").as_deref(),
            Some("05062")
        );
    }

    #[test]
    fn unknown_ingredients_stay_unmatched() {
        let m = FoodMatcher::new(&foods());
        assert_eq!(best(&m, "saffron threads"), None);
        assert_eq!(best(&m, ""), None);
        let c = m.best("eggs").unwrap().confidence;
        assert!(c > 0.5 && c <= 1.0, "{c}");
    }
}
