//! Ctrl-C (SIGINT) and SIGTERM during a run that writes.
//!
//! A command that can stop cleanly calls [`install`]. The first signal then asks the run to
//! stop: no new batch is started, the batches in flight finish and are checkpointed, the summary
//! is printed and the run is closed as `interrupted`; the process exits 130 (SIGINT) or 143
//! (SIGTERM). A second signal exits at once, like a kill: the next run resumes from the last
//! checkpoint all the same. Commands that never call [`install`] keep the default behaviour.

use std::sync::OnceLock;

use tokio::sync::watch;

/// The signal that asked the run to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
}

impl Signal {
    /// 128 + the signal's number, as shells report a process ended by it.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Interrupt => 130,
            Signal::Terminate => 143,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Signal::Interrupt => "Ctrl-C (SIGINT)",
            Signal::Terminate => "SIGTERM",
        }
    }
}

static STOP: OnceLock<watch::Sender<Option<Signal>>> = OnceLock::new();

fn channel() -> &'static watch::Sender<Option<Signal>> {
    STOP.get_or_init(|| watch::channel(None).0)
}

/// Catches SIGINT and SIGTERM from now on (call it inside the runtime, once the command has
/// something to stop cleanly). `quiet` leaves out the note printed at the first signal.
pub fn install(quiet: bool) {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    if INSTALLED.set(()).is_err() {
        return;
    }
    tokio::spawn(async move {
        let mut signals = match Signals::new() {
            Ok(s) => s,
            Err(e) => {
                tracing::debug!("cannot catch signals: {e}");
                return;
            }
        };
        let mut first = true;
        while let Some(signal) = signals.next().await {
            if !first {
                std::process::exit(signal.exit_code() as i32);
            }
            first = false;
            if !quiet {
                eprintln!(
                    "\n{}: stopping after the batches in flight (press Ctrl-C again to quit at \
                     once; the next run resumes either way)",
                    signal.describe()
                );
            }
            channel().send_replace(Some(signal));
        }
    });
}

/// The signal that asked this run to stop, if one did.
pub fn requested() -> Option<Signal> {
    *channel().borrow()
}

/// Resolves once a signal has asked the run to stop (never, if none does).
pub async fn wait() -> Signal {
    let mut rx = channel().subscribe();
    let signal = rx.wait_for(Option::is_some).await.ok().and_then(|s| *s);
    match signal {
        Some(signal) => signal,
        None => std::future::pending().await,
    }
}

#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn next(&mut self) -> Option<Signal> {
        tokio::select! {
            s = self.interrupt.recv() => s.map(|_| Signal::Interrupt),
            s = self.terminate.recv() => s.map(|_| Signal::Terminate),
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals)
    }

    async fn next(&mut self) -> Option<Signal> {
        tokio::signal::ctrl_c()
            .await
            .ok()
            .map(|_| Signal::Interrupt)
    }
}
