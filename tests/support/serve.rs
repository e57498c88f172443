//! Serving an axum app on a free loopback port, for the tests and the benches.

#![allow(dead_code)] // Each test binary uses the part it needs.

use std::net::TcpListener;

/// Serves `app` on a free loopback port, on a runtime of its own (two worker threads) that ends
/// when it is stopped; the address, and a sender that stops it.
pub fn serve_axum(app: axum::Router) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let (address, stop, serving) = serving(app);
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(serving);
    });
    (address, stop)
}

/// Serves `app` on a free loopback port as a task of `runtime`: the runtime a store was
/// connected on, as in a service, so that the store's connections are driven where they are
/// used. The address, and a sender that stops it.
pub fn serve_axum_on(
    runtime: &tokio::runtime::Handle,
    app: axum::Router,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let (address, stop, serving) = serving(app);
    runtime.spawn(serving);
    (address, stop)
}

/// A free loopback port, the sender that stops serving `app` on it, and the serving.
fn serving(
    app: axum::Router,
) -> (
    std::net::SocketAddr,
    tokio::sync::oneshot::Sender<()>,
    impl std::future::Future<Output = ()> + Send + 'static,
) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await
            .unwrap();
    };
    (address, stop, serving)
}
