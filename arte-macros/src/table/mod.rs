//! `#[table(name = "…", timestamps, soft_delete)]`: parse, validate, expand.

mod ast;
mod attr;
mod expand;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

pub fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let strukt = match syn::parse2::<syn::ItemStruct>(item.clone()) {
        Ok(strukt) => strukt,
        Err(_) => {
            let span = syn::parse2::<syn::Item>(item.clone())
                .map(|item| match item {
                    syn::Item::Enum(e) => e.ident.span(),
                    syn::Item::Union(u) => u.ident.span(),
                    syn::Item::Fn(f) => f.sig.ident.span(),
                    other => syn::spanned::Spanned::span(&other),
                })
                .unwrap_or_else(|_| proc_macro2::Span::call_site());
            let error = syn::Error::new(
                span,
                "#[table] goes on a struct with named fields, one per column\nhelp: `#[table(name = \"items\")] pub struct Item { pub id: Generated<i64>, pub name: String }`",
            )
            .to_compile_error();
            return quote!(#item #error);
        }
    };
    let contract =
        attr::parse_options(args).and_then(|options| validate::contract(options, &strukt));
    match contract {
        Ok(contract) => expand::expand(&contract),
        Err(error) => {
            // The struct stays, stripped of `#[column]`, so one mistake brings one error.
            let mut strukt = strukt;
            for field in strukt.fields.iter_mut() {
                field.attrs.retain(|a| !a.path().is_ident("column"));
            }
            let error = error.to_compile_error();
            quote!(#strukt #error)
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
