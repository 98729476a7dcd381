"""The deployment files say what scale mode does: atomic lock store, pools inside max_connections, telemetry off."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
from pathlib import Path
from typing import List

import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION_SERVER_CONNECTIONS = 15  # SQLAlchemy's default pool: 5 + 10 overflow
SPARE = 10


def test_compose_pools_fit_max_connections_and_use_the_atomic_lock_store() -> None:
    compose = yaml.safe_load((ROOT / "deploy/compose.yml").read_text())
    env = compose["x-knotcare-env"]
    services = compose["services"]
    per_rasa = int(env["SQL_POOL_SIZE"]) + int(env["SQL_MAX_OVERFLOW"])
    max_connections = int(services["postgres"]["command"][-1].split("=")[1])
    used = (services["rasa"]["deploy"]["replicas"] * per_rasa
            + services["actions"]["deploy"]["replicas"] * ACTION_SERVER_CONNECTIONS + SPARE)
    assert used <= max_connections
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert services["rasa"]["deploy"]["replicas"] >= 2
    assert "ip_hash" in (ROOT / "deploy/nginx.compose.conf").read_text()


def test_k8s_pools_fit_and_every_rasa_pod_is_sticky_and_telemetry_free() -> None:
    manifests = yaml.safe_load_all((ROOT / "deploy/k8s/knotcare.yml").read_text())
    docs = {(d["kind"], d["metadata"]["name"]): d for d in manifests}
    config = docs[("ConfigMap", "knotcare")]["data"]
    assert config["RASA_TELEMETRY_ENABLED"] == "false"
    per_rasa = int(config["SQL_POOL_SIZE"]) + int(config["SQL_MAX_OVERFLOW"])
    used = (docs[("Deployment", "knotcare-rasa")]["spec"]["replicas"] * per_rasa
            + docs[("Deployment", "knotcare-actions")]["spec"]["replicas"] * ACTION_SERVER_CONNECTIONS + SPARE)
    assert used <= 100
    assert docs[("Service", "knotcare-rasa")]["spec"]["sessionAffinity"] == "ClientIP"
    assert "upstream-hash-by" in str(docs[("Ingress", "knotcare")]["metadata"]["annotations"])


def test_container_endpoints_use_the_atomic_lock_store_and_no_secrets() -> None:
    text = (ROOT / "deploy/endpoints.container.yml").read_text()
    endpoints = yaml.safe_load(text)
    assert endpoints["lock_store"]["type"] == "stores.redis_lock.AtomicRedisLockStore"
    assert endpoints["tracker_store"]["password"] == "${POSTGRES_PASSWORD}"
    for path in [*(ROOT / "deploy").rglob("*"), ROOT / "endpoints.yml", ROOT / "credentials.yml"]:
        if path.is_file():
            secret = re.search(r"(password|token|secret)\s*[:=]\s*['\"]?[A-Za-z0-9]{12,}", path.read_text(), re.I)
            assert not secret, path


def test_scale_mode_nginx_config_renders_and_passes_nginx_t(tmp_path: Path) -> None:
    from tests.conftest import unavailable

    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        unavailable("nginx is not installed (apt-get install nginx; .ci/run does)")
    result = subprocess.run(["bash", "scripts/scale.sh"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/sbin:/usr/bin:/bin", "HOME": str(tmp_path), "SCALE_CONFIG_ONLY": "1",
                                 "SCALE_RUN_DIR": str(tmp_path), "RASA_AUTH_TOKEN": "x"})
    assert result.returncode == 0, result.stdout + result.stderr
    conf = (tmp_path / "nginx/nginx.conf").read_text()
    assert "@" not in re.sub(r"#.*", "", conf)  # every placeholder filled
    assert "ip_hash" in conf and "client_max_body_size 64k" in conf and "limit_req_zone" in conf
    assert "$request " not in conf and "$args" not in conf  # no query strings (tokens) in the access log


def _dockerignored(path: str, patterns: List[str]) -> bool:
    """Docker's rule: the last pattern that matches the path (or a folder above it) decides; `!` keeps it."""
    ignored = False
    parts = path.split("/")
    for pattern in patterns:
        keep = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/").removeprefix("**/")
        if any(fnmatch.fnmatch("/".join(parts[:n]), pattern) or fnmatch.fnmatch(parts[n - 1], pattern)
               for n in range(1, len(parts) + 1)):
            ignored = not keep
    return ignored


