//! The accept loop: HTTP/1.1 connections with the timeouts and caps of
//! [`Limits`], so slow or idle clients are cut off within seconds and a
//! flood of sockets cannot use up the server's file descriptors.
//!
//! `axum::serve` has no header, idle or write timeouts, so connections are
//! served with hyper's own HTTP/1 builder: its header read timeout (which
//! also runs while a kept-alive connection waits for its next request), a
//! write-stall deadline on the socket, a total connection cap taken before
//! `accept`, and a per-address cap. Request bodies have their own deadlines
//! where handlers read them (`http::read_body`).

use crate::limits::PerIp;
use crate::{router, AppState};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::Sleep;
use tower::Service;

/// How long in-flight requests may finish after shutdown is asked for.
const DRAIN: Duration = Duration::from_secs(10);

/// Serves `router(state)` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish (at most 10 s).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let limits = state.limits.clone();
    let app = router(state);
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_ip = Arc::new(PerIp::default());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        // Taken before accept: when the cap is reached, new connections
        // wait in the kernel's backlog instead of costing a descriptor.
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // EMFILE and friends repeat until a descriptor is freed;
                    // spinning on them would starve the connections that
                    // would free one.
                    tracing::warn!(error = %e, "accept failed; pausing 100 ms");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(ip_slot) = per_ip.enter(peer.ip(), limits.max_connections_per_ip) else {
            tracing::debug!(peer = %peer.ip(), "too many connections from one address; closed");
            continue;
        };
        // Small JSON answers: do not wait for Nagle.
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(WriteDeadline::new(stream, limits.write_stall));
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let mut app = app.clone();
            let mut req = req.map(axum::body::Body::new);
            // The peer address, for per-address limits (dashboard logins).
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            async move { app.call(req).await }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .keep_alive(true);
        let conn = graceful.watch(builder.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                // Timeouts and resets are the normal end of slow clients.
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(ip_slot);
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {
            tracing::warn!("requests still running {}s after shutdown; stopping anyway", DRAIN.as_secs());
        }
    }
    Ok(())
}

/// A socket whose writes fail when they make no progress for `stall`: a
/// client that stops reading its answer would otherwise hold the
/// connection (and the answer's memory) for as long as TCP keeps trying.
struct WriteDeadline {
    inner: TcpStream,
    stall: Duration,
    timer: Option<Pin<Box<Sleep>>>,
}

impl WriteDeadline {
    fn new(inner: TcpStream, stall: Duration) -> Self {
        Self {
            inner,
            stall,
            timer: None,
        }
    }

    /// Passes `poll` through, arming the deadline while it is pending and
    /// failing with `TimedOut` once the deadline passes.
    fn guard<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match poll {
            Poll::Ready(r) => {
                self.timer = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let stall = self.stall;
                let timer = self
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(stall)));
                if timer.as_mut().poll(cx).is_ready() {
                    self.timer = None;
                    Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading the answer",
                    )))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.guard(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.guard(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.guard(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.guard(cx, poll)
    }
}
