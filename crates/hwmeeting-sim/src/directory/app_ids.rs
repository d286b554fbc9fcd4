//! The enterprise's applications (app IDs): added, listed, renamed,
//! disabled, their key reset, deleted. The app key is answered only when
//! it is made (`add_app_id`, `reset_app_key`), the one time the caller
//! needs it; lists and updates leave it out.

use hwmeeting_core::Secret;
use serde_json::{Map, Value, json};

use super::{Directory, format_time, int_of, text_of};
use crate::codes::{Failure, MMC_PARAM_INVALID, USG_APP_EXISTS, USG_APP_NOT_FOUND};
use crate::{now_ms, random_hex};

/// An application.
#[derive(Clone, Debug)]
pub(crate) struct App {
    pub app_id: String,
    pub app_name: String,
    pub app_key: Secret,
    pub description: Option<String>,
    pub created_ms: u64,
    pub updated_ms: u64,
    /// 0 in use, 1 disabled.
    pub status: i64,
}

impl App {
    /// The answer's fields (`AppIdInfoDTO`); the key only when asked.
    pub(crate) fn to_json(&self, with_key: bool) -> Value {
        let mut out = json!({
            "app_id": self.app_id,
            "app_name": self.app_name,
            "create_time": format_time(self.created_ms),
            "last_update_time": format_time(self.updated_ms),
            "status": self.status,
        });
        if let Some(map) = out.as_object_mut() {
            if let Some(d) = &self.description {
                map.insert("description".into(), Value::from(d.as_str()));
            }
            if with_key {
                map.insert("app_key".into(), Value::from(self.app_key.expose()));
            }
        }
        out
    }
}

/// 404 for an app ID the enterprise has not added.
pub(crate) fn not_found(app_id: &str) -> Failure {
    Failure::new(
        404,
        USG_APP_NOT_FOUND,
        format!("the enterprise has no application with the app ID `{app_id}`"),
    )
}

fn name_taken(name: &str) -> Failure {
    Failure::new(
        400,
        USG_APP_EXISTS,
        format!("an application named `{name}` already exists: choose another name"),
    )
}

impl Directory {
    /// The application with this app ID, or 404.
    pub(crate) fn app_mut(&mut self, app_id: &str) -> Result<&mut App, Failure> {
        self.apps
            .iter_mut()
            .find(|a| a.app_id == app_id)
            .ok_or_else(|| not_found(app_id))
    }

    /// The key of an application in use, for app authentication.
    pub(crate) fn app_key(&self, app_id: &str) -> Option<&Secret> {
        self.apps
            .iter()
            .find(|a| a.app_id == app_id && a.status == 0)
            .map(|a| &a.app_key)
    }

    /// `add_app_id`: a new application with a new app ID and key.
    pub(crate) fn add_app(&mut self, body: &Map<String, Value>) -> Result<&App, Failure> {
        let name = text_of(body, "app_name").ok_or_else(|| {
            Failure::new(
                400,
                MMC_PARAM_INVALID,
                "missing required parameter `app_name`",
            )
        })?;
        if self.apps.iter().any(|a| a.app_name == name) {
            return Err(name_taken(&name));
        }
        let now = now_ms();
        self.apps.push(App {
            app_id: random_hex(16),
            app_name: name,
            app_key: Secret::new(random_hex(32)),
            description: text_of(body, "description"),
            created_ms: now,
            updated_ms: now,
            status: 0,
        });
        self.apps.last().ok_or_else(|| {
            Failure::new(500, crate::codes::INTERNAL, "the application was not kept")
        })
    }

    /// `update_app_id`: renames, describes, disables or enables.
    pub(crate) fn update_app(
        &mut self,
        app_id: &str,
        body: &Map<String, Value>,
    ) -> Result<Value, Failure> {
        let name = text_of(body, "app_name");
        if let Some(name) = &name
            && self
                .apps
                .iter()
                .any(|a| &a.app_name == name && a.app_id != app_id)
        {
            return Err(name_taken(name));
        }
        let app = self.app_mut(app_id)?;
        if let Some(name) = name {
            app.app_name = name;
        }
        if let Some(d) = text_of(body, "description") {
            app.description = Some(d);
        }
        if let Some(status) = int_of(body, "status") {
            app.status = status;
        }
        app.updated_ms = now_ms();
        Ok(app.to_json(false))
    }

    /// `reset_app_key`: a new key; the old one signs nothing any more.
    pub(crate) fn reset_app_key(&mut self, app_id: &str) -> Result<Value, Failure> {
        let app = self.app_mut(app_id)?;
        app.app_key = Secret::new(random_hex(32));
        app.updated_ms = now_ms();
        Ok(app.to_json(true))
    }

    /// `delete_app_id`.
    pub(crate) fn delete_app(&mut self, app_id: &str) -> Result<(), Failure> {
        let before = self.apps.len();
        self.apps.retain(|a| a.app_id != app_id);
        if self.apps.len() == before {
            return Err(not_found(app_id));
        }
        Ok(())
    }
}
