//! Event-push settings (webhooks), one per enterprise (or per SP, in
//! multi-tenant mode). The subscriber key is kept as a secret: it is never
//! answered back or printed.

use hwmeeting_core::Secret;

/// One enterprise's event-push settings.
#[derive(Clone, Debug)]
pub(crate) struct WebhookConfig {
    /// The record ID (`id`), new at every `set`.
    pub id: String,
    /// Whose settings: `corp:ID` or `sp:ID`.
    pub owner: String,
    pub subscriber_id: String,
    /// Held, never shown (its `Debug` is masked).
    pub subscriber_key: Secret,
    pub url: String,
    /// 0 on, 1 off, 2 locked.
    pub status: i64,
}

/// Every enterprise's settings.
#[derive(Debug, Default)]
pub(crate) struct Webhooks {
    pub configs: Vec<WebhookConfig>,
}

impl Webhooks {
    /// Stores the settings of `config.owner`, replacing any it had.
    pub(crate) fn set(&mut self, config: WebhookConfig) {
        self.configs.retain(|c| c.owner != config.owner);
        self.configs.push(config);
    }

    /// The settings of an owner.
    pub(crate) fn of_owner(&self, owner: &str) -> Option<&WebhookConfig> {
        self.configs.iter().find(|c| c.owner == owner)
    }

    /// The settings with this record ID.
    pub(crate) fn by_id_mut(&mut self, id: &str) -> Option<&mut WebhookConfig> {
        self.configs.iter_mut().find(|c| c.id == id)
    }

    /// Deletes the settings with this record ID; whether they existed.
    pub(crate) fn delete(&mut self, id: &str) -> bool {
        let before = self.configs.len();
        self.configs.retain(|c| c.id != id);
        self.configs.len() != before
    }
}
