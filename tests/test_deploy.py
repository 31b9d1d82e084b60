"""deploy/: the Kubernetes values, the two images and the one-machine hub agree on every name, port and setting.

No cluster or Docker engine is needed: the files are parsed, the Python they carry is run
against JupyterHub's and Jupyter's own config classes, and names are checked against the
package (the class service's options, its group) and against deploy/jupyterhub_config.py.
"""

import inspect
import json
import os
import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from jupyter_client import KernelManager
from jupyter_core.paths import SYSTEM_CONFIG_PATH
from jupyterhub.scopes import scope_definitions
from traitlets.config import Config
from traitlets.config.loader import JSONFileConfigLoader

from trotsky_edu.cli import main
from trotsky_edu.hub import service as service_module

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
VALUES = yaml.safe_load((DEPLOY / "zero-to-jupyterhub" / "config.yaml").read_text(encoding="utf-8"))
README = (DEPLOY / "README.md").read_text(encoding="utf-8")
SERVICE, PORT, PREFIX, GROUP = "trotsky-edu", 10101, "/services/trotsky-edu/", "instructors"
SERVICE_SCOPE = f"access:services!service={SERVICE}"
HUB_POD = {"app": "jupyterhub", "component": "hub"}  # the chart's labels on the hub's pod


def dockerfile(name: str) -> list[tuple[str, str]]:
    """A Dockerfile's instructions as (INSTRUCTION, arguments): comments dropped, continued lines joined,
    ARG defaults put into the FROM line."""
    instructions, pending, args = [], "", {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("#") or not line.strip():
            continue
        pending += line.rstrip().removesuffix("\\") + (" " if line.rstrip().endswith("\\") else "")
        if not line.rstrip().endswith("\\"):
            keyword, _, rest = pending.strip().partition(" ")
            if keyword == "ARG" and "=" in rest:
                key, value = rest.split("=", 1)
                args[key] = value
            if keyword == "FROM":
                rest = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], rest)
            instructions.append((keyword, " ".join(rest.split())))
            pending = ""
    return instructions


def run_lines(image: str) -> str:
    return "\n".join(args for keyword, args in dockerfile(image) if keyword == "RUN")


def copies(image: str) -> list[tuple[list[str], str]]:
    """(sources, destination) of each COPY, without its --options."""
    found = []
    for keyword, args in dockerfile(image):
        if keyword == "COPY":
            *sources, destination = [part for part in args.split() if not part.startswith("--")]
            found.append((sources, destination))
    return found


def base_image(image: str) -> tuple[str, str]:
    name, _, tag = next(args for keyword, args in dockerfile(image) if keyword == "FROM").partition(":")
    return name, tag


@pytest.fixture(scope="module")
def one_machine(tmp_path_factory):
    """The config deploy/jupyterhub_config.py makes, as JupyterHub would load it."""
    config = Config()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TROTSKY_EDU_HUB_DATA", str(tmp_path_factory.mktemp("hub")))
        for name in ("TROTSKY_EDU_HUB_TEST", "TROTSKY_EDU_CLASS_PORT", "TROTSKY_EDU_CLASS_DB_URL"):
            env.delenv(name, raising=False)
        path = DEPLOY / "jupyterhub_config.py"
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"),
             {"get_config": lambda: config, "__file__": str(path)})
    return config


def named(items: list[dict], name: str) -> dict:
    return next(item for item in items if item["name"] == name)


def allows(rules: list[dict], port: int, peer: dict) -> bool:
    """Whether a NetworkPolicy rule list opens ``port`` to or from pods with the labels ``peer``."""
    for rule in rules:
        ports = {entry["port"] for entry in rule.get("ports", [])}
        peers = [entry["podSelector"]["matchLabels"] for entry in rule.get("from", rule.get("to", []))]
        if port in ports and peer in peers:
            return True
    return False


# --- the class service ---------------------------------------------------------------------------


def test_the_class_service_runs_in_the_hub_pod_behind_the_hub_service():
    """Its address is the chart's `hub` Service on the service's port, and that Service carries the port."""
    service = VALUES["hub"]["services"][SERVICE]
    url = urlsplit(service["url"])
    assert VALUES["fullnameOverride"] == ""  # otherwise the Service is called <release>-hub
    assert (url.scheme, url.hostname, url.port, url.path) == ("http", "hub", PORT, "")
    assert {"name": SERVICE, "port": PORT, "targetPort": PORT} in VALUES["hub"]["service"]["extraPorts"]
    assert service["command"][:2] == ["trotsky-edu", "class-service"]
    assert "trotsky-edu" in tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]


