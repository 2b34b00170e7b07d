-- The first schema: every data set the importers read, keyed on natural keys so import can upsert.
-- Missing values are NULL (or an absent row in the long-form tables), never 0.

-- Crypto ------------------------------------------------------------------------------------------

CREATE TABLE tokens (
    id              INTEGER PRIMARY KEY,
    symbol          TEXT NOT NULL UNIQUE,          -- e.g. BTC, as the source spells it (upper case)
    name            TEXT NOT NULL,
    coingecko_id    TEXT UNIQUE,                   -- set when the token came from CoinGecko
    market_cap_rank INTEGER
);

-- One row per token and UTC day. Only the close is required: CoinGecko's daily history has no
-- open/high/low, and early CoinMarketCap rows have no volume.
CREATE TABLE daily_prices (
    token_id       INTEGER NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    day            TEXT    NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    open_usd       REAL CHECK (open_usd >= 0),
    high_usd       REAL CHECK (high_usd >= 0),
    low_usd        REAL CHECK (low_usd >= 0),
    close_usd      REAL NOT NULL CHECK (close_usd >= 0),
    volume_usd     REAL CHECK (volume_usd >= 0),
    market_cap_usd REAL CHECK (market_cap_usd >= 0),
    source         TEXT NOT NULL,                  -- 'coinmarketcap-csv' or 'coingecko'
    PRIMARY KEY (token_id, day)
) WITHOUT ROWID;

-- Headlines and articles. Files carry no ids, so the natural key is the source plus a hash of the
-- item's date, title and body.
CREATE TABLE news_items (
    id              INTEGER PRIMARY KEY,
    source          TEXT NOT NULL,                 -- the file (or feed) it came from
    content_hash    TEXT NOT NULL,
    published_on    TEXT,                          -- YYYY-MM-DD when the source dates it
    title           TEXT,
    body            TEXT,
    -- Next-day BTC direction (1 up, 0 down) where the data set carries it. Not a sentiment label.
    direction_label INTEGER CHECK (direction_label IN (0, 1)),
    UNIQUE (source, content_hash),
    CHECK (title IS NOT NULL OR body IS NOT NULL)
);
CREATE INDEX news_items_published_on ON news_items (published_on);

-- Sentences with human sentiment labels (Financial PhraseBank).
CREATE TABLE sentiment_sentences (
    id           INTEGER PRIMARY KEY,
    source       TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    sentence     TEXT NOT NULL,
    label        TEXT NOT NULL CHECK (label IN ('positive', 'neutral', 'negative')),
    UNIQUE (source, content_hash)
);

-- Nutrition ---------------------------------------------------------------------------------------

CREATE TABLE food_groups (
    code TEXT PRIMARY KEY,                         -- USDA FdGrp_Cd, e.g. '0100'
    name TEXT NOT NULL
);

CREATE TABLE nutrient_definitions (
    nutr_no    TEXT PRIMARY KEY,                   -- USDA Nutr_No, e.g. '203' (protein)
    unit       TEXT NOT NULL,                      -- g, mg, µg, kcal, IU
    tagname    TEXT,                               -- INFOODS tag, e.g. PROCNT
    name       TEXT NOT NULL,
    decimals   INTEGER,
    sort_order INTEGER
);

CREATE TABLE foods (
    ndb_no            TEXT PRIMARY KEY,            -- USDA NDB number, e.g. '01001'
    fdc_id            INTEGER UNIQUE,              -- FoodData Central id, when it came from FDC
    food_group_code   TEXT REFERENCES food_groups (code),
    description       TEXT NOT NULL,
    short_description TEXT,
    common_names      TEXT,
    manufacturer      TEXT,
    scientific_name   TEXT,
    refuse_pct        REAL CHECK (refuse_pct BETWEEN 0 AND 100),
    n_factor          REAL,                        -- nitrogen-to-protein factor
    pro_factor        REAL,                        -- Atwater factors (kcal/g)
    fat_factor        REAL,
    cho_factor        REAL
);
CREATE INDEX foods_food_group_code ON foods (food_group_code);

-- Long form: one row per food and nutrient that was measured. A nutrient the source leaves empty
-- has no row here.
CREATE TABLE food_nutrients (
    ndb_no  TEXT NOT NULL REFERENCES foods (ndb_no) ON DELETE CASCADE,
    nutr_no TEXT NOT NULL REFERENCES nutrient_definitions (nutr_no),
    amount  REAL NOT NULL,                         -- per 100 g edible portion
    unit    TEXT NOT NULL,
    PRIMARY KEY (ndb_no, nutr_no)
) WITHOUT ROWID;

-- Household measures: `amount` x `measure` weighs `grams`.
CREATE TABLE food_portions (
    ndb_no  TEXT NOT NULL REFERENCES foods (ndb_no) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    amount  REAL NOT NULL CHECK (amount > 0),
    measure TEXT NOT NULL,
    grams   REAL NOT NULL CHECK (grams > 0),
    PRIMARY KEY (ndb_no, seq)
) WITHOUT ROWID;

CREATE TABLE recipes (
    id                INTEGER PRIMARY KEY,
    natural_key       TEXT NOT NULL UNIQUE,        -- canonical URL, or host + title when it has none
    title             TEXT NOT NULL,
    host              TEXT,
    language          TEXT,
    canonical_url     TEXT,
    instructions_json TEXT NOT NULL,               -- JSON array of steps
    prep_time_min     INTEGER CHECK (prep_time_min >= 0),
    cook_time_min     INTEGER CHECK (cook_time_min >= 0),
    total_time_min    INTEGER CHECK (total_time_min >= 0),
    yields            TEXT,
    cuisine           TEXT,
    category          TEXT,
    nutrients_json    TEXT                         -- site-reported nutrition, as the site gave it
);

CREATE TABLE recipe_ingredients (
    recipe_id INTEGER NOT NULL REFERENCES recipes (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    line      TEXT NOT NULL,
    PRIMARY KEY (recipe_id, position)
) WITHOUT ROWID;

-- Ingredient sentences labelled by field (training data for the ingredient parser).
CREATE TABLE ingredient_sentences (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    input       TEXT NOT NULL,
    name        TEXT,
    quantity    TEXT,
    unit        TEXT,
    size        TEXT,
    preparation TEXT,
    comment     TEXT,
    purpose     TEXT,
    UNIQUE (source, input)
);

-- Bookkeeping -------------------------------------------------------------------------------------

CREATE TABLE import_runs (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    source       TEXT NOT NULL,                    -- the data directory, or 'live'
    summary_json TEXT                              -- the import report, once finished
);
