//! USDA National Nutrient Database for Standard Reference, release 26: `^`-separated,
//! `~`-quoted files without a header row (field order from the SR26 documentation, sr26_doc.pdf).
//! Imported in dependency order: FD_GROUP, NUTR_DEF, FOOD_DES, ABBREV (nutrients, long form),
//! WEIGHT (household portions).

use std::collections::HashSet;
use std::path::Path;

use mmi_store::{insert_new, upsert, Conn, Outcome, Pool, StoreError};

use super::{file_label, read_file};
use crate::batch::{combine, write_rows, Record};
use crate::text::split_sr_line;
use crate::{FileReport, IngestError, Progress};

/// One of the SR26 files this importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SrFile {
    FdGroup,
    NutrDef,
    FoodDes,
    Abbrev,
    Weight,
}

impl SrFile {
    /// The order that satisfies the foreign keys.
    pub(crate) const IN_ORDER: [SrFile; 5] = [
        SrFile::FdGroup,
        SrFile::NutrDef,
        SrFile::FoodDes,
        SrFile::Abbrev,
        SrFile::Weight,
    ];

    pub(crate) fn file_name(self) -> &'static str {
        match self {
            SrFile::FdGroup => "FD_GROUP.txt",
            SrFile::NutrDef => "NUTR_DEF.txt",
            SrFile::FoodDes => "FOOD_DES.txt",
            SrFile::Abbrev => "ABBREV.txt",
            SrFile::Weight => "WEIGHT.txt",
        }
    }

    fn n_fields(self) -> usize {
        match self {
            SrFile::FdGroup => 2,
            SrFile::NutrDef => 6,
            SrFile::FoodDes => 14,
            SrFile::Abbrev => 2 + ABBREV_NUTRIENTS.len() + 5,
            SrFile::Weight => 7,
        }
    }
}

