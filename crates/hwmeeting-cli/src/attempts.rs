//! How many attempts each call made, counted from the SDK's own tracing:
//! every call runs in an `hwmeeting.call` span whose `attempt` field the
//! engine records as each attempt starts. A failed call's error does not
//! carry the count; this layer keeps it, so a message can say "after 3
//! attempts" only when that is what happened.

use std::sync::Mutex;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Subscriber, span};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

/// The name of the SDK's span around one call.
const CALL_SPAN: &str = "hwmeeting.call";

/// The calls that ended, in order: (operation id, attempts made).
static ENDED: Mutex<Vec<(String, u32)>> = Mutex::new(Vec::new());

/// The number of attempts the last call of `operation` made, if one ended
/// since the process started (and the layer is installed).
pub fn of(operation: &str) -> Option<u32> {
    let ended = ENDED.lock().ok()?;
    ended
        .iter()
        .rev()
        .find(|(op, _)| op == operation)
        .map(|(_, n)| *n)
        .filter(|n| *n > 0)
}

/// The layer that counts; add it to the subscriber.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountAttempts;

/// What the span of one call holds so far.
#[derive(Debug, Default)]
struct Call {
    operation: String,
    attempt: u32,
}

impl Visit for Call {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "attempt" {
            self.attempt = u32::try_from(value).unwrap_or(u32::MAX);
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == "attempt" {
            self.attempt = u32::try_from(value).unwrap_or(0);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "operation" {
            value.clone_into(&mut self.operation);
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

impl<S> Layer<S> for CountAttempts
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != CALL_SPAN {
            return;
        }
        let mut call = Call::default();
        attrs.record(&mut call);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(call);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(call) = span.extensions_mut().get_mut::<Call>()
        {
            values.record(call);
        }
    }

    fn on_close(&self, id: span::Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(call) = span.extensions().get::<Call>()
            && let Ok(mut ended) = ENDED.lock()
        {
            ended.push((call.operation.clone(), call.attempt));
        }
    }
}
