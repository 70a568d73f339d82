//! `--debug`: panelkit's request log on stderr, one line per event.
//!
//! tracing-subscriber's stock formatter appends a span field each time it is
//! recorded (a retried call showed `attempts=1 attempts=2 …`), prints floats
//! with every digit (`wait_ms=126.05409100000001`) and colors by its own
//! terminal guess. This layer keeps the latest value of each span field,
//! prints each field once (the event's own value wins over a span's), rounds
//! milliseconds and colors only as `--color` / `NO_COLOR` / the terminal
//! check on stderr decide. The fields are panelkit's own spans and events,
//! which never carry secrets (see panelkit-core's redaction tests).

use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::time::Instant;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// Installs the log on stderr for the rest of the process.
pub fn install(color: bool) {
    let layer = DebugLog {
        color,
        started: Instant::now(),
        sink: Box::new(|line: &str| {
            // A log line that cannot be written is dropped, never fatal.
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        }),
    };
    tracing_subscriber::registry()
        .with(layer.with_filter(tracing_subscriber::filter::LevelFilter::DEBUG))
        .init();
}

/// Where finished lines go (stderr; a buffer in the tests).
type Sink = Box<dyn Fn(&str) + Send + Sync>;

/// The layer that writes one line per event.
struct DebugLog {
    color: bool,
    started: Instant,
    sink: Sink,
}

/// The fields of a span or event, in first-seen order, each once.
#[derive(Default)]
struct Fields(Vec<(&'static str, String)>);

impl Fields {
    fn set(&mut self, name: &'static str, value: String) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }
}

impl Visit for Fields {
    fn record_f64(&mut self, field: &Field, value: f64) {
        // Milliseconds to the millisecond; other floats to three places.
        let text = if field.name().ends_with("_ms") {
            format!("{value:.0}")
        } else {
            format!("{value:.3}")
        };
        self.set(field.name(), text);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.set(field.name(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.set(field.name(), format!("{value:?}"));
    }
}

impl<S> Layer<S> for DebugLog
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            let mut extensions = span.extensions_mut();
            if let Some(fields) = extensions.get_mut::<Fields>() {
                values.record(fields);
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(span_fields) = span.extensions().get::<Fields>() {
                    for (name, value) in &span_fields.0 {
                        fields.set(name, value.clone());
                    }
                }
            }
        }
        let mut own = Fields::default();
        event.record(&mut own);
        let message = own
            .0
            .iter()
            .position(|(n, _)| *n == "message")
            .map(|i| own.0.remove(i).1)
            .unwrap_or_default();
        for (name, value) in own.0 {
            fields.set(name, value);
        }
        (self.sink)(&self.line(*event.metadata().level(), &message, &fields));
    }
}

impl DebugLog {
    /// `+  126ms DEBUG call ok panel=sftpgo operation=get_users status=200 attempts=1 elapsed_ms=12`
    fn line(&self, level: Level, message: &str, fields: &Fields) -> String {
        let elapsed = self.started.elapsed().as_millis();
        let (on, off) = match (self.color, level) {
            (false, _) => ("", ""),
            (true, Level::ERROR) => ("\x1b[31m", "\x1b[0m"),
            (true, Level::WARN) => ("\x1b[33m", "\x1b[0m"),
            (true, _) => ("\x1b[34m", "\x1b[0m"),
        };
        let mut line = format!("+{elapsed:>6}ms {on}{level:<5}{off} {message}");
        for (name, value) in &fields.0 {
            let _ = write!(line, " {name}={value}");
        }
        line.push('\n');
        line
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Runs `f` under the layer and returns what it wrote.
    fn capture(color: bool, f: impl FnOnce()) -> String {
        let out = Arc::new(Mutex::new(String::new()));
        let sink = out.clone();
        let layer = DebugLog {
            color,
            started: Instant::now(),
            sink: Box::new(move |line| sink.lock().unwrap().push_str(line)),
        };
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, f);
        let text = out.lock().unwrap().clone();
        text
    }

    /// A retried call as panelkit-core's REST executor logs it.
    fn retried_call() {
        let span = tracing::debug_span!(
            "panel_call",
            panel = "sftpgo",
            operation = "get_users",
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let _enter = span.enter();
        for attempt in 1..=2u32 {
            span.record("attempts", attempt);
            if attempt == 1 {
                tracing::debug!(attempt, wait_ms = 126.054_091_000_000_01, "retrying");
            }
        }
        span.record("elapsed_ms", 131.7_f64);
        tracing::debug!(status = 200, elapsed_ms = 131.7_f64, "call ok");
    }

    #[test]
    fn one_line_per_event_each_field_once_and_millis_rounded() {
        let text = capture(false, retried_call);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let strip = |l: &str| l.split_once("ms ").map(|p| p.1.to_owned()).unwrap();
        assert_eq!(
            strip(lines[0]),
            "DEBUG retrying panel=sftpgo operation=get_users attempts=1 attempt=1 wait_ms=126"
        );
        assert_eq!(
            strip(lines[1]),
            "DEBUG call ok panel=sftpgo operation=get_users attempts=2 elapsed_ms=132 status=200"
        );
    }

    #[test]
    fn colors_only_when_asked() {
        assert!(!capture(false, retried_call).contains('\x1b'));
        assert!(capture(true, retried_call).contains("\x1b[34mDEBUG"));
    }
}
