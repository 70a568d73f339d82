//! Everything `tracing` logs at TRACE level on this thread, captured as
//! text: the redaction tests search it for secrets that must never appear.

use std::sync::{Arc, Mutex};

use tracing::subscriber::DefaultGuard;

/// A TRACE-level subscriber for the current thread, writing into memory
/// until dropped. Use it with a current-thread runtime so every log line of
/// the code under test lands here.
pub struct TraceCapture {
    buffer: Buffer,
    _guard: DefaultGuard,
}

impl TraceCapture {
    /// Starts capturing (plain text, no colours).
    pub fn start() -> Self {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        TraceCapture {
            buffer,
            _guard: tracing::subscriber::set_default(subscriber),
        }
    }

    /// What was logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.0.lock().unwrap()).into_owned()
    }
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
