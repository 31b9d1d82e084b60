"""JupyterHub on one machine for a class taking the trotsky_edu course.

    jupyterhub -f deploy/jupyterhub_config.py

What it sets up (each part is explained where it is set):

- the **class service** ``trotsky-edu`` (``trotsky-edu class-service``), started and restarted
  by the hub, which collects every answer as students give it and serves the teacher's
  dashboard at ``/services/trotsky-edu/`` to the ``instructors`` group and hub admins;
- each single-user server's kernels find it through ``TROTSKY_EDU_CLASS_URL`` and send with
  the student's own token, and use Unix sockets rather than TCP ports (thirty kernels starting
  in the same minute lose about one in sixty to a port race over TCP);
- **nbgitpuller** in the single-user servers, for handing out the student edition
  (``trotsky-edu handout`` prints the link);
- **culling**: servers idle for an hour are stopped (``jupyterhub-idle-culler``).

Settings come from the environment, so the same file serves a school's machine and the test
suite: ``TROTSKY_EDU_HUB_DATA`` (the hub's own database, cookie secret and the class
database; default ``/srv/trotsky-edu``), ``TROTSKY_EDU_STUDENTS``, ``TROTSKY_EDU_INSTRUCTORS`` and
``TROTSKY_EDU_ADMINS`` (comma-separated user names), ``TROTSKY_EDU_HUB_URL`` (where the hub
listens; default ``http://:8000``). Logins are the machine's own accounts (PAM) and each
student's server runs as that account. The test suite sets ``TROTSKY_EDU_HUB_TEST=1``
to use JupyterHub's test authenticator and spawner instead (everyone under one account, each
with a home folder in the data folder), and its own ports.
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub provides it)

DATA = Path(os.environ.get("TROTSKY_EDU_HUB_DATA", "/srv/trotsky-edu"))
DATA.mkdir(parents=True, exist_ok=True)
TESTING = os.environ.get("TROTSKY_EDU_HUB_TEST") == "1"
CLASS_PORT = int(os.environ.get("TROTSKY_EDU_CLASS_PORT", "10101"))


def _names(variable: str) -> set[str]:
    return {name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()}


students, instructors, admins = _names("TROTSKY_EDU_STUDENTS"), _names("TROTSKY_EDU_INSTRUCTORS"), _names("TROTSKY_EDU_ADMINS")

# --- the hub itself -------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("TROTSKY_EDU_HUB_URL", "http://:8000")
c.JupyterHub.hub_bind_url = os.environ.get("TROTSKY_EDU_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("TROTSKY_EDU_PROXY_API_URL", "http://127.0.0.1:8001")
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(DATA / "jupyterhub.pid")
# configurable-http-proxy from npm: `make setup` installs it in node_modules/ beside this folder.
_proxy = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(_proxy) if _proxy.exists() else shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]

# --- who comes in ---------------------------------------------------------------------------------
if TESTING:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["TROTSKY_EDU_HUB_TEST_PASSWORD"]
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(DATA / "home" / "{username}")
    c.JupyterHub.cleanup_servers = True
    c.Spawner.poll_interval = 3  # notice a stopped service (and restart it) in seconds rather than half a minute
c.Authenticator.allowed_users = students | instructors | admins
c.Authenticator.admin_users = admins
c.JupyterHub.load_groups = {"instructors": {"users": sorted(instructors)}}

# --- each student's server and kernels ------------------------------------------------------------
c.Spawner.default_url = "/lab"
# Students' servers and kernels run below the hub, the proxy and the class service: when a class runs its
# lessons at once and the processors are full, every page still loads and every answer is still stored.
# (`nice` alone would not do it on Linux, which shares the processors between sessions first: see
# trotsky_edu/hub/priority.py.) It runs jupyterhub-singleuser.
c.Spawner.cmd = ["trotsky-edu", "student-server"]
c.Spawner.args = ["--KernelManager.transport=ipc"]  # Unix sockets: no port race when a class starts at once
c.Spawner.environment = {
    "TROTSKY_EDU_CLASS_URL": f"http://127.0.0.1:{CLASS_PORT}/services/trotsky-edu/",
    # A Unix socket's path must fit in 107 bytes: keep kernels' sockets out of deep home folders.
    "JUPYTER_RUNTIME_DIR": lambda spawner: f"/tmp/trotsky-edu-runtime-{spawner.user.name}",
}
if TESTING and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # the test spawner runs every server as the hub's own user
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- the class service ----------------------------------------------------------------------------
c.JupyterHub.services = [
    {
        "name": "trotsky-edu",
        "url": f"http://127.0.0.1:{CLASS_PORT}",
        "command": [sys.executable, "-m", "trotsky_edu.cli", "class-service"],
        "environment": {
            "TROTSKY_EDU_CLASS_DATA": str(DATA / "class"),
            **{key: os.environ[key] for key in ("TROTSKY_EDU_CLASS_DB_URL", "TROTSKY_EDU_CLASS_MAX_BYTES",
                                                "TROTSKY_EDU_LESSONS") if key in os.environ},
        },
        "oauth_no_confirm": True,
        "display": True,
    },
    *([{"name": "test-admin", "api_token": os.environ["TROTSKY_EDU_HUB_TEST_TOKEN"]}] if TESTING else []),
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"],
    },
]
c.JupyterHub.load_roles = [
    # Students reach the class service from the browser (their own answers) and from their kernels.
    {"name": "user", "scopes": ["self", "access:services!service=trotsky-edu"]},
    {"name": "server", "scopes": ["access:servers!user", "users:activity!user", "read:users:activity!user",
                                  "access:services!service=trotsky-edu"]},
    # The service asks the hub who is an admin or in the instructors group.
    {"name": "trotsky-edu-service", "scopes": ["read:users", "read:groups"], "services": ["trotsky-edu"]},
    {"name": "idle-culler", "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
     "services": ["idle-culler"]},
    # The test suite starts servers and makes students' tokens with this one.
    *([{"name": "test-admin", "scopes": ["admin:users", "admin:servers", "tokens", "admin:groups"],
        "services": ["test-admin"]}] if TESTING else []),
]
