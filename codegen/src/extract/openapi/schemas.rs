//! OpenAPI schemas → inventory types and type expressions.
//!
//! Component schemas become named types under their spec names. A schema
//! written inline where a name is needed (an object, a string enum, a
//! `oneOf`, a multi-part `allOf`) is hoisted into a named type whose name says
//! where it came from (`User` + `status` → `UserStatus`, an inline request
//! body of `add_api_key` → `AddApiKeyRequest`). Everything else becomes a
//! [`crate::schema_type`] expression.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::{one_line, ExtractError};
use crate::model::{Field, TypeDef};
use crate::schema_type::SchemaType;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Builds the named types while operations and schemas are read.
pub(super) struct Types<'a> {
    spec: &'a OpenAPI,
    /// The named types so far.
    pub(super) defs: BTreeMap<String, TypeDef>,
}

impl<'a> Types<'a> {
    pub(super) fn new(spec: &'a OpenAPI) -> Self {
        Types {
            spec,
            defs: BTreeMap::new(),
        }
    }

    /// Defines every component schema under its own name.
    pub(super) fn components(&mut self) -> Result<(), ExtractError> {
        let Some(components) = &self.spec.components else {
            return Ok(());
        };
        for (name, schema) in &components.schemas {
            let location = format!("{SCHEMA_PREFIX}{name}");
            let schema = self.resolve(schema, &location)?;
            let def = self.define(name, schema, &location)?;
            self.defs.insert(name.clone(), def);
        }
        Ok(())
    }

    /// The component schema a `$ref` names.
    fn component(&self, reference: &str) -> Result<(&'a str, &'a Schema), ExtractError> {
        let name = reference
            .strip_prefix(SCHEMA_PREFIX)
            .ok_or_else(|| ExtractError::new(format!("unsupported $ref {reference}")))?;
        let found = self
            .spec
            .components
            .as_ref()
            .and_then(|c| c.schemas.get_key_value(name));
        match found {
            Some((key, ReferenceOr::Item(schema))) => Ok((key.as_str(), schema)),
            Some((_, ReferenceOr::Reference { reference: next })) => self.component(next),
            None => Err(ExtractError::new(format!("dangling $ref {reference}"))),
        }
    }

