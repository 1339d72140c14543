//! `#[table(name = "…", timestamps, soft_delete)]`: parse, validate, expand.

mod ast;
mod attr;
mod expand;
mod validate;

use crate::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::quote;

/// Entry point: the attribute's arguments and the struct it stands on.
pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let Ok(mut strukt) = syn::parse2::<syn::ItemStruct>(item.clone()) else {
        cx.error_at(
            crate::item::name_span(&item),
            "#[table] goes on a struct with named fields, one per column\nhelp: `#[table(name = \"items\")] pub struct Item { pub id: Generated<i64>, pub name: String }`",
        );
        let errors = cx.check().err().map(|errors| errors.to_compile_error());
        return quote!(#item #errors);
    };
    let contract = attr::parse_options(&cx, args)
        .map(|options| ast::Contract::from_syn(&cx, options, &strukt));
    if let Some(contract) = &contract {
        validate::check(&cx, contract);
    }
    match (cx.check(), contract) {
        (Ok(()), Some(contract)) => expand::expand(&contract),
        (result, _) => {
            // The struct stays, stripped of `#[column]`, so one mistake brings one error.
            for field in strukt.fields.iter_mut() {
                field.attrs.retain(|a| !a.path().is_ident("column"));
            }
            let errors = result.err().map(|errors| errors.to_compile_error());
            quote!(#strukt #errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::snapshot::assert_expansion;
    use quote::quote;

    #[test]
    fn a_table_without_options_has_its_fields_for_columns() {
        let expansion = super::expand(
            quote!(name = "items"),
            quote! {
                pub struct Item {
                    pub id: Generated<i64>,
                    pub name: String,
                }
            },
        );
        assert_expansion("table_without_options", expansion);
    }

    #[test]
    fn timestamps_add_created_at_and_updated_at() {
        let expansion = super::expand(
            quote!(name = "items", timestamps),
            quote! {
                pub struct Item {
                    pub id: Generated<i64>,
                    pub name: String,
                }
            },
        );
        assert_expansion("table_timestamps", expansion);
    }

    #[test]
    fn soft_delete_adds_deleted_at_and_hides_deleted_rows() {
        let expansion = super::expand(
            quote!(name = "items", soft_delete),
            quote! {
                pub struct Item {
                    pub id: Generated<i64>,
                    pub name: String,
                }
            },
        );
        assert_expansion("table_soft_delete", expansion);
    }

    #[test]
    fn timestamps_and_soft_delete_together_touch_updated_at_on_delete() {
        let expansion = super::expand(
            quote!(name = "items", timestamps, soft_delete),
            quote! {
                pub struct Item {
                    pub id: Generated<i64>,
                    pub name: String,
                }
            },
        );
        assert_expansion("table_timestamps_soft_delete", expansion);
    }

    #[test]
    fn marked_primary_key_columns_make_a_composite_key() {
        let expansion = super::expand(
            quote!(name = "memberships"),
            quote! {
                pub struct Membership {
                    #[column(primary_key)]
                    pub user_id: i64,
                    #[column(primary_key)]
                    pub group_id: i64,
                    pub role: String,
                }
            },
        );
        assert_expansion("table_composite_key", expansion);
    }

    #[test]
    fn a_renamed_column_keeps_its_field_and_its_sql_name() {
        let expansion = super::expand(
            quote!(name = "items"),
            quote! {
                pub struct Item {
                    pub id: Generated<i64>,
                    #[column(name = "item_name")]
                    pub name: String,
                }
            },
        );
        assert_expansion("table_renamed_column", expansion);
    }

    #[test]
    fn references_make_the_tables_joinable() {
        let expansion = super::expand(
            quote!(name = "posts"),
            quote! {
                pub struct Post {
                    pub id: Generated<i64>,
                    #[column(references = "users")]
                    pub user_id: i64,
                    pub title: String,
                }
            },
        );
        assert_expansion("table_references", expansion);
    }

    #[test]
    fn indexes_and_unique_constraints_go_into_the_metadata() {
        let expansion = super::expand(
            quote!(
                name = "users",
                timestamps,
                index(name, created_at),
                unique(team_id, name)
            ),
            quote! {
                pub struct User {
                    pub id: Generated<i64>,
                    #[column(unique, type = "varchar(255)")]
                    pub email: String,
                    #[column(index, type = "varchar(120)")]
                    pub name: String,
                    pub team_id: i64,
                }
            },
        );
        assert_expansion("table_indexes", expansion);
    }

    #[test]
    fn a_reference_to_a_column_is_a_foreign_key_with_its_actions() {
        let expansion = super::expand(
            quote!(name = "orders"),
            quote! {
                pub struct Order {
                    pub id: Generated<i64>,
                    #[column(references = "users.id", on_delete = "cascade", on_update = "restrict")]
                    pub user_id: i64,
                    #[column(references = "coupons.code", on_delete = "set_null")]
                    pub coupon: Option<String>,
                }
            },
        );
        assert_expansion("table_foreign_keys", expansion);
    }

    #[test]
    fn defaults_and_declared_types_go_into_the_metadata() {
        let expansion = super::expand(
            quote!(name = "products"),
            quote! {
                pub struct Product {
                    pub id: Generated<i64>,
                    #[column(default = 0)]
                    pub stock: i32,
                    #[column(default = -1.5)]
                    pub rating: f64,
                    #[column(default = true)]
                    pub visible: bool,
                    #[column(default = "new", type = "varchar(20)")]
                    pub state: String,
                    #[column(type = "decimal(10, 2)", default = 0)]
                    pub price: BigDecimal,
                    #[column(default_raw = "CURRENT_TIMESTAMP")]
                    pub listed_at: chrono::NaiveDateTime,
                }
            },
        );
        assert_expansion("table_defaults_and_types", expansion);
    }

    #[test]
    fn an_option_field_is_a_nullable_column() {
        let expansion = super::expand(
            quote!(name = "items"),
            quote! {
                pub struct Item {
                    pub id: Generated<i64>,
                    pub description: Option<String>,
                }
            },
        );
        assert_expansion("table_nullable", expansion);
    }

    #[test]
    fn json_uuid_and_utc_fields_go_through_their_wrappers() {
        let expansion = super::expand(
            quote!(name = "events"),
            quote! {
                pub struct Event {
                    pub id: Generated<i64>,
                    pub payload: serde_json::Value,
                    pub trace: Option<uuid::Uuid>,
                    pub at: chrono::DateTime<Utc>,
                }
            },
        );
        assert_expansion("table_json_uuid_utc", expansion);
    }
}
