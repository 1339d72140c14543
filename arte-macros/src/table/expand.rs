//! From a checked [`Contract`] to diesel's table, the row, insert and changeset types,
//! the query layer and the metadata. Infallible.

use super::ast::{Contract, Field};
use super::attr::DefaultValue;
use super::validate::{action, column_type, is_key, reference_target};
use arte_vocab::{ColumnKind, ColumnType};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, LitStr};

fn sql_type(kind: ColumnKind) -> TokenStream {
    match kind {
        ColumnKind::SmallInt => quote!(diesel::sql_types::SmallInt),
        ColumnKind::Integer => quote!(diesel::sql_types::Integer),
        ColumnKind::BigInt => quote!(diesel::sql_types::BigInt),
        ColumnKind::Float => quote!(diesel::sql_types::Float),
        ColumnKind::Double => quote!(diesel::sql_types::Double),
        ColumnKind::Bool => quote!(diesel::sql_types::Bool),
        ColumnKind::Text => quote!(diesel::sql_types::Text),
        ColumnKind::Binary => quote!(diesel::sql_types::Binary),
        ColumnKind::Date => quote!(diesel::sql_types::Date),
        ColumnKind::Timestamp => quote!(diesel::sql_types::Timestamp),
        ColumnKind::TimestampUtc => quote!(::arte_core::contract::sql_types::TimestampUtc),
        ColumnKind::Json => quote!(::arte_core::contract::sql_types::Json),
        ColumnKind::Uuid => quote!(::arte_core::contract::sql_types::Uuid),
        ColumnKind::Decimal => quote!(::arte_core::contract::sql_types::Decimal),
    }
}

