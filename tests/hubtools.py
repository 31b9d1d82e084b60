"""A real JupyterHub on loopback, started with the shipped deploy/jupyterhub_config.py, for the hub tests.

:class:`Hub` starts ``jupyterhub`` (with configurable-http-proxy from npm, as `make test`
installs it) in test mode: JupyterHub's test authenticator and spawner, a data folder of
its own, free ports. It makes students' tokens, starts their servers, and runs code in a
kernel of a student's own server through the hub, over the kernel's websocket, as
JupyterLab does.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"  # the kernel websocket protocol JupyterLab 4 speaks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class KernelRun:
    """What running a cell printed, and its error if it raised one."""

    stdout: str
    error: str


@dataclass
class Hub:
    """A running hub: its public URL, data folder and the test admin token; stop() ends it and its servers."""

    data: Path
    url: str = ""
    class_port: int = 0
    admin_token: str = field(default_factory=lambda: secrets.token_hex(16))
    tokens: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def start(self, *, students, instructors, env: dict[str, str] | None = None, timeout: float = 90) -> "Hub":
        port, self.class_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{port}"
        environment = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "TROTSKY_EDU_HUB_TEST": "1",
            "TROTSKY_EDU_HUB_TEST_PASSWORD": secrets.token_hex(8),
            "TROTSKY_EDU_HUB_TEST_TOKEN": self.admin_token,
            "TROTSKY_EDU_HUB_DATA": str(self.data),
            "TROTSKY_EDU_HUB_URL": self.url,
            "TROTSKY_EDU_HUB_API_URL": f"http://127.0.0.1:{free_port()}",
            "TROTSKY_EDU_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
            "TROTSKY_EDU_CLASS_PORT": str(self.class_port),
            "TROTSKY_EDU_STUDENTS": ",".join(students),
            "TROTSKY_EDU_INSTRUCTORS": ",".join(instructors),
            "TROTSKY_EDU_LESSONS": str(ROOT / "lessons"),
            **(env or {}),
        }
        environment.pop("TROTSKY_EDU_PROGRESS", None)
        self.data.mkdir(parents=True, exist_ok=True)
        log = (self.data / "hub.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.data, env=environment,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_for(lambda: self.api("get", "/hub/api/").status_code == 200, timeout, "the hub to answer")
        self.wait_for(self.service_ready, timeout, "the class service to answer")
        for name in [*students, *instructors]:
            response = self.api("post", f"/hub/api/users/{name}/tokens", json={"note": "hub test"})
            response.raise_for_status()
            self.tokens[name] = response.json()["token"]
        return self

    def log(self) -> str:
        return (self.data / "hub.log").read_text(errors="replace")[-6000:]

    def wait_for(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except requests.RequestException:
                pass
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the hub stopped while waiting for {what}:\n{self.log()}")
            time.sleep(0.3)
        raise TimeoutError(f"waited {timeout:.0f} s for {what}:\n{self.log()}")

    def api(self, method: str, path: str, *, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token or self.admin_token}", **kwargs.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=30, allow_redirects=False, **kwargs)

    def service(self, method: str, path: str = "", *, user: str | None = None, **kwargs) -> requests.Response:
        """A request to the class service through the hub's proxy, as ``user`` (no token when None)."""
        headers = {"Authorization": f"token {self.tokens[user]}"} if user else {}
        headers.update(kwargs.pop("headers", {}))
        return requests.request(method, f"{self.url}/services/trotsky-edu/{path}", headers=headers, timeout=30,
                                allow_redirects=False, **kwargs)

    def service_ready(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.class_port}/services/trotsky-edu/me", timeout=2,
                                allow_redirects=False).status_code in (302, 401, 403)
        except requests.RequestException:
            return False

    def start_servers(self, names, timeout: float = 120) -> None:
        for name in names:
            status = self.api("post", f"/hub/api/users/{name}/server").status_code
            assert status in (201, 202, 400), status  # 400: already running

        def ready() -> bool:
            models = [self.api("get", f"/hub/api/users/{name}").json() for name in names]
            return all(model.get("servers", {}).get("", {}).get("ready") for model in models)

        self.wait_for(ready, timeout, f"the servers of {', '.join(names)}")

    def home(self, name: str) -> Path:
        return self.data / "home" / name

    def run(self, name: str, code: str, *, timeout: float = 60) -> KernelRun:
        """Run ``code`` in a (new) kernel of ``name``'s own server, through the hub, and return what it printed."""
        return asyncio.run(self._run(name, code, timeout))

    def start_kernel(self, name: str) -> str:
        response = self.api("post", f"/user/{name}/api/kernels", token=self.tokens[name], json={"name": "python3"})
        response.raise_for_status()
        return response.json()["id"]

    def run_in(self, name: str, kernel: str, code: str, *, timeout: float = 60) -> KernelRun:
        """Run ``code`` in the running kernel ``kernel`` of ``name``'s server."""
        return asyncio.run(self._execute(name, kernel, code, timeout))

    async def _run(self, name: str, code: str, timeout: float) -> KernelRun:
        kernel = self.start_kernel(name)
        try:
            return await self._execute(name, kernel, code, timeout)
        finally:
            self.api("delete", f"/user/{name}/api/kernels/{kernel}", token=self.tokens[name])

    async def _execute(self, name: str, kernel: str, code: str, timeout: float) -> KernelRun:
        """Run ``code`` over the kernel's websocket, speaking the binary protocol JupyterLab speaks (v1)."""
        from jupyter_server.services.kernels.connection.base import (
            deserialize_msg_from_ws_v1,
            serialize_msg_to_ws_v1,
        )
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = self.url.replace("http", "ws", 1) + f"/user/{name}/api/kernels/{kernel}/channels"
        socket_ = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.tokens[name]}"}),
                                          subprotocols=[WS_PROTOCOL])
        if socket_.selected_subprotocol != WS_PROTOCOL:
            raise ConnectionError(f"the server did not take the {WS_PROTOCOL} protocol")
        msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        socket_.write_message(serialize_msg_to_ws_v1({
            "header": {"msg_id": msg_id, "username": name, "session": session, "msg_type": "execute_request",
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ")},
            "parent_header": {}, "metadata": {},
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }, "shell", pack=lambda part: json.dumps(part).encode("utf-8")), binary=True)
        out, error, replied, idle = [], "", False, False
        deadline = time.monotonic() + timeout
        try:
            while not (replied and idle):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"the cell did not finish in {timeout} s; printed so far: {''.join(out)}")
                raw = await asyncio.wait_for(socket_.read_message(), left)
                if raw is None:
                    raise ConnectionError("the kernel's websocket closed")
                _channel, (header, parent, _metadata, content, *_buffers) = deserialize_msg_from_ws_v1(raw)
                if json.loads(parent).get("msg_id") != msg_id:
                    continue
                kind, content = json.loads(header)["msg_type"], json.loads(content)
                if kind == "stream":
                    out.append(content["text"])
                elif kind == "error":
                    error = f"{content['ename']}: {content['evalue']}"
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
        finally:
            socket_.close()
        return KernelRun("".join(out), error)

    def stop(self, *, timeout: float = 30) -> None:
        """Stop the hub and everything it started, including what runs in sessions of its own.

        Students' servers (and their kernels) run in new sessions; a hub that has not stopped
        them all within ``timeout`` seconds is killed, and they would live on. They are found
        as the hub's descendants before it stops, and ended after.
        """
        if self.process is None:
            return
        try:
            started = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            started = []
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        subprocess.run(["pkill", "-f", f"TROTSKY_EDU_HUB_DATA={self.data}"], check=False)
        for process in started:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(started, timeout=10)