/// ABBREV's 46 nutrient columns in file order: (column, Nutr_No, unit, INFOODS tag, name).
/// Nutr_No and units are those of NUTR_DEF, so ABBREV's wide rows become long-form rows keyed the
/// same way as FoodData Central's nutrient numbers.
pub(crate) const ABBREV_NUTRIENTS: [(&str, &str, &str, &str, &str); 46] = [
    ("Water_(g)", "255", "g", "WATER", "Water"),
    ("Energ_Kcal", "208", "kcal", "ENERC_KCAL", "Energy"),
    ("Protein_(g)", "203", "g", "PROCNT", "Protein"),
    ("Lipid_Tot_(g)", "204", "g", "FAT", "Total lipid (fat)"),
    ("Ash_(g)", "207", "g", "ASH", "Ash"),
    (
        "Carbohydrt_(g)",
        "205",
        "g",
        "CHOCDF",
        "Carbohydrate, by difference",
    ),
    ("Fiber_TD_(g)", "291", "g", "FIBTG", "Fiber, total dietary"),
    ("Sugar_Tot_(g)", "269", "g", "SUGAR", "Sugars, total"),
    ("Calcium_(mg)", "301", "mg", "CA", "Calcium, Ca"),
    ("Iron_(mg)", "303", "mg", "FE", "Iron, Fe"),
    ("Magnesium_(mg)", "304", "mg", "MG", "Magnesium, Mg"),
    ("Phosphorus_(mg)", "305", "mg", "P", "Phosphorus, P"),
    ("Potassium_(mg)", "306", "mg", "K", "Potassium, K"),
    ("Sodium_(mg)", "307", "mg", "NA", "Sodium, Na"),
    ("Zinc_(mg)", "309", "mg", "ZN", "Zinc, Zn"),
    ("Copper_mg)", "312", "mg", "CU", "Copper, Cu"),
    ("Manganese_(mg)", "315", "mg", "MN", "Manganese, Mn"),
    ("Selenium_(µg)", "317", "µg", "SE", "Selenium, Se"),
    (
        "Vit_C_(mg)",
        "401",
        "mg",
        "VITC",
        "Vitamin C, total ascorbic acid",
    ),
    ("Thiamin_(mg)", "404", "mg", "THIA", "Thiamin"),
    ("Riboflavin_(mg)", "405", "mg", "RIBF", "Riboflavin"),
    ("Niacin_(mg)", "406", "mg", "NIA", "Niacin"),
    ("Panto_Acid_mg)", "410", "mg", "PANTAC", "Pantothenic acid"),
    ("Vit_B6_(mg)", "415", "mg", "VITB6A", "Vitamin B-6"),
    ("Folate_Tot_(µg)", "417", "µg", "FOL", "Folate, total"),
    ("Folic_Acid_(µg)", "431", "µg", "FOLAC", "Folic acid"),
    ("Food_Folate_(µg)", "432", "µg", "FOLFD", "Folate, food"),
    ("Folate_DFE_(µg)", "435", "µg", "FOLDFE", "Folate, DFE"),
    ("Choline_Tot_ (mg)", "421", "mg", "CHOLN", "Choline, total"),
    ("Vit_B12_(µg)", "418", "µg", "VITB12", "Vitamin B-12"),
    ("Vit_A_IU", "318", "IU", "VITA_IU", "Vitamin A, IU"),
    ("Vit_A_RAE", "320", "µg", "VITA_RAE", "Vitamin A, RAE"),
    ("Retinol_(µg)", "319", "µg", "RETOL", "Retinol"),
    ("Alpha_Carot_(µg)", "322", "µg", "CARTA", "Carotene, alpha"),
    ("Beta_Carot_(µg)", "321", "µg", "CARTB", "Carotene, beta"),
    (
        "Beta_Crypt_(µg)",
        "334",
        "µg",
        "CRYPX",
        "Cryptoxanthin, beta",
    ),
    ("Lycopene_(µg)", "337", "µg", "LYCPN", "Lycopene"),
    (
        "Lut+Zea_ (µg)",
        "338",
        "µg",
        "LUT+ZEA",
        "Lutein + zeaxanthin",
    ),
    (
        "Vit_E_(mg)",
        "323",
        "mg",
        "TOCPHA",
        "Vitamin E (alpha-tocopherol)",
    ),
    ("Vit_D_µg", "328", "µg", "VITD", "Vitamin D (D2 + D3)"),
    ("Vit_D_IU", "324", "IU", "VITD_IU", "Vitamin D"),
    (
        "Vit_K_(µg)",
        "430",
        "µg",
        "VITK1",
        "Vitamin K (phylloquinone)",
    ),
    (
        "FA_Sat_(g)",
        "606",
        "g",
        "FASAT",
        "Fatty acids, total saturated",
    ),
    (
        "FA_Mono_(g)",
        "645",
        "g",
        "FAMS",
        "Fatty acids, total monounsaturated",
    ),
    (
        "FA_Poly_(g)",
        "646",
        "g",
        "FAPU",
        "Fatty acids, total polyunsaturated",
    ),
    ("Cholestrl_(mg)", "601", "mg", "CHOLE", "Cholesterol"),
];

/// A parsed row of one of the SR files.
#[derive(Debug, Clone, PartialEq)]
enum SrRow {
    FoodGroup {
        code: String,
        name: String,
    },
    Nutrient {
        nutr_no: String,
        unit: String,
        tagname: Option<String>,
        name: String,
        decimals: Option<i64>,
        sort_order: Option<i64>,
    },
    Food {
        ndb_no: String,
        group: String,
        description: String,
        short_description: Option<String>,
        common_names: Option<String>,
        manufacturer: Option<String>,
        refuse_pct: Option<f64>,
        scientific_name: Option<String>,
        factors: [Option<f64>; 4],
    },
    /// ABBREV: one food's nutrients, `None` where the file leaves the field empty.
    Nutrients {
        ndb_no: String,
        short_description: String,
        amounts: Vec<Option<f64>>,
    },
    Portion {
        ndb_no: String,
        seq: i64,
        amount: f64,
        measure: String,
        grams: f64,
    },
}

