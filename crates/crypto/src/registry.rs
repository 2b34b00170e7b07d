//! The crypto models' names in the model registry: the task of each prediction and the model
//! names the code can train.

use mmi_types::ModelTask;

use crate::models::{ClassifierKind, RegressorKind};

/// The registry's task names.
pub fn task_key(task: ModelTask) -> &'static str {
    match task {
        ModelTask::Direction => "crypto_direction",
        ModelTask::Return => "crypto_return",
    }
}

/// The task of a registry task name, if it is one of these.
pub fn task_of(key: &str) -> Option<ModelTask> {
    [ModelTask::Direction, ModelTask::Return]
        .into_iter()
        .find(|t| task_key(*t) == key)
}

/// Every model name the code can train, in either task.
pub fn model_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = ClassifierKind::ALL.iter().map(|k| k.name()).collect();
    for k in RegressorKind::ALL {
        if !names.contains(&k.name()) {
            names.push(k.name());
        }
    }
    names
}