def test_the_image_leaves_local_state_and_secrets_out() -> None:
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    for secret in ("var/rasa-auth-token", "var/session-key", "var/pseudonym-key", "var/knotcare.db",
                   "var/tracker.db", "credentials.local.yml", ".env", "kb.db", ".git/config", ".venv/bin/python",
                   "models/old-20261201.tar.gz"):
        assert _dockerignored(secret, patterns), secret
    for needed in ("models/knotcare.tar.gz", "knotcare/cli.py", "data/kb/triage_rules.yml", "credentials.yml",
                   "deploy/endpoints.container.yml", "web/index.html"):
        assert not _dockerignored(needed, patterns), needed


def test_the_http_api_is_never_enabled_without_a_token() -> None:
    places = [ROOT / "deploy" / "Dockerfile", ROOT / "Makefile", *(ROOT / "deploy").rglob("*.yml"),
              *(ROOT / "scripts").glob("*.sh")]
    commands = 0
    for path in places:
        # One command per line once continuations are joined.
        for command in path.read_text().replace("\\\n", " ").splitlines():
            if "--enable-api" in command:
                commands += 1
                assert "--auth-token" in command, f"{path.relative_to(ROOT)}: {command.strip()[:120]}"
    assert commands >= 4
    # The image refuses to start without the token rather than serving the API open.
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "${RASA_AUTH_TOKEN:?" in dockerfile


def test_every_rasa_and_action_process_reaches_the_knowledge_base() -> None:
    """Rasa re-arms kept check-ins from the knowledge base at start (channels/rearm.py): it needs DATABASE_URL."""
    k8s = list(yaml.safe_load_all((ROOT / "deploy" / "k8s" / "knotcare.yml").read_text()))
    for name in ("knotcare-rasa", "knotcare-actions"):
        [deployment] = [d for d in k8s if d and d.get("kind") == "Deployment" and d["metadata"]["name"] == name]
        command = " ".join(deployment["spec"]["template"]["spec"]["containers"][0]["command"])
        assert "DATABASE_URL=" in command, name
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yml").read_text())
    for name in ("rasa", "actions"):
        assert "DATABASE_URL" in compose["services"][name]["environment"], name


def test_the_public_doors_serve_no_http_api_and_the_ingress_is_https() -> None:
    for name in ("nginx.conf.template", "nginx.compose.conf"):
        conf = (ROOT / "deploy" / name).read_text()
        assert "location = / {" in conf and re.search(r"location / \{\s*return 404;", conf), name
    ingress = [d for d in yaml.safe_load_all((ROOT / "deploy" / "k8s" / "knotcare.yml").read_text())
               if d and d.get("kind") == "Ingress"][0]
    assert ingress["spec"]["tls"][0]["secretName"]
    paths = {p["path"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
    assert paths == {"/webhooks/", "/socket.io/"}


def test_container_endpoints_are_filled_from_the_environment_and_show_their_secrets(monkeypatch) -> None:
    """Rasa expands ${X} only in unquoted values: every one must reach the running config."""
    from rasa.core.utils import read_endpoints_from_path

    for name in ("ACTION_SERVER_URL", "POSTGRES_HOST", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD",
                 "REDIS_HOST", "REDIS_PASSWORD", "KNOTCARE_ACTIONS_TOKEN"):
        monkeypatch.setenv(name, f"value-of-{name.lower()}")
    endpoints = read_endpoints_from_path(ROOT / "deploy" / "endpoints.container.yml")
    assert endpoints.action.url == "value-of-action_server_url"
    assert endpoints.action.headers == {"Authorization": "Bearer value-of-knotcare_actions_token"}
    assert endpoints.lock_store.kwargs["password"] == "value-of-redis_password"
    assert "${" not in repr(vars(endpoints.tracker_store)) + repr(vars(endpoints.lock_store))


def test_k8s_lets_in_only_who_must_talk_and_redis_has_a_password() -> None:
    documents = [d for d in yaml.safe_load_all((ROOT / "deploy" / "k8s" / "knotcare.yml").read_text()) if d]
    policies = {d["metadata"]["name"]: d["spec"] for d in documents if d["kind"] == "NetworkPolicy"}
    assert policies["knotcare-default-deny"]["podSelector"] == {}
    allowed = {spec["podSelector"]["matchLabels"]["app"]: spec["ingress"][0]["from"][0]
               for name, spec in policies.items() if spec.get("ingress")}
    assert allowed["knotcare-actions"] == allowed["knotcare-redis"] == {"podSelector": {"matchLabels": {
        "app": "knotcare-rasa"}}}
    assert "namespaceSelector" in allowed["knotcare-rasa"]
    [redis] = [d for d in documents if d["kind"] == "Deployment" and d["metadata"]["name"] == "knotcare-redis"]
    assert "--requirepass" in " ".join(redis["spec"]["template"]["spec"]["containers"][0]["command"])
