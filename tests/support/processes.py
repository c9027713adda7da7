"""Starting our own services as real processes on free ports, for tests over real sockets."""
from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[2]


def _ephemeral_ports() -> range:
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(low, high + 1)


def free_port() -> int:
    """A free port below the range the kernel hands out for outgoing connections: a server that
    takes 20 s to bind must not find its port taken by one of the many client sockets tests open
    meanwhile (as a port the kernel picked from that range could be)."""
    ephemeral = _ephemeral_ports()
    candidates = list(range(max(1024, ephemeral.start - 12000), ephemeral.start))
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


class ServerProcess:
    """A child process serving HTTP; started, waited for until healthy, and stopped."""

    def __init__(self, args: List[str], port: int, health_path: str, env: Optional[Dict[str, str]] = None) -> None:
        self.args = args
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.health_path = health_path
        self.env = {**os.environ, **(env or {})}
        self.log = tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False)
        self.process: Optional[subprocess.Popen] = None

    def start(self, timeout: float = 60) -> "ServerProcess":
        return self.launch().wait_ready(timeout)

    def launch(self) -> "ServerProcess":
        """Starts the process without waiting for it (see `start_together`)."""
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self, timeout: float = 60) -> "ServerProcess":
        """Returns once the health path answers; fails if the process exits or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.args} exited with {self.process.returncode}:\n{self.output()}")
            try:
                if requests.get(self.url + self.health_path, timeout=1).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.args} did not become healthy in {timeout} s:\n{self.output()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM killer would: no shutdown code runs."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-5000:]


def start_together(*servers: ServerProcess, timeout: float = 180) -> None:
    """Starts the servers at once and waits until each is healthy: their start-ups (a `rasa run`
    loading its model, an action server importing its modules) overlap instead of adding up. A
    server may be given the URL of another before that one is ready, as `rasa run` its action server's."""
    for server in servers:
        server.launch()
    try:
        for server in servers:
            server.wait_ready(timeout)
    except Exception:
        stop_together(*servers)
        raise


def stop_together(*servers: ServerProcess) -> None:
    """Stops the servers at once: each gets SIGTERM before any is waited for."""
    for server in servers:
        if server.process and server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        server.stop()


def sandbox_process(database_url: str, **env: str) -> ServerProcess:
    port = free_port()
    args = [sys.executable, "-m", "sandbox", "serve", "--port", str(port)]
    return ServerProcess(args, port, "/health", {"DATABASE_URL": database_url, **env})