impl Record for SrRow {
    fn key(&self) -> String {
        match self {
            SrRow::FoodGroup { code, .. } => code.clone(),
            SrRow::Nutrient { nutr_no, .. } => nutr_no.clone(),
            SrRow::Food { ndb_no, .. } | SrRow::Nutrients { ndb_no, .. } => ndb_no.clone(),
            SrRow::Portion { ndb_no, seq, .. } => format!("{ndb_no}/{seq}"),
        }
    }

    async fn write(&self, conn: &mut Conn) -> Result<Outcome, StoreError> {
        match self {
            SrRow::FoodGroup { code, name } => {
                upsert(
                    conn,
                    "food_groups",
                    &[("code", code.as_str().into())],
                    &[("name", name.as_str().into())],
                )
                .await
            }
            SrRow::Nutrient {
                nutr_no,
                unit,
                tagname,
                name,
                decimals,
                sort_order,
            } => {
                upsert(
                    conn,
                    "nutrient_definitions",
                    &[("nutr_no", nutr_no.as_str().into())],
                    &[
                        ("unit", unit.as_str().into()),
                        ("tagname", tagname.clone().into()),
                        ("name", name.as_str().into()),
                        ("decimals", (*decimals).into()),
                        ("sort_order", (*sort_order).into()),
                    ],
                )
                .await
            }
            SrRow::Food {
                ndb_no,
                group,
                description,
                short_description,
                common_names,
                manufacturer,
                refuse_pct,
                scientific_name,
                factors,
            } => {
                upsert(
                    conn,
                    "foods",
                    &[("ndb_no", ndb_no.as_str().into())],
                    &[
                        ("food_group_code", group.as_str().into()),
                        ("description", description.as_str().into()),
                        ("short_description", short_description.clone().into()),
                        ("common_names", common_names.clone().into()),
                        ("manufacturer", manufacturer.clone().into()),
                        ("refuse_pct", (*refuse_pct).into()),
                        ("scientific_name", scientific_name.clone().into()),
                        ("n_factor", factors[0].into()),
                        ("pro_factor", factors[1].into()),
                        ("fat_factor", factors[2].into()),
                        ("cho_factor", factors[3].into()),
                    ],
                )
                .await
            }
            SrRow::Nutrients {
                ndb_no,
                short_description,
                amounts,
            } => write_nutrients(conn, ndb_no, short_description, amounts).await,
            SrRow::Portion {
                ndb_no,
                seq,
                amount,
                measure,
                grams,
            } => {
                upsert(
                    conn,
                    "food_portions",
                    &[("ndb_no", ndb_no.as_str().into()), ("seq", (*seq).into())],
                    &[
                        ("amount", (*amount).into()),
                        ("measure", measure.as_str().into()),
                        ("grams", (*grams).into()),
                    ],
                )
                .await
            }
        }
    }
}

/// Stores one ABBREV row: the food (only if FOOD_DES did not describe it already), a long-form
/// row per measured nutrient, and no row (deleting a stale one) for each missing nutrient.
async fn write_nutrients(
    conn: &mut Conn,
    ndb_no: &str,
    short_description: &str,
    amounts: &[Option<f64>],
) -> Result<Outcome, StoreError> {
    let mut outcome = insert_new(
        conn,
        "foods",
        &[("ndb_no", ndb_no.into())],
        &[
            ("description", short_description.into()),
            ("short_description", short_description.into()),
        ],
    )
    .await?;
    for ((_, nutr_no, unit, _, _), amount) in ABBREV_NUTRIENTS.iter().zip(amounts) {
        let keys = [("ndb_no", ndb_no.into()), ("nutr_no", (*nutr_no).into())];
        let this = match amount {
            Some(amount) => {
                upsert(
                    conn,
                    "food_nutrients",
                    &keys,
                    &[("amount", (*amount).into()), ("unit", (*unit).into())],
                )
                .await?
            }
            None => {
                let deleted =
                    sqlx::query("DELETE FROM food_nutrients WHERE ndb_no = $1 AND nutr_no = $2")
                        .bind(ndb_no)
                        .bind(nutr_no)
                        .execute(&mut *conn)
                        .await?
                        .rows_affected();
                if deleted > 0 {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                }
            }
        };
        outcome = combine(outcome, this);
    }
    Ok(outcome)
}

