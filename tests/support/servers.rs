//! Real Redis and PostgreSQL servers for the tests: each started in its own temporary directory
//! on a free loopback port when its binaries are installed, stopped and removed when dropped.
//! When a binary is missing the caller gets `None` and one line says the tests were skipped.
//! Only the standard library: the crate's own tests (the command's) use it too.

#![allow(dead_code)] // Each test binary uses the part it needs.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A directory of its own under the system's temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(what: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "hookproof-{what}-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something accepts connections on `port`, at most `within`.
fn wait_for_port(port: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// `name` on the `PATH` or in one of `also`.
fn find(name: &str, also: &[PathBuf]) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(also.iter().cloned())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn skip(what: &str) {
    println!("skipped: {what} not installed (the test needs a real server; .ci/run installs it)");
}

/// A `redis-server` of the test's own.
pub struct RedisServer {
    binary: PathBuf,
    port: u16,
    dir: TempDir,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts one, or says it was skipped and gives `None` when `redis-server` is missing.
    pub fn start() -> Option<Self> {
        let Some(binary) = find("redis-server", &[]) else {
            skip("redis-server");
            return None;
        };
        let mut server = Self {
            binary,
            port: free_port(),
            dir: TempDir::new("redis"),
            child: None,
        };
        server.run();
        Some(server)
    }

    fn run(&mut self) {
        let child = Command::new(&self.binary)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        assert!(
            wait_for_port(self.port, Duration::from_secs(10)),
            "redis-server listens"
        );
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills the server at once (SIGKILL): what a crash or an outage looks like to clients.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port, empty.
    pub fn restart(&mut self) {
        self.kill();
        self.run();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A PostgreSQL server of the test's own. PostgreSQL refuses to run as root: when the tests
/// run as root, it runs as the `postgres` user (via `setpriv`, which replaces itself with the
/// server, so that killing the child kills the server).
pub struct PostgresServer {
    bin: PathBuf,
    port: u16,
    dir: TempDir,
    child: Option<Child>,
    run_as: Option<&'static str>,
}

impl PostgresServer {
    /// Starts one, or says it was skipped and gives `None` when PostgreSQL is missing.
    pub fn start() -> Option<Self> {
        let versions = std::fs::read_dir("/usr/lib/postgresql")
            .map(|dirs| {
                dirs.filter_map(Result::ok)
                    .map(|dir| dir.path().join("bin"))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let Some(initdb) = find("initdb", &versions) else {
            skip("PostgreSQL (initdb)");
            return None;
        };
        let bin = initdb.parent().unwrap().to_path_buf();
        let run_as = is_root().then_some("postgres");
        let dir = TempDir::new("postgres");
        let data = dir.path().join("data");
        if let Some(user) = run_as {
            let status = Command::new("chown")
                .arg(user)
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(
                status.success(),
                "the data directory can be given to {user}"
            );
        }
        let status = as_user(run_as, &bin.join("initdb"))
            .args([
                "-U",
                "hookproof",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "-D",
            ])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("initdb runs");
        assert!(status.success(), "initdb succeeds");
        let mut server = Self {
            bin,
            port: free_port(),
            dir,
            child: None,
            run_as,
        };
        server.run();
        Some(server)
    }

    fn run(&mut self) {
        let child = as_user(self.run_as, &self.bin.join("postgres"))
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args([
                "-p",
                &self.port.to_string(),
                "-c",
                "listen_addresses=127.0.0.1",
            ])
            .arg("-k")
            .arg(self.dir.path())
            .args(["-c", "fsync=off", "-c", "max_connections=200"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("postgres starts");
        self.child = Some(child);
        assert!(
            wait_for_port(self.port, Duration::from_secs(30)),
            "postgres listens"
        );
    }

    pub fn url(&self) -> String {
        format!("postgres://hookproof@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server at once (SIGQUIT, PostgreSQL's immediate shutdown: no checkpoint,
    /// every connection cut), as a crash or a failover looks to clients.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-QUIT", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(20);
            while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port and data.
    pub fn restart(&mut self) {
        self.kill();
        self.run();
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn as_user(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(user) => {
            let mut command = Command::new("setpriv");
            command
                .args(["--reuid", user, "--regid", user, "--init-groups", "--"])
                .arg(program);
            command
        }
        None => Command::new(program),
    }
}