/// `ColumnType::Varchar(255)`, as the metadata spells it.
fn column_type_tokens(ty: ColumnType) -> TokenStream {
    let path = quote!(::arte_core::__private::ColumnType);
    match ty {
        ColumnType::SmallInt => quote!(#path::SmallInt),
        ColumnType::Integer => quote!(#path::Integer),
        ColumnType::BigInt => quote!(#path::BigInt),
        ColumnType::Boolean => quote!(#path::Boolean),
        ColumnType::Text => quote!(#path::Text),
        ColumnType::Varchar(n) => quote!(#path::Varchar(#n)),
        ColumnType::Char(n) => quote!(#path::Char(#n)),
        ColumnType::Decimal(p, s) => quote!(#path::Decimal(#p, #s)),
        ColumnType::Real => quote!(#path::Real),
        ColumnType::Double => quote!(#path::Double),
        ColumnType::Date => quote!(#path::Date),
        ColumnType::Time => quote!(#path::Time),
        ColumnType::Timestamp => quote!(#path::Timestamp),
        ColumnType::TimestampTz => quote!(#path::TimestampTz),
        ColumnType::Json => quote!(#path::Json),
        ColumnType::Jsonb => quote!(#path::Jsonb),
        ColumnType::Uuid => quote!(#path::Uuid),
        ColumnType::Blob => quote!(#path::Blob),
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

fn action_tokens(text: Option<&LitStr>) -> TokenStream {
    option(text.and_then(|t| action(&t.value())).map(|variant| {
        let variant = Ident::new(variant, Span::call_site());
        quote!(::arte_core::__private::Action::#variant)
    }))
}

/// For types of other crates: the wrapper that carries them to the database (diesel's
/// `serialize_as`), nullable or not. A `NaiveDateTime` is written through one too, bound as
/// MySQL's `DATETIME` (as a `TIMESTAMP`, MariaDB stores one outside 1970-2038 as NULL).
fn wrapper(kind: ColumnKind, nullable: bool) -> Option<TokenStream> {
    let name = match (kind, nullable) {
        (ColumnKind::TimestampUtc, false) => "UtcValue",
        (ColumnKind::TimestampUtc, true) => "OptionalUtc",
        (ColumnKind::Json, false) => "JsonValue",
        (ColumnKind::Json, true) => "OptionalJson",
        (ColumnKind::Uuid, false) => "UuidValue",
        (ColumnKind::Uuid, true) => "OptionalUuid",
        (ColumnKind::Decimal, false) => "DecimalValue",
        (ColumnKind::Decimal, true) => "OptionalDecimal",
        (ColumnKind::Timestamp, false) => "NaiveValue",
        (ColumnKind::Timestamp, true) => "OptionalNaive",
        _ => return None,
    };
    let name = Ident::new(name, Span::call_site());
    Some(quote!(::arte_core::contract::sql_types::#name))
}

/// The wrapper that carries a value of another crate from the database (diesel's
/// `deserialize_as`): [`wrapper`]'s, but for a `NaiveDateTime`, which diesel reads itself.
fn read_wrapper(kind: ColumnKind, nullable: bool) -> Option<TokenStream> {
    match kind {
        ColumnKind::Timestamp => None,
        _ => wrapper(kind, nullable),
    }
}

/// A column of the generated table: a contract field or a mixin's.
struct Column {
    ident: Ident,
    name: String,
    kind: ColumnKind,
    ty: ColumnType,
    nullable: bool,
    generated: bool,
    primary_key: bool,
    mixin: Option<&'static str>,
    /// The metadata's `ContractDefault`, when there is one.
    default: Option<TokenStream>,
}

/// The metadata of a field's default.
fn default_tokens(field: &Field) -> Option<TokenStream> {
    let path = quote!(::arte_core::__private::ContractDefault);
    if let Some(raw) = &field.default_raw {
        return Some(quote!(#path::Raw(#raw)));
    }
    Some(match &field.default.as_ref()?.value {
        DefaultValue::Int(n) | DefaultValue::Float(n) => quote!(#path::Number(#n)),
        DefaultValue::Bool(b) => quote!(#path::Bool(#b)),
        DefaultValue::Text(text) => quote!(#path::Text(#text)),
    })
}

pub fn expand(contract: &Contract) -> TokenStream {
    let Contract {
        attrs,
        vis,
        ident,
        options,
        fields,
        ..
    } = contract;
    let table_name = options.name.as_ref().map(LitStr::value).unwrap_or_default();
    let table = Ident::new(&table_name, Span::call_site());
    let new_ident = format_ident!("New{}", ident);
    let changes_ident = format_ident!("{}Changes", ident);
    let timestamps = options.timestamps.is_some();
    let soft_delete = options.soft_delete.is_some();

    let mut columns: Vec<Column> = fields
        .iter()
        .map(|f| Column {
            ident: f.ident.clone(),
            name: f.column.clone(),
            kind: f.kind,
            // Validation has refused a field without a type.
            ty: column_type(f).unwrap_or(ColumnType::Text),
            nullable: f.nullable,
            generated: f.generated,
            primary_key: is_key(f, fields),
            mixin: None,
            default: default_tokens(f),
        })
        .collect();
    let mixin = |name: &str, nullable: bool, mixin: &'static str| Column {
        ident: Ident::new(name, Span::call_site()),
        name: name.to_owned(),
        kind: ColumnKind::Timestamp,
        ty: ColumnType::Timestamp,
        nullable,
        generated: false,
        primary_key: false,
        mixin: Some(mixin),
        // What `add_timestamp_columns` gives them.
        default: (!nullable).then(|| {
            quote!(::arte_core::__private::ContractDefault::Raw(
                "CURRENT_TIMESTAMP"
            ))
        }),
    };
    if timestamps {
        columns.push(mixin("created_at", false, "timestamps"));
        columns.push(mixin("updated_at", false, "timestamps"));
    }
    if soft_delete {
        columns.push(mixin("deleted_at", true, "soft_delete"));
    }

    // diesel's table: columns go by their field's name; `sql_name` keeps the real one.
    let table_columns = columns.iter().map(|c| {
        let ident = &c.ident;
        let ty = sql_type(c.kind);
        let ty = if c.nullable {
            quote!(diesel::sql_types::Nullable<#ty>)
        } else {
            ty
        };
        let rename = (c.ident != c.name).then(|| {
            let name = &c.name;
            quote!(#[sql_name = #name])
        });
        quote!(#rename #ident -> #ty,)
    });
    let keys: Vec<&Field> = fields.iter().filter(|f| is_key(f, fields)).collect();
    let key_idents: Vec<&Ident> = keys.iter().map(|f| &f.ident).collect();

    // The row: the struct itself, `Generated<T>` as `T`, mixin columns added.
    let naive = quote!(::arte_core::__private::chrono::NaiveDateTime);
    let row_fields = fields.iter().map(|f| {
        let Field {
            attrs,
            vis,
            ident,
            row_ty,
            ..
        } = f;
        let via = read_wrapper(f.kind, f.nullable).map(|w| quote!(#[diesel(deserialize_as = #w)]));
        quote!(#(#attrs)* #via #vis #ident: #row_ty,)
    });
    let mixin_fields = columns.iter().filter(|c| c.mixin.is_some()).map(|c| {
        let ident = &c.ident;
        let doc = match c.name.as_str() {
            "created_at" => "When the row was created (the `timestamps` mixin).",
            "updated_at" => "When the row was last updated (the `timestamps` mixin).",
            _ => "When the row was soft-deleted, if it was (the `soft_delete` mixin).",
        };
        if c.nullable {
            quote!(#[doc = #doc] pub #ident: ::core::option::Option<#naive>,)
        } else {
            quote!(#[doc = #doc] pub #ident: #naive,)
        }
    });

    let insert_fields: Vec<&Field> = fields.iter().filter(|f| !f.generated).collect();
    let insert_struct = {
        let items = insert_fields.iter().map(|f| {
            let Field {
                vis, ident, row_ty, ..
            } = f;
            let via = wrapper(f.kind, f.nullable).map(|w| quote!(#[diesel(serialize_as = #w)]));
            quote!(#via #vis #ident: #row_ty,)
        });
        let doc = format!(
            "A new row of [`{ident}`] (`{table_name}`), without the columns the database fills in."
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, diesel::Insertable)]
            #[diesel(table_name = #table)]
            #vis struct #new_ident {
                #(#items)*
            }
        }
    };

    let change_fields: Vec<&Field> = fields
        .iter()
        .filter(|f| !f.generated && !is_key(f, fields))
        .collect();
    let changes_struct = (!change_fields.is_empty()).then(|| {
        let items = change_fields.iter().map(|f| {
            let Field {
                vis, ident, row_ty, ..
            } = f;
            let via = wrapper(f.kind, f.nullable).map(|w| quote!(#[diesel(serialize_as = #w)]));
            quote!(#via #vis #ident: ::core::option::Option<#row_ty>,)
        });
        let doc = format!(
            "Changes to a row of [`{ident}`]: each `Some` field is set, each `None` left as it is."
        );
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Default, diesel::AsChangeset)]
            #[diesel(table_name = #table)]
            #vis struct #changes_ident {
                #(#items)*
            }
        }
    });

    // diesel joins a child's column with its parent's primary key: references to `id`,
    // the first to each table (diesel takes one `joinable!` per pair of tables).
    let mut parents: Vec<String> = Vec::new();
    let joins: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            let target = f.references.as_ref()?;
            let (parent, column) = reference_target(&target.value())?;
            if column != "id" || parents.contains(&parent) {
                return None;
            }
            parents.push(parent.clone());
            let parent = Ident::new(&parent, target.span());
            let column = &f.ident;
            Some(quote!(diesel::joinable!(#table -> #parent (#column));))
        })
        .collect();

    let metadata = metadata(contract, &table_name, &columns);
    let query = query_layer(
        contract,
        &table,
        &keys,
        &new_ident,
        changes_struct.is_some(),
    );

    // The fields' types as written (`Generated<i64>`), so that they resolve where the user
    // wrote them: their imports count as used, and a missing one is reported.
    let written: Vec<&syn::Type> = fields.iter().map(|f| &f.ty).collect();

    quote! {
        const _: ::core::marker::PhantomData<(#(#written,)*)> = ::core::marker::PhantomData;

        #(#attrs)*
        #[derive(diesel::Queryable, diesel::Selectable, diesel::Identifiable)]
        #[diesel(table_name = #table, primary_key(#(#key_idents),*))]
        #vis struct #ident {
            #(#row_fields)*
            #(#mixin_fields)*
        }

        diesel::table! {
            #table (#(#key_idents),*) {
                #(#table_columns)*
            }
        }

        #(#joins)*

        #insert_struct

        #changes_struct

        #metadata

        #query
    }
}

fn metadata(contract: &Contract, table_name: &str, columns: &[Column]) -> TokenStream {
    let ident = &contract.ident;
    let rust_name = ident.to_string();
    let static_ident = format_ident!("__ARTE_CONTRACT_{}", ident);
    let entries = columns.iter().map(|c| {
        let name = &c.name;
        let field = c.ident.to_string();
        let kind = Ident::new(c.kind.variant(), Span::call_site());
        let nullable = c.nullable;
        let generated = c.generated;
        let primary_key = c.primary_key;
        let mixin = option(c.mixin.map(|m| quote!(#m)));
        let ty = column_type_tokens(c.ty);
        let default = option(c.default.clone());
        quote! {
            ::arte_core::__private::ColumnContract {
                name: #name,
                field: #field,
                kind: ::arte_core::__private::ColumnKind::#kind,
                ty: #ty,
                nullable: #nullable,
                generated: #generated,
                primary_key: #primary_key,
                default: #default,
                mixin: #mixin,
            }
        }
    });
    // Indexes: those on one field first, in field order, then the table's own.
    let column_of = |ident: &Ident| -> String {
        contract
            .fields
            .iter()
            .find(|f| f.ident == *ident)
            .map_or_else(|| ident.to_string(), |f| f.column.clone())
    };
    let mut indexes: Vec<(Vec<String>, bool)> = Vec::new();
    for field in &contract.fields {
        if field.unique.is_some() {
            indexes.push((vec![field.column.clone()], true));
        } else if field.index.is_some() {
            indexes.push((vec![field.column.clone()], false));
        }
    }
    for index in &contract.options.indexes {
        indexes.push((index.columns.iter().map(column_of).collect(), index.unique));
    }
    let indexes = indexes.iter().map(|(columns, unique)| {
        quote! {
            ::arte_core::__private::IndexContract {
                columns: &[#(#columns),*],
                unique: #unique,
            }
        }
    });
    let foreign_keys = contract.fields.iter().filter_map(|f| {
        let (table, column) = reference_target(&f.references.as_ref()?.value())?;
        let name = &f.column;
        let on_delete = action_tokens(f.on_delete.as_ref());
        let on_update = action_tokens(f.on_update.as_ref());
        Some(quote! {
            ::arte_core::__private::ForeignKeyContract {
                columns: &[#name],
                table: #table,
                references: &[#column],
                on_delete: #on_delete,
                on_update: #on_update,
            }
        })
    });
    let timestamps = contract.options.timestamps.is_some();
    let soft_delete = contract.options.soft_delete.is_some();
    let doc = format!("The contract of [`{ident}`], as `#[table]` registered it.");
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        pub static #static_ident: ::arte_core::__private::TableContract =
            ::arte_core::__private::TableContract {
                table: #table_name,
                rust_name: #rust_name,
                columns: &[#(#entries),*],
                indexes: &[#(#indexes),*],
                foreign_keys: &[#(#foreign_keys),*],
                timestamps: #timestamps,
                soft_delete: #soft_delete,
                location: ::arte_core::Location {
                    file: ::core::file!(),
                    line: ::core::line!(),
                },
            };

        ::arte_core::__private::inventory::submit! {
            ::arte_core::__private::ContractRegistration { contract: &#static_ident }
        }

        impl #ident {
            #[doc = #doc]
            pub fn contract() -> &'static ::arte_core::__private::TableContract {
                &#static_ident
            }
        }
    }
}

fn query_layer(
    contract: &Contract,
    table: &Ident,
    keys: &[&Field],
    new_ident: &Ident,
    has_changes: bool,
) -> TokenStream {
    let ident = &contract.ident;
    let changes_ident = format_ident!("{}Changes", ident);
    let timestamps = contract.options.timestamps.is_some();
    let soft_delete = contract.options.soft_delete.is_some();
    let conn = quote!(conn: &mut ::arte_core::AnyConnection);
    let result = |t: TokenStream| quote!(::arte_core::Result<#t>);

    // The key: one column's type, or a tuple of several.
    let key_types: Vec<&syn::Type> = keys.iter().map(|f| &f.row_ty).collect();
    let key_ty = match key_types.as_slice() {
        [one] => quote!(#one),
        many => quote!((#(#many),*)),
    };
    let key_from_new = {
        let idents = keys.iter().map(|f| &f.ident);
        match keys {
            [_] => quote!(#(new.#idents.clone())*),
            _ => quote!((#(new.#idents.clone()),*)),
        }
    };
    let table_name = table.to_string();
    let generated_key = match keys {
        [key] if key.generated => {
            let ty = &key.row_ty;
            Some(quote! {
                let id = ::arte_core::__private::last_insert_id(conn)?;
                let key: #ty = ::core::convert::TryFrom::try_from(id).map_err(|_| {
                    ::arte_core::Error::msg(::std::format!(
                        "the database gave `{}` the key {}, which does not fit the contract's key type",
                        #table_name, id
                    ))
                })?;
            })
        }
        _ => None,
    };
    let key_binding = generated_key.unwrap_or_else(|| quote!(let key = #key_from_new;));
    let now = quote!(let now = ::arte_core::__private::now(););
    let insert_values = if timestamps {
        quote!((new.clone(), #table::created_at.eq(now), #table::updated_at.eq(now)))
    } else {
        quote!(new.clone())
    };
    let visible = if soft_delete {
        quote!(#table::table.find(::core::clone::Clone::clone(&key)).filter(#table::deleted_at.is_null()))
    } else {
        quote!(#table::table.find(::core::clone::Clone::clone(&key)))
    };

    // A lookup by key reads at most one row, so it is sent without diesel's `.first()`:
    // that binds `LIMIT ?`, and SQLite (3.53, bundled) compiles a statement whose `LIMIT` is
    // a bound parameter again at every execution, which tripled the cost of `find`.
    let mut methods = Vec::new();
    let row = result(quote!(#ident));
    methods.push(quote! {
        /// This row's columns, to load it with: `.select(Item::selection())`. The same as
        /// diesel's `as_select()`, with the backend named for the compiler.
        pub fn selection() -> diesel::dsl::AsSelect<#ident, ::arte_core::MultiBackend> {
            <#ident as diesel::SelectableHelper<::arte_core::MultiBackend>>::as_select()
        }
    });
    methods.push(quote! {
        /// Inserts `new` (with `created_at` and `updated_at` set to now, where the table has
        /// them) and returns the row as the database stored it.
        pub fn create(#conn, new: &#new_ident) -> #row {
            use diesel::prelude::*;
            #now
            let _ = now;
            diesel::insert_into(#table::table).values(#insert_values).execute(conn)?;
            #key_binding
            ::core::result::Result::Ok(
                #table::table.find(key).select(#ident::selection()).get_result(conn)?,
            )
        }

        /// The row with this key; soft-deleted rows are not found.
        pub fn find(#conn, key: #key_ty) -> ::arte_core::Result<::core::option::Option<#ident>> {
            use diesel::prelude::*;
            ::core::result::Result::Ok(
                #visible.select(#ident::selection()).get_result(conn).optional()?,
            )
        }
    });
    if has_changes {
        let set = if timestamps {
            quote!((changes.clone(), #table::updated_at.eq(now)))
        } else {
            quote!(changes.clone())
        };
        methods.push(quote! {
            /// Applies `changes` to the row with this key (bumping `updated_at`, where the
            /// table has it) and returns it; `None` when there is no such row.
            pub fn update(#conn, key: #key_ty, changes: &#changes_ident) -> ::arte_core::Result<::core::option::Option<#ident>> {
                use diesel::prelude::*;
                #now
                let _ = now;
                let changed = diesel::update(#visible).set(#set).execute(conn)?;
                if changed == 0 {
                    return ::core::result::Result::Ok(::core::option::Option::None);
                }
                ::core::result::Result::Ok(
                    #table::table.find(key).select(#ident::selection()).get_result(conn).optional()?,
                )
            }
        });
    }
    if soft_delete {
        let touch = if timestamps {
            quote!((#table::deleted_at.eq(::core::option::Option::Some(now)), #table::updated_at.eq(now)))
        } else {
            quote!(#table::deleted_at.eq(::core::option::Option::Some(now)))
        };
        let untouch = if timestamps {
            quote!((#table::deleted_at.eq(::core::option::Option::None::<::arte_core::__private::chrono::NaiveDateTime>), #table::updated_at.eq(now)))
        } else {
            quote!(#table::deleted_at.eq(::core::option::Option::None::<::arte_core::__private::chrono::NaiveDateTime>))
        };
        methods.push(quote! {
            /// Rows that are not soft-deleted: compose diesel's `filter`, `order`, `limit`
            /// and `offset` with it, then `select(Self::selection())` and `load`.
            pub fn query() -> diesel::dsl::Filter<#table::table, diesel::dsl::IsNull<#table::deleted_at>> {
                use diesel::prelude::*;
                #table::table.filter(#table::deleted_at.is_null())
            }

            /// Every row, soft-deleted or not.
            pub fn with_trashed() -> #table::table {
                #table::table
            }

            /// Only soft-deleted rows.
            pub fn only_trashed() -> diesel::dsl::Filter<#table::table, diesel::dsl::IsNotNull<#table::deleted_at>> {
                use diesel::prelude::*;
                #table::table.filter(#table::deleted_at.is_not_null())
            }

            /// Marks the row deleted (`deleted_at` = now); `false` when there is no such
            /// row, or it was already deleted.
            pub fn soft_delete(#conn, key: #key_ty) -> ::arte_core::Result<bool> {
                use diesel::prelude::*;
                #now
                let changed = diesel::update(#table::table.find(key).filter(#table::deleted_at.is_null()))
                    .set(#touch)
                    .execute(conn)?;
                ::core::result::Result::Ok(changed > 0)
            }

            /// Brings a soft-deleted row back; `false` when it was not deleted.
            pub fn restore(#conn, key: #key_ty) -> ::arte_core::Result<bool> {
                use diesel::prelude::*;
                #now
                let _ = now;
                let changed = diesel::update(#table::table.find(key).filter(#table::deleted_at.is_not_null()))
                    .set(#untouch)
                    .execute(conn)?;
                ::core::result::Result::Ok(changed > 0)
            }

            /// Deletes the row for good, soft-deleted or not.
            pub fn force_delete(#conn, key: #key_ty) -> ::arte_core::Result<bool> {
                use diesel::prelude::*;
                let deleted = diesel::delete(#table::table.find(key)).execute(conn)?;
                ::core::result::Result::Ok(deleted > 0)
            }
        });
    } else {
        methods.push(quote! {
            /// Every row: compose diesel's `filter`, `order`, `limit` and `offset` with it,
            /// then `select(Self::selection())` and `load`.
            pub fn query() -> #table::table {
                #table::table
            }

            /// Deletes the row; `false` when there is no such row.
            pub fn delete(#conn, key: #key_ty) -> ::arte_core::Result<bool> {
                use diesel::prelude::*;
                let deleted = diesel::delete(#table::table.find(key)).execute(conn)?;
                ::core::result::Result::Ok(deleted > 0)
            }
        });
    }
    quote! {
        impl #ident {
            #(#methods)*
        }
    }
}