fn text(fields: &[Option<String>], i: usize, name: &str) -> Result<String, String> {
    fields[i].clone().ok_or_else(|| format!("{name}: missing"))
}

fn number(fields: &[Option<String>], i: usize, name: &str) -> Result<Option<f64>, String> {
    fields[i]
        .as_deref()
        .map(|s| crate::text::opt_f64(s, name))
        .transpose()
        .map(Option::flatten)
}

fn integer(fields: &[Option<String>], i: usize, name: &str) -> Result<Option<i64>, String> {
    fields[i]
        .as_deref()
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| format!("{name}: not an integer: {s:?}"))
        })
        .transpose()
}

fn positive(fields: &[Option<String>], i: usize, name: &str) -> Result<f64, String> {
    match number(fields, i, name)? {
        Some(v) if v > 0.0 => Ok(v),
        Some(v) => Err(format!("{name}: must be positive, found {v}")),
        None => Err(format!("{name}: missing")),
    }
}

/// Codes that rows of `file` refer to and that must already be stored.
struct Known {
    groups: HashSet<String>,
    foods: HashSet<String>,
}

fn parse_line(file: SrFile, f: &[Option<String>], known: &Known) -> Result<SrRow, String> {
    Ok(match file {
        SrFile::FdGroup => SrRow::FoodGroup {
            code: text(f, 0, "FdGrp_Cd")?,
            name: text(f, 1, "FdGrp_Desc")?,
        },
        SrFile::NutrDef => SrRow::Nutrient {
            nutr_no: text(f, 0, "Nutr_No")?,
            unit: text(f, 1, "Units")?,
            tagname: f[2].clone(),
            name: text(f, 3, "NutrDesc")?,
            decimals: integer(f, 4, "Num_Dec")?,
            sort_order: integer(f, 5, "SR_Order")?,
        },
        SrFile::FoodDes => {
            let group = text(f, 1, "FdGrp_Cd")?;
            if !known.groups.contains(&group) {
                return Err(format!("FdGrp_Cd: unknown food group {group:?}"));
            }
            SrRow::Food {
                ndb_no: text(f, 0, "NDB_No")?,
                group,
                description: text(f, 2, "Long_Desc")?,
                short_description: f[3].clone(),
                common_names: f[4].clone(),
                manufacturer: f[5].clone(),
                refuse_pct: number(f, 8, "Refuse")?,
                scientific_name: f[9].clone(),
                factors: [
                    number(f, 10, "N_Factor")?,
                    number(f, 11, "Pro_Factor")?,
                    number(f, 12, "Fat_Factor")?,
                    number(f, 13, "CHO_Factor")?,
                ],
            }
        }
        SrFile::Abbrev => {
            let amounts = ABBREV_NUTRIENTS
                .iter()
                .enumerate()
                .map(|(i, (column, ..))| match number(f, 2 + i, column)? {
                    Some(v) if v < 0.0 => Err(format!("{column}: negative: {v}")),
                    v => Ok(v),
                })
                .collect::<Result<Vec<_>, String>>()?;
            SrRow::Nutrients {
                ndb_no: text(f, 0, "NDB_No")?,
                short_description: text(f, 1, "Shrt_Desc")?,
                amounts,
            }
        }
        SrFile::Weight => {
            let ndb_no = text(f, 0, "NDB_No")?;
            if !known.foods.contains(&ndb_no) {
                return Err(format!("NDB_No: unknown food {ndb_no:?}"));
            }
            SrRow::Portion {
                ndb_no,
                seq: integer(f, 1, "Seq")?.ok_or("Seq: missing")?,
                amount: positive(f, 2, "Amount")?,
                measure: text(f, 3, "Msre_Desc")?,
                grams: positive(f, 4, "Gm_Wgt")?,
            }
        }
    })
}