def test_the_class_service_listens_on_every_address_of_the_pod(capsys):
    """The proxy and the kernels reach it from other pods, so it must not listen on the URL's host alone; every
    option the values give it is one `trotsky-edu class-service` has."""
    command = VALUES["hub"]["services"][SERVICE]["command"]
    assert "--ip=0.0.0.0" in command
    with pytest.raises(SystemExit) as exited:
        main(["class-service", "--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    for option in command[2:]:
        assert option.split("=")[0] in help_text, f"trotsky-edu class-service has no {option.split('=')[0]} option"


def test_the_network_policies_open_the_service_port_to_the_proxy_the_hub_and_the_students_servers():
    ingress = VALUES["hub"]["networkPolicy"]["ingress"]
    assert allows(ingress, PORT, {"hub.jupyter.org/network-access-hub": "true"})  # the proxy and user servers
    assert allows(ingress, PORT, HUB_POD)  # the hub checks that its service is up
    assert allows(VALUES["proxy"]["chp"]["networkPolicy"]["egress"], PORT, HUB_POD)
    assert allows(VALUES["singleuser"]["networkPolicy"]["egress"], PORT, HUB_POD)


def test_kernels_are_told_the_service_address_as_on_one_machine(one_machine):
    """TROTSKY_EDU_CLASS_URL is the service's address plus its prefix, the same path the one-machine hub gives."""
    url = VALUES["singleuser"]["extraEnv"]["TROTSKY_EDU_CLASS_URL"]
    assert url == VALUES["hub"]["services"][SERVICE]["url"] + PREFIX
    assert urlsplit(one_machine.Spawner.environment["TROTSKY_EDU_CLASS_URL"]).path == PREFIX
    one = named(one_machine.JupyterHub.services, SERVICE)
    assert urlsplit(one["url"]).port == PORT
    assert VALUES["hub"]["services"][SERVICE]["oauth_no_confirm"] == one["oauth_no_confirm"]


def test_the_database_url_goes_from_the_secret_to_the_service():
    """hub.extraEnv reads the secret the README makes; hub.extraConfig, run as the chart runs it, hands the URL
    to the service's own environment, which keeps its other settings."""
    secret = VALUES["hub"]["extraEnv"]["TROTSKY_EDU_CLASS_DB_URL"]["valueFrom"]["secretKeyRef"]
    assert f"kubectl create secret generic {secret['name']} " in README
    assert f"--from-literal={secret['key']}='postgresql+psycopg2://" in README
    config = Config()
    config.JupyterHub.services = [{**service, "name": name} for name, service in VALUES["hub"]["services"].items()]
    url = "postgresql+psycopg2://teacher:secret@db:5432/trotsky_edu"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TROTSKY_EDU_CLASS_DB_URL", url)
        for snippet in VALUES["hub"]["extraConfig"].values():
            exec(snippet, {"c": config})
    environment = named(config.JupyterHub.services, SERVICE)["environment"]
    assert environment["TROTSKY_EDU_CLASS_DB_URL"] == url
    assert environment["TROTSKY_EDU_LESSONS"] == VALUES["hub"]["services"][SERVICE]["environment"]["TROTSKY_EDU_LESSONS"]
    for variable in environment:  # names the service reads
        assert f'os.environ.get("{variable}"' in inspect.getsource(service_module)


# --- who may do what -----------------------------------------------------------------------------


def test_every_scope_is_one_jupyterhub_knows():
    for role in VALUES["hub"]["loadRoles"].values():
        for scope in role["scopes"]:
            assert scope.split("!")[0] in scope_definitions or scope == "self", scope


def test_roles_match_the_one_machine_hub(one_machine):
    """Students and their servers may use the service; the service may read users and groups; both hubs agree."""
    roles = VALUES["hub"]["loadRoles"]
    one = one_machine.JupyterHub.load_roles
    assert "self" in roles["user"]["scopes"] and SERVICE_SCOPE in roles["user"]["scopes"]
    assert SERVICE_SCOPE in roles["server"]["scopes"]
    for name in ("user", "server"):
        assert set(roles[name]["scopes"]) == set(named(one, name)["scopes"]), name
    service_role = next(role for role in roles.values() if role.get("services") == [SERVICE])
    assert set(service_role["scopes"]) == {"read:users", "read:groups"}
    assert set(service_role["scopes"]) == set(next(r for r in one if r.get("services") == [SERVICE])["scopes"])


def test_the_instructors_group_is_the_one_the_service_reads(one_machine):
    groups = VALUES["hub"]["config"]["JupyterHub"]["load_groups"]
    assert set(groups) == {GROUP} == set(one_machine.JupyterHub.load_groups) == {service_module.INSTRUCTORS}
    assert isinstance(groups[GROUP]["users"], list)


# --- students' servers ---------------------------------------------------------------------------


def test_idle_servers_are_culled_as_on_one_machine(one_machine):
    cull = VALUES["cull"]
    culler = " ".join(named(one_machine.JupyterHub.services, "idle-culler")["command"])
    assert cull["enabled"] is True
    assert f"--timeout={cull['timeout']}" in culler and f"--cull-every={cull['every']}" in culler


def test_kernels_use_unix_sockets_in_the_chart_the_image_and_on_one_machine(tmp_path, one_machine):
    """Each of the three settings, loaded by Jupyter's own config machinery, gives a kernel manager the ipc transport."""
    extra = VALUES["singleuser"]["extraFiles"]["kernel-transport"]
    mount = Path(extra["mountPath"])
    assert str(mount.parent) in SYSTEM_CONFIG_PATH and mount.name == "jupyter_server_config.json"
    (tmp_path / mount.name).write_text(json.dumps(extra["data"]), encoding="utf-8")
    from_chart = JSONFileConfigLoader(mount.name, path=str(tmp_path)).load_config()

    appended = re.search(r"echo '(.+)' >> (\S+)", run_lines("Dockerfile"))
    assert Path(appended.group(2)).parent.as_posix() in SYSTEM_CONFIG_PATH
    assert Path(appended.group(2)).name == "jupyter_server_config.py"
    from_image = Config()
    exec(appended.group(1), {"c": from_image})

    from_one_machine = Config()
    options = [arg.removeprefix("--").split("=", 1) for arg in one_machine.Spawner.args if "=" in arg]
    for key, value in options:
        section, trait = key.rsplit(".", 1)
        from_one_machine[section][trait] = value
    for config in (from_chart, from_image, from_one_machine):
        assert KernelManager(config=config).transport == "ipc"


# --- the images ----------------------------------------------------------------------------------


def wheel_inputs() -> set[str]:
    """The top-level paths building the wheel reads: pyproject.toml, the readme, what the wheel packs (its
    packages and any extra files) and what those link to."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    packed = [*wheel["packages"], *wheel.get("shared-data", {}), *wheel.get("force-include", {})]
    needed = {"pyproject.toml", project["project"]["readme"], *(source.split("/")[0] for source in packed)}
    for source in packed:
        for link in (REPO / source).rglob("*"):
            if link.is_symlink():
                needed.add(os.path.relpath(link.resolve(), REPO).split(os.sep)[0])
    return needed


@pytest.mark.parametrize("image", ["Dockerfile", "hub.Dockerfile"])
def test_each_image_copies_what_the_wheel_needs_and_installs_it(image):
    """Every COPY source exists, the package's folder gets all that building its wheel reads, and pip installs it."""
    package_files = set()
    for sources, destination in copies(image):
        for source in sources:
            assert (REPO / source).exists(), f"{image} copies {source}, which is not in the checkout"
        if destination.rstrip("/") == "/tmp/trotsky-edu" or destination.startswith("/tmp/trotsky-edu/"):
            package_files.update(sources)
    assert package_files == wheel_inputs()
    assert re.search(r"pip install --no-cache-dir /tmp/trotsky-edu\b", run_lines(image))


def test_the_single_user_image_is_a_pinned_minimal_notebook_with_nbgitpuller():
    name, tag = base_image("Dockerfile")
    assert name == "quay.io/jupyter/minimal-notebook" and tag not in ("", "latest")
    assert re.search(r"pip install .*\bnbgitpuller\b", run_lines("Dockerfile"))
    assert ("ENV", "JUPYTER_RUNTIME_DIR=/tmp/jupyter-runtime") in dockerfile("Dockerfile")  # sockets off the home volume
    assert dockerfile("Dockerfile")[-1][0] == "USER" and dockerfile("Dockerfile")[-1][1] != "root"


def test_the_hub_image_matches_the_chart_and_brings_psycopg2_and_the_lessons():
    name, tag = base_image("hub.Dockerfile")
    assert name == "quay.io/jupyterhub/k8s-hub"
    assert f"helm upgrade --install trotsky-edu jupyterhub/jupyterhub --namespace trotsky-edu --version {tag} " in README
    assert re.search(r"pip install .*\bpsycopg2-binary\b", run_lines("hub.Dockerfile"))
    lessons = VALUES["hub"]["services"][SERVICE]["environment"]["TROTSKY_EDU_LESSONS"]
    assert (["lessons"], lessons) in copies("hub.Dockerfile")
    assert dockerfile("hub.Dockerfile")[-1] == ("USER", "1000")


@pytest.mark.parametrize("image, section", [("Dockerfile", "singleuser"), ("hub.Dockerfile", "hub")])
def test_the_readme_builds_and_pushes_the_images_the_values_run(image, section):
    wanted = f"{VALUES[section]['image']['name']}:{VALUES[section]['image']['tag']}"
    commands = [shlex.split(line) for line in README.splitlines() if line.startswith("docker ")]
    assert ["docker", "build", "-f", f"deploy/{image}", "-t", wanted, "."] in commands
    assert ["docker", "push", wanted] in commands
