-- PostgreSQL twin of ../sqlite/20261127000001_news_sentiment.sql: the same tables, keys and checks in PostgreSQL's types
-- (BIGINT identities, DOUBLE PRECISION, BYTEA). Never edited once applied, like its twin.
-- The market sentiment index: every dated news item scored, per token it names, by the serving
-- sentiment model. Derived data: `server train sentiment` replaces all of it in the transaction
-- that registers the model, so the index always matches one model version.
CREATE TABLE news_sentiment (
    news_id       BIGINT NOT NULL REFERENCES news_items (id) ON DELETE CASCADE,
    symbol        TEXT NOT NULL,
    published_on  TEXT NOT NULL,                   -- YYYY-MM-DD, the item's date
    score         DOUBLE PRECISION NOT NULL CHECK (score BETWEEN -1 AND 1),  -- P(positive) - P(negative)
    p_negative    DOUBLE PRECISION NOT NULL CHECK (p_negative BETWEEN 0 AND 1),
    p_neutral     DOUBLE PRECISION NOT NULL CHECK (p_neutral BETWEEN 0 AND 1),
    p_positive    DOUBLE PRECISION NOT NULL CHECK (p_positive BETWEEN 0 AND 1),
    sentences     BIGINT NOT NULL CHECK (sentences > 0),  -- sentences naming the token
    headline      TEXT NOT NULL,                   -- the title, or the first sentence
    model_name    TEXT NOT NULL,
    model_version BIGINT NOT NULL,
    PRIMARY KEY (news_id, symbol)
);
CREATE INDEX news_sentiment_symbol_day ON news_sentiment (symbol, published_on);
