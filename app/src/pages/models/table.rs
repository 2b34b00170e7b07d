//! A comparison table sorted by clicking a column header.

use leptos::prelude::*;
use mmi_types::BaselineVerdict;

use super::report::VerdictBadge;

/// A cell of a comparison table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(String),
    Verdict(Option<BaselineVerdict>),
}

/// A row: one sort value per column, the cells, and whether it is a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub sort: Vec<Option<f64>>,
    pub cells: Vec<Cell>,
    pub baseline: bool,
}

/// A table sorted by clicking a header (again: the other direction); missing values sort last.
#[component]
pub fn SortableTable(
    test_id: &'static str,
    columns: Vec<(&'static str, &'static str, &'static str)>,
    rows: Vec<Row>,
    default_sort: usize,
    descending: bool,
) -> impl IntoView {
    let (sort, set_sort) = signal((default_sort, descending));
    let sorted_rows = move || {
        let (col, desc) = sort.get();
        let mut r = rows.clone();
        r.sort_by(|a, b| match (a.sort[col], b.sort[col]) {
            (Some(x), Some(y)) if desc => y.total_cmp(&x),
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        r.into_iter()
            .map(|row| {
                let cells = row
                    .cells
                    .into_iter()
                    .map(|c| match c {
                        Cell::Text(t) => view! { <td>{t}</td> }.into_any(),
                        Cell::Num(t) => view! { <td class="num">{t}</td> }.into_any(),
                        Cell::Verdict(v) => {
                            view! { <td><VerdictBadge verdict=v /></td> }.into_any()
                        }
                    })
                    .collect_view();
                view! { <tr class:baseline=row.baseline data-testid="model-row">{cells}</tr> }
            })
            .collect_view()
    };
    let header = columns
        .into_iter()
        .enumerate()
        .map(|(i, (key, label, tip))| {
            view! {
                <th class={if i > 0 { "num" } else { "" }} title=tip>
                    <button
                        class="sort"
                        data-testid=format!("sort-{key}")
                        aria-sort=move || match sort.get() {
                            (c, true) if c == i => "descending",
                            (c, false) if c == i => "ascending",
                            _ => "none",
                        }
                        on:click=move |_| set_sort.update(|s| *s = if s.0 == i { (i, !s.1) } else { (i, true) })
                    >
                        {label}
                    </button>
                </th>
            }
        })
        .collect_view();
    view! {
        <table class="data sortable" data-testid=test_id>
            <thead><tr>{header}</tr></thead>
            <tbody>{sorted_rows}</tbody>
        </table>
    }
}