async fn known_codes(pool: &Pool, file: SrFile) -> Result<Known, IngestError> {
    let load = |sql: &'static str| async move {
        sqlx::query_scalar::<_, String>(sql)
            .fetch_all(pool)
            .await
            .map(|v| v.into_iter().collect::<HashSet<_>>())
    };
    Ok(Known {
        groups: if file == SrFile::FoodDes {
            load("SELECT code FROM food_groups").await?
        } else {
            HashSet::new()
        },
        foods: if file == SrFile::Weight {
            load("SELECT ndb_no FROM foods").await?
        } else {
            HashSet::new()
        },
    })
}

/// Imports one SR26 file.
pub(crate) async fn import(
    pool: &Pool,
    file: SrFile,
    path: &Path,
    progress: &Progress,
) -> Result<FileReport, IngestError> {
    let mut report = FileReport::new(file_label(path));
    let content = read_file(path)?;
    let known = known_codes(pool, file).await?;

    if file == SrFile::Abbrev {
        // ABBREV's columns name their nutrients; make sure each has a definition even when
        // NUTR_DEF was not imported (never overwriting NUTR_DEF's own).
        let mut tx = pool.begin().await?;
        for (_, nutr_no, unit, tag, name) in ABBREV_NUTRIENTS {
            insert_new(
                &mut tx,
                "nutrient_definitions",
                &[("nutr_no", nutr_no.into())],
                &[
                    ("unit", unit.into()),
                    ("tagname", tag.into()),
                    ("name", name.into()),
                ],
            )
            .await?;
        }
        tx.commit().await?;
    }

    let mut rows = Vec::new();
    for (i, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = i as u64 + 1;
        report.read += 1;
        let parsed = split_sr_line(line).and_then(|fields| {
            if fields.len() != file.n_fields() {
                return Err(format!(
                    "expected {} fields, found {}",
                    file.n_fields(),
                    fields.len()
                ));
            }
            parse_line(file, &fields, &known)
        });
        match parsed {
            Ok(row) => rows.push((line_no, row)),
            Err(reason) => report.reject(line_no, reason),
        }
    }
    write_rows(pool, rows, &mut report, progress).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbrev_has_46_distinct_nutrients() {
        let ids: HashSet<_> = ABBREV_NUTRIENTS.iter().map(|n| n.1).collect();
        assert_eq!(ids.len(), 46);
        assert_eq!(SrFile::Abbrev.n_fields(), 53);
    }

    #[test]
    fn empty_abbrev_fields_are_missing_not_zero() {
        let line = "~16200~^~CAMPBELL'S BRN SUGAR&BACON FLAV BKD BNS~^69.40^123^3.85^1.92^1.75^23.08^6.2^10.00^31^1.11^^^^362^^^^^0.0^^^^^^^^^^^^0^^^^^^^^^^^^0.385^^^4^130^~.5 cup~^130^~1 serving~^0";
        let fields = split_sr_line(line).unwrap();
        let known = Known {
            groups: HashSet::new(),
            foods: HashSet::new(),
        };
        let SrRow::Nutrients { amounts, .. } = parse_line(SrFile::Abbrev, &fields, &known).unwrap()
        else {
            panic!("an ABBREV line parses to nutrients");
        };
        assert_eq!(amounts[1], Some(123.0)); // Energ_Kcal
        assert_eq!(amounts[10], None); // Magnesium: empty field
        assert_eq!(amounts[18], Some(0.0)); // Vit_C: a measured zero stays zero
    }

    #[test]
    fn weight_rows_for_unknown_foods_are_rejected() {
        let fields = split_sr_line("~99999~^1^1^~cup~^128.0^^").unwrap();
        let known = Known {
            groups: HashSet::new(),
            foods: HashSet::new(),
        };
        let err = parse_line(SrFile::Weight, &fields, &known).unwrap_err();
        assert!(err.contains("unknown food"), "{err}");
    }
}
