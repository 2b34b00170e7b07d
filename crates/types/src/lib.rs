//! The shared vocabulary of the server and the browser: request/response types of the REST API
//! and server functions, and the one error shape every API error uses.
//!
//! This crate has no IO and no heavy dependencies: it compiles to `wasm32-unknown-unknown`
//! (checked in CI) so the hydrated pages and the server agree on every type by construction.

mod crypto;
mod error;
mod jobs;
mod meals;
mod models;
mod nutrition;
mod recipe;
mod recommend;
mod sentiment;
mod stats;

pub use crypto::{
    Correlation, CorrelationMatrix, CumulativeReturns, DayValue, MarketOverview, PriceHistory,
    ReturnHistogram, ReturnStats, SymbolSeries, TokenEda, TokenMetrics,
};
pub use error::{ApiErrorBody, ApiErrorDetail, ErrorCode, Suggestion};
pub use jobs::{DomainJob, JobInfo, JobList, JobProgress, JobQueued, JobRequest};
pub use meals::{
    Goal, MealConstraints, MealNutrients, MealPlan, MealPlanRequest, MealTargets, PlanDay,
    PlannedMeal, PlannedSide, RecommendMealRequest, RecommendMealResponse, RecommendedMeal, Sex,
    ShoppingItem, MAX_MEALS, MAX_MEALS_PER_DAY, MAX_PLAN_DAYS, MEAL_ALLERGENS, MEAL_DIETS,
    MEAL_PLAN_PARAMS,
};
pub use models::{
    ArtifactSummary, BaselinePrediction, BaselineVerdict, ClosePath, ClusterReport,
    ConfusionCounts, Direction, DirectionMetrics, Estimate, FeatureImportance, GridPoint,
    LearningPoint, Merge, ModelRef, ModelReport, ModelResult, ModelTask, ModelVersionSummary,
    PredictRequest, Prediction, PredictionComponents, ReturnMetrics, RunSummary, SplitSummary,
    TokenAccuracy,
};
pub use nutrition::{
    DietModelResult, EmbeddingReport, F1Point, FoodClusters, FoodHit, FoodProfile, LabelDecision,
    LabelScore, MacroPoints, Missingness, NeighbourQuality, NutrientAmount, NutrientCorrelation,
    NutrientHistogram, NutritionEda, NutritionReport, PortionValues, ProjectedFood,
    RegressionResult, RegressionTarget, SimilarFood,
};
pub use recipe::{
    AllergenRisk, AnalyzeRecipeRequest, AnalyzedLine, LineStatus, MatchedFood, MealEvaluation,
    NutritionErrorRow, ParsedField, ParserEvaluation, PrepDensity, QuantityRange, RecipeAnalysis,
    RecipeCaloriePoint, RecipeCoverage, RecipeDietLabel, RecipeExample, RecipeNutrient,
    RecipeOverview, RecipeReport, RecipeSeasonality, SeasonalItem, TagScore, TaggedWord,
    TaggerEpochPoint, MAX_LINE_CHARS, MAX_RECIPE_LINES, MAX_SERVINGS,
};
pub use recommend::{
    ArchetypeSummary, ArtifactRef, BrowserArtifacts, FoodBundleSummary, GapMethodResult,
    HoldingInput, RecommendRequest, RecommendResponse, Recommendation, RecommenderReport,
    RecommenderResult, TokenProfile, TuningPoint, MAX_RECOMMENDATIONS, RECOMMEND_METHODS,
};
pub use sentiment::{
    label_of_score, AblationResult, EpochLoss, HeadlineCheck, SentimentAblation, SentimentCoverage,
    SentimentDay, SentimentItem, SentimentModelResult, SentimentOverview, SentimentProbabilities,
    SentimentReport, SentimentResponse, SentimentSeries, SentimentTextsRequest,
    SentimentTextsResponse, SentimentTuning, TextSentiment, MAX_SENTIMENT_CHARS,
    MAX_SENTIMENT_TEXTS, SENTIMENT_LABELS,
};
pub use stats::{DbStats, FoodGroupSummary, ImportProgress, Readiness, SnapshotInfo, TokenSummary};
