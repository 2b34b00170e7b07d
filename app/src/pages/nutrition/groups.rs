//! The USDA food groups in the store, with their food counts.

use leptos::prelude::*;
use mmi_types::FoodGroupSummary;

use crate::format::thousands;

/// Every USDA food group with its number of foods.
#[server(prefix = "/sfn", endpoint = "food_groups", output = crate::codec::Json)]
pub async fn get_food_groups() -> Result<Vec<FoodGroupSummary>, ServerFnError> {
    use crate::state::{serve_error, services};
    services()?.food_groups().await.map_err(serve_error)
}

#[component]
pub fn FoodGroupTable() -> impl IntoView {
    let groups = Resource::new(|| (), |_| get_food_groups());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading food groups…"</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(list) => {
                        view! {
                            <table class="data">
                                <thead>
                                    <tr>
                                        <th>"Code"</th>
                                        <th>"Food group"</th>
                                        <th class="num">"Foods"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|g| {
                                            view! {
                                                <tr data-testid="group-row">
                                                    <td>{g.code}</td>
                                                    <td>{g.name}</td>
                                                    <td class="num">{thousands(g.n_foods)}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