    fn resolve(
        &self,
        schema: &'a ReferenceOr<Schema>,
        location: &str,
    ) -> Result<&'a Schema, ExtractError> {
        match schema {
            ReferenceOr::Item(schema) => Ok(schema),
            ReferenceOr::Reference { reference } => self
                .component(reference)
                .map(|(_, s)| s)
                .map_err(|e| ExtractError::new(format!("{location}: {}", e.0))),
        }
    }

    /// The named type for a component or hoisted schema.
    fn define(
        &mut self,
        name: &str,
        schema: &'a Schema,
        location: &str,
    ) -> Result<TypeDef, ExtractError> {
        let summary = schema.schema_data.description.as_deref().and_then(one_line);
        let alias = |ty: SchemaType, values: Vec<String>, summary| TypeDef::Alias {
            source_location: location.to_owned(),
            ty,
            values,
            summary,
        };
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                TypeDef::Record {
                    source_location: location.to_owned(),
                    fields: self.fields(name, &object.properties, &object.required, location)?,
                    summary,
                    all_of: Vec::new(),
                }
            }
            SchemaKind::Any(any) if !any.properties.is_empty() && any.enumeration.is_empty() => {
                TypeDef::Record {
                    source_location: location.to_owned(),
                    fields: self.fields(name, &any.properties, &any.required, location)?,
                    summary,
                    all_of: Vec::new(),
                }
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => TypeDef::Enum {
                source_location: location.to_owned(),
                values: s.enumeration.iter().flatten().cloned().collect(),
                summary,
            },
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => alias(
                integer(&i.format),
                i.enumeration.iter().flatten().map(i64::to_string).collect(),
                summary,
            ),
            SchemaKind::Any(any) if !any.enumeration.is_empty() => {
                match self.any_enum(name, schema, location)? {
                    Some(def) => def,
                    None => alias(
                        SchemaType::Integer(None),
                        json_values(&any.enumeration),
                        summary.clone(),
                    ),
                }
            }
            SchemaKind::AllOf { all_of }
                if all_of.len() > 1
                    || !matches!(all_of.first(), Some(ReferenceOr::Reference { .. })) =>
            {
                let mut fields = BTreeMap::new();
                let mut bases = Vec::new();
                for (i, part) in all_of.iter().enumerate() {
                    self.merge(
                        name,
                        part,
                        &format!("{location}/allOf/{i}"),
                        &mut fields,
                        &mut bases,
                    )?;
                }
                TypeDef::Record {
                    source_location: location.to_owned(),
                    fields,
                    summary,
                    all_of: bases,
                }
            }
            SchemaKind::OneOf { one_of } => TypeDef::OneOf {
                source_location: location.to_owned(),
                variants: one_of
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        self.type_of(v, &format!("{name}{i}"), &format!("{location}/oneOf/{i}"))
                    })
                    .collect::<Result<_, _>>()?,
                summary,
            },
            _ => alias(
                self.type_of_item(schema, name, location)?,
                Vec::new(),
                summary,
            ),
        })
    }

    /// A schema with an `enum` but no `type`: a string enum when every value
    /// is a string; `None` for an integer enum.
    fn any_enum(
        &mut self,
        _name: &str,
        schema: &'a Schema,
        location: &str,
    ) -> Result<Option<TypeDef>, ExtractError> {
        let SchemaKind::Any(any) = &schema.schema_kind else {
            return Ok(None);
        };
        if any.enumeration.iter().all(|v| v.is_string()) {
            return Ok(Some(TypeDef::Enum {
                source_location: location.to_owned(),
                values: any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                summary: schema.schema_data.description.as_deref().and_then(one_line),
            }));
        }
        if any.enumeration.iter().all(|v| v.is_i64()) {
            return Ok(None);
        }
        Err(ExtractError::new(format!(
            "{location}: enum of mixed or non-integer values is not supported"
        )))
    }

    /// Adds the fields of one `allOf` part.
    fn merge(
        &mut self,
        name: &str,
        part: &'a ReferenceOr<Schema>,
        location: &str,
        fields: &mut BTreeMap<String, Field>,
        bases: &mut Vec<String>,
    ) -> Result<(), ExtractError> {
        let schema = match part {
            ReferenceOr::Reference { reference } => {
                let (base, schema) = self.component(reference)?;
                bases.push(base.to_owned());
                schema
            }
            ReferenceOr::Item(schema) => schema,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                fields.extend(self.fields(name, &object.properties, &object.required, location)?);
                Ok(())
            }
            SchemaKind::AllOf { all_of } => {
                for (i, inner) in all_of.iter().enumerate() {
                    self.merge(name, inner, &format!("{location}/allOf/{i}"), fields, bases)?;
                }
                Ok(())
            }
            _ => Err(ExtractError::new(format!(
                "{location}: allOf part is not an object"
            ))),
        }
    }

    fn fields(
        &mut self,
        parent: &str,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        location: &str,
    ) -> Result<BTreeMap<String, Field>, ExtractError> {
        let mut fields = BTreeMap::new();
        for (prop, schema) in properties {
            let here = format!("{location}/properties/{prop}");
            let hint = format!("{parent}{}", prop.to_upper_camel_case());
            let (ty, data) = match schema {
                ReferenceOr::Reference { reference } => {
                    (self.type_of_ref(reference)?, None::<&openapiv3::SchemaData>)
                }
                ReferenceOr::Item(schema) => (
                    self.type_of_item(schema, &hint, &here)?,
                    Some(&schema.schema_data),
                ),
            };
            fields.insert(
                prop.clone(),
                Field {
                    ty,
                    required: required.contains(prop),
                    default: data.and_then(|d| d.default.as_ref()).map(|v| v.to_string()),
                    nullable: data.is_some_and(|d| d.nullable),
                    summary: data
                        .and_then(|d| d.description.as_deref())
                        .and_then(one_line),
                },
            );
        }
        Ok(fields)
    }

    fn type_of_ref(&self, reference: &str) -> Result<SchemaType, ExtractError> {
        let (name, _) = self.component(reference)?;
        Ok(SchemaType::Ref(name.to_owned()))
    }

    /// The type expression of a schema; `hint` names a hoisted type.
    pub(super) fn type_of(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        hint: &str,
        location: &str,
    ) -> Result<SchemaType, ExtractError> {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_ref(reference),
            ReferenceOr::Item(schema) => self.type_of_item(schema, hint, location),
        }
    }

    fn type_of_boxed(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        hint: &str,
        location: &str,
    ) -> Result<SchemaType, ExtractError> {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_ref(reference),
            ReferenceOr::Item(schema) => self.type_of_item(schema, hint, location),
        }
    }

    fn type_of_item(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        location: &str,
    ) -> Result<SchemaType, ExtractError> {
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                self.hoist(hint, schema, location)?
            }
            SchemaKind::Type(Type::String(s)) => SchemaType::String(string_format(&s.format)),
            SchemaKind::Type(Type::Integer(i)) => integer(&i.format),
            SchemaKind::Type(Type::Number(n)) => SchemaType::Number(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => Some("float".to_owned()),
                VariantOrUnknownOrEmpty::Item(NumberFormat::Double) => Some("double".to_owned()),
                VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            }),
            SchemaKind::Type(Type::Boolean(_)) => SchemaType::Boolean,
            SchemaKind::Type(Type::Array(array)) => {
                let item = match &array.items {
                    Some(items) => self.type_of_boxed(
                        items,
                        &format!("{hint}Item"),
                        &format!("{location}/items"),
                    )?,
                    None => SchemaType::Any,
                };
                SchemaType::Array(Box::new(item))
            }
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                self.hoist(hint, schema, location)?
            }
            SchemaKind::Type(Type::Object(object)) => {
                self.map_of(object.additional_properties.as_ref(), hint, location)?
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_of(&all_of[0], hint, &format!("{location}/allOf/0"))?
            }
            SchemaKind::AllOf { .. } | SchemaKind::OneOf { .. } => {
                self.hoist(hint, schema, location)?
            }
            SchemaKind::AnyOf { .. } | SchemaKind::Not { .. } => SchemaType::Any,
            SchemaKind::Any(any) if !any.enumeration.is_empty() => {
                match self.any_enum(hint, schema, location)? {
                    Some(_) => self.hoist(hint, schema, location)?,
                    None => SchemaType::Integer(None),
                }
            }
            // Properties without `type: object` (legal, and IONOS does it).
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                self.hoist(hint, schema, location)?
            }
            SchemaKind::Any(any) if any.additional_properties.is_some() => {
                self.map_of(any.additional_properties.as_ref(), hint, location)?
            }
            SchemaKind::Any(_) => SchemaType::Any,
        })
    }

    fn map_of(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        location: &str,
    ) -> Result<SchemaType, ExtractError> {
        Ok(match additional {
            Some(AdditionalProperties::Schema(value)) => SchemaType::Map(Box::new(self.type_of(
                value,
                &format!("{hint}Value"),
                &format!("{location}/additionalProperties"),
            )?)),
            Some(AdditionalProperties::Any(true)) => SchemaType::Map(Box::new(SchemaType::Any)),
            // A free-form object with nothing declared.
            _ => SchemaType::Map(Box::new(SchemaType::Any)),
        })
    }

    /// Gives an inline schema a name: `hint`, or `hint` with a number when
    /// that name is taken by another type.
    fn hoist(
        &mut self,
        hint: &str,
        schema: &'a Schema,
        location: &str,
    ) -> Result<SchemaType, ExtractError> {
        let def = self.define(hint, schema, location)?;
        let mut name = hint.to_owned();
        let mut n = 2;
        while let Some(existing) = self.defs.get(&name) {
            if *existing == def {
                return Ok(SchemaType::Ref(name));
            }
            name = format!("{hint}{n}");
            n += 1;
        }
        self.defs.insert(name.clone(), def);
        Ok(SchemaType::Ref(name))
    }
}

fn integer(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> SchemaType {
    SchemaType::Integer(match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Some("int32".to_owned()),
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => Some("int64".to_owned()),
        VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    })
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(f) => Some(
            match f {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            }
            .to_owned(),
        ),
        VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn json_values(values: &[serde_json::Value]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}
