//! The wire form of a request: every parameter by its wire name, before it
//! becomes HTTP. Typed requests, the CLI's dynamic requests and the
//! simulator all meet here, so one validator checks them all.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::BuildError;
use crate::meta::{Location, OperationMeta};
use crate::upload::FilePart;

/// A request's parameters by location and wire name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WireRequest {
    /// Path parameters.
    pub path: Map<String, Value>,
    /// Query parameters.
    pub query: Map<String, Value>,
    /// Header parameters (names as the spec spells them).
    pub headers: Map<String, Value>,
    /// The JSON body's top-level fields (the whole-body parameter under
    /// its name; the text parts of a multipart body).
    pub body: Map<String, Value>,
    /// The file parts of a multipart body, by parameter name.
    pub files: BTreeMap<String, FilePart>,
}

impl WireRequest {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// The map of one location.
    pub fn location(&self, location: Location) -> &Map<String, Value> {
        match location {
            Location::Path => &self.path,
            Location::Query => &self.query,
            Location::Header => &self.headers,
            Location::Body | Location::Form => &self.body,
        }
    }

    /// The map of one location, to change.
    pub fn location_mut(&mut self, location: Location) -> &mut Map<String, Value> {
        match location {
            Location::Path => &mut self.path,
            Location::Query => &mut self.query,
            Location::Header => &mut self.headers,
            Location::Body | Location::Form => &mut self.body,
        }
    }

    /// Sets a parameter from any serializable value; `None`-like values
    /// (JSON null) are left out.
    pub fn set<T: Serialize + ?Sized>(&mut self, location: Location, name: &str, value: &T) {
        // Serializing our own generated types to JSON cannot fail: they hold
        // only strings, numbers, booleans, lists and string-keyed objects.
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        if !value.is_null() {
            self.location_mut(location).insert(name.to_owned(), value);
        }
    }

    /// Fills in the spec's default for every parameter the caller left out.
    pub fn apply_defaults(&mut self, meta: &OperationMeta) {
        for param in meta.params {
            if let Some(default) = param.default {
                let map = self.location_mut(param.location);
                if map.get(param.name).is_none_or(Value::is_null) {
                    map.insert(param.name.to_owned(), default.to_json());
                }
            }
        }
    }

    /// The value of a scalar parameter as it is written into a URL or
    /// header: strings as they are, numbers and booleans in JSON notation.
    pub fn scalar_text(value: &Value, parameter: &str) -> Result<String, BuildError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(BuildError::Invalid {
                parameter: parameter.to_owned(),
                reason: "must be a string, number or boolean here".into(),
            }),
        }
    }
}

impl From<Map<String, Value>> for WireRequest {
    /// A request whose parameters all travel in the body.
    fn from(body: Map<String, Value>) -> Self {
        WireRequest {
            body,
            ..Self::default()
        }
    }
}
