//! An operation chosen at run time by id, with parameters given as JSON by
//! wire name: what the command line and generic tools use.

use serde_json::{Map, Value};

use crate::error::BuildError;
use crate::meta::{self, Field, Location, OperationMeta, Type};
use crate::operation::Operation;
use crate::upload::FilePart;
use crate::validate::EnumCheck;
use crate::wire::WireRequest;

/// A request for any operation, built from wire names and JSON values. Its
/// output is the answer's JSON. Coded values are checked strictly.
///
/// Its `Debug` shows the operation's id and the parameters, with the
/// credentials and every parameter the spec marks secret masked.
#[derive(Clone, PartialEq)]
pub struct DynamicOperation {
    meta: &'static OperationMeta,
    wire: WireRequest,
}

impl std::fmt::Debug for DynamicOperation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DynamicOperation")
            .field("operation", &self.meta.id)
            .field("wire", &crate::redact::redact_wire(self.meta, &self.wire))
            .finish()
    }
}

impl DynamicOperation {
    /// An empty request for the operation with this spec.
    pub fn new(meta: &'static OperationMeta) -> Self {
        DynamicOperation {
            meta,
            wire: WireRequest::new(),
        }
    }

    /// An empty request for the operation with this id in `table` (the
    /// generated operation table, `hwmeeting_api::OPERATIONS`).
    pub fn by_id(table: &[&'static OperationMeta], id: &str) -> Result<Self, BuildError> {
        meta::find_by_id(table, id)
            .map(Self::new)
            .ok_or_else(|| BuildError::Invalid {
                parameter: "operation".into(),
                reason: format!("no operation is called `{id}`"),
            })
    }

    /// Sets a parameter by its wire name; it goes where the spec says.
    ///
    /// A few operations carry one wire name in two places (`lock_view` has
    /// a `participantID` in the query and another in the body): this sets
    /// the one the spec lists first; [`set_in`](Self::set_in) names the
    /// place.
    pub fn set(&mut self, name: &str, value: Value) -> Result<&mut Self, BuildError> {
        let param = self.meta.param(name).ok_or_else(|| BuildError::Invalid {
            parameter: name.to_owned(),
            reason: format!("`{}` has no parameter of this name", self.meta.id),
        })?;
        self.put(param, value);
        Ok(self)
    }

    /// Puts a value where `param` travels. For a file parameter, null
    /// removes the file part (any other JSON value is kept, for the
    /// validator to refuse: a file is given with [`set_file`](Self::set_file)).
    fn put(&mut self, param: &Field, value: Value) {
        if matches!(param.ty, Type::File) && value.is_null() {
            self.wire.files.remove(param.name);
            self.wire.body.remove(param.name);
            return;
        }
        self.wire
            .location_mut(param.location)
            .insert(param.name.to_owned(), value);
    }

    /// Sets the parameter with this wire name that travels at `location`.
    pub fn set_in(
        &mut self,
        location: Location,
        name: &str,
        value: Value,
    ) -> Result<&mut Self, BuildError> {
        let Some(param) = self.meta.param_in(location, name) else {
            return Err(BuildError::Invalid {
                parameter: name.to_owned(),
                reason: format!(
                    "`{}` has no parameter of this name {}",
                    self.meta.id,
                    match location {
                        Location::Path => "in the path",
                        Location::Query => "in the query",
                        Location::Header => "among its headers",
                        Location::Body => "in the body",
                        Location::Form => "among its form parts",
                    }
                ),
            });
        };
        self.put(param, value);
        Ok(self)
    }

    /// Sets every parameter of a JSON object by wire name.
    pub fn set_all(&mut self, values: Map<String, Value>) -> Result<&mut Self, BuildError> {
        for (name, value) in values {
            self.set(&name, value)?;
        }
        Ok(self)
    }

    /// Replaces the whole body with a JSON object (keys the spec does not
    /// know are refused).
    pub fn set_body(&mut self, body: Map<String, Value>) -> Result<&mut Self, BuildError> {
        for name in body.keys() {
            if self.meta.param_in(Location::Body, name).is_none() {
                return Err(BuildError::Invalid {
                    parameter: name.clone(),
                    reason: format!("`{}` has no body field of this name", self.meta.id),
                });
            }
        }
        self.wire.body = body;
        Ok(self)
    }

    /// Sets a file parameter (an upload's file part) by its wire name.
    pub fn set_file(&mut self, name: &str, file: FilePart) -> Result<&mut Self, BuildError> {
        if !self
            .meta
            .param(name)
            .is_some_and(|p| matches!(p.ty, Type::File))
        {
            return Err(BuildError::Invalid {
                parameter: name.to_owned(),
                reason: format!("`{}` has no file parameter of this name", self.meta.id),
            });
        }
        self.wire.files.insert(name.to_owned(), file);
        Ok(self)
    }

    /// The wire form built so far.
    pub fn wire(&self) -> &WireRequest {
        &self.wire
    }
}

impl Operation for DynamicOperation {
    type Output = Value;

    fn meta(&self) -> &'static OperationMeta {
        self.meta
    }

    fn to_wire(&self) -> WireRequest {
        self.wire.clone()
    }

    fn enum_check(&self) -> EnumCheck {
        EnumCheck::Strict
    }

    fn target_conference_id(&self) -> Option<&str> {
        let p = self.meta.conference_id_param()?;
        self.wire.location(p.location).get(p.name)?.as_str()
    }

    fn fill_conference_id(&mut self, conference_id: &str) {
        if let Some(p) = self.meta.conference_id_param() {
            if self.target_conference_id().is_some() {
                return;
            }
            self.wire
                .location_mut(p.location)
                .insert(p.name.to_owned(), Value::String(conference_id.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::{Auth, Constraints, Field, SessionRole, Type};

    const fn string(name: &'static str, location: Location) -> Field {
        Field {
            name,
            rust_name: "x",
            location,
            ty: Type::String,
            required: true,
            secret: false,
            conference_id: false,
            deprecated: false,
            default: None,
            enumeration: None,
            required_if: None,
            constraints: Constraints::NONE,
            time: None,
            whole_body: false,
            description: "x",
        }
    }

    /// One wire name in the query and in the body, as `lock_view` has.
    static TWICE: OperationMeta = OperationMeta {
        id: "twice",
        group: "meeting_control",
        method: "PUT",
        path: "/twice",
        summary: "x",
        description: "x",
        auth: Auth::None,
        idempotent: true,
        role: SessionRole::None,
        params: &[
            string("participantID", Location::Query),
            string("participantID", Location::Body),
        ],
        response: None,
        response_is_list: false,
        pagination: None,
    };

    #[test]
    fn one_name_in_two_places() {
        let mut op = DynamicOperation::new(&TWICE);
        op.set("participantID", Value::from("terminal")).unwrap();
        let mut body = Map::new();
        body.insert("participantID".into(), Value::from("source"));
        op.set_body(body).unwrap();
        assert_eq!(op.wire().query["participantID"], "terminal");
        assert_eq!(op.wire().body["participantID"], "source");

        op.set_in(Location::Body, "participantID", Value::from("other"))
            .unwrap();
        assert_eq!(op.wire().body["participantID"], "other");
        assert_eq!(op.wire().query["participantID"], "terminal");
        assert!(
            op.set_in(Location::Header, "participantID", Value::from("x"))
                .is_err()
        );
        assert!(op.validate().is_ok());
    }
}
