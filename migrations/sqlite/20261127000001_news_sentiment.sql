-- The market sentiment index: every dated news item scored, per token it names, by the serving
-- sentiment model. Derived data: `server train sentiment` replaces all of it in the transaction
-- that registers the model, so the index always matches one model version.
CREATE TABLE news_sentiment (
    news_id       INTEGER NOT NULL REFERENCES news_items (id) ON DELETE CASCADE,
    symbol        TEXT NOT NULL,
    published_on  TEXT NOT NULL,                   -- YYYY-MM-DD, the item's date
    score         REAL NOT NULL CHECK (score BETWEEN -1 AND 1),  -- P(positive) - P(negative)
    p_negative    REAL NOT NULL CHECK (p_negative BETWEEN 0 AND 1),
    p_neutral     REAL NOT NULL CHECK (p_neutral BETWEEN 0 AND 1),
    p_positive    REAL NOT NULL CHECK (p_positive BETWEEN 0 AND 1),
    sentences     INTEGER NOT NULL CHECK (sentences > 0),  -- sentences naming the token
    headline      TEXT NOT NULL,                   -- the title, or the first sentence
    model_name    TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    PRIMARY KEY (news_id, symbol)
);
CREATE INDEX news_sentiment_symbol_day ON news_sentiment (symbol, published_on);
