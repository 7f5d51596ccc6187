"""docs/deploy.md stays true: its settings table, the env file example, the lock files, the systemd units.

scripts/check-deploy.sh follows the guide on PostgreSQL with two app servers; these tests catch the
drift that needs no server: a setting read by jalur/settings.py and missing from the table (or a row
nobody reads), an env file that does not survive `set -a; . file`, a lock file behind pyproject.toml,
a periodic command no timer runs.
"""

import ast
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(settings.BASE_DIR)
GUIDE = ROOT / "docs" / "deploy.md"
ENV_EXAMPLE = ROOT / "deploy" / "jalur.env.example"
UNITS = ROOT / "deploy" / "systemd"
LOCKS = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Read by a library rather than by Jalur's code, and documented in the table all the same.
READ_BY_LIBRARIES = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}  # boto3, with FILE_STORAGE=s3

# Management commands of Jalur that an operator or developer runs by hand; every other one must be
# run by a timer of deploy/systemd (so a new periodic job cannot be left unscheduled).
RUN_BY_HAND = {
    "create_admin": "once, on a fresh database (guide 1.5)",
    "restore": "to restore a backup",
    "backup_keygen": "the backup key pair, on the officer's own computer (guide 5.1)",
    "load_regions": "another city's kelurahan list (guide 4)",
    "import_candidates": "an Excel import from the shell",
    "seed_demo": "the demo of scripts/run.sh",
    "generate_synthetic": "benchmarks",
    "rules_page": "writes docs/rules.md",
    "ropa": "the record of processing activities, for the data-protection officer",
    "kode_demo": "the demo staff's current two-step code (demo only)",
    "export_programme": "the whole programme as a data package, to move it (docs/exchange.md)",
    "import_programme": "loads such a package into a new, empty instance (docs/exchange.md)",
}
# Commands of Django and its libraries that Jalur needs on a schedule.
LIBRARY_JOBS = {"clearsessions", "prune_db_task_results"}


# --- environment variables read by the code --------------------------------------------------------


def _is_environ(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _environ_key(node):
    """The key node of os.environ.get(KEY…), os.getenv(KEY…) or os.environ[KEY], else None."""
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        if isinstance(func, ast.Attribute) and (
            (func.attr == "get" and _is_environ(func.value))
            or (
                func.attr == "getenv" and isinstance(func.value, ast.Name) and func.value.id == "os"
            )
        ):
            return node.args[0]
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return node.slice
    return None


def environment_reads(path: Path) -> set[str]:
    """Every environment variable a module reads: directly, through a module-level constant holding
    its name, or through a helper of the module that reads the variable its first argument names
    (settings.py's envbool/envint/envlist). A read whose name cannot be told fails the test."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    helpers = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.args.args:
            parameter = node.args.args[0].arg
            for inner in ast.walk(node):
                key = _environ_key(inner)
                if isinstance(key, ast.Name) and key.id == parameter:
                    helpers[node.name] = node
    inside_helpers = {id(n) for helper in helpers.values() for n in ast.walk(helper)}

    def name_of(key) -> str:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        if isinstance(key, ast.Name) and key.id in constants:
            return constants[key.id]
        raise AssertionError(
            f"{path.relative_to(ROOT)}:{key.lineno}: an environment read whose variable cannot be "
            "told; read it by name so docs/deploy.md can be checked"
        )

    names = set()
    for node in ast.walk(tree):
        key = _environ_key(node)
        if key is not None and id(node) not in inside_helpers:
            names.add(name_of(key))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in helpers
            and node.args
        ):
            names.add(name_of(node.args[0]))
    return names


def _jalur_modules():
    for path in sorted((ROOT / "jalur").rglob("*.py")):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path


def _section(title_start: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title_start)}.*?(?=^## )", text, re.M | re.S)
    assert match, f"docs/deploy.md has no section '## {title_start}'"
    return match.group(0)


def settings_table() -> set[str]:
    """The variables named in the first column of the guide's settings table."""
    names = set()
    for line in _section("3. Settings").splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", first_cell))
    return names


class TestSettingsTable:
    def test_the_reader_finds_what_settings_reads_through_each_helper(self):
        read = environment_reads(ROOT / "jalur" / "settings.py")
        # One of each way settings.py reads: os.environ.get, os.environ[...], envbool, envint, envlist.
        assert {"SECRET_KEY", "REDIS_URL", "AXES_ENABLED", "CONN_MAX_AGE", "ALLOWED_HOSTS"} <= read

    def test_every_variable_settings_reads_is_in_the_guide(self):
        missing = environment_reads(ROOT / "jalur" / "settings.py") - settings_table()
        assert not missing, f"add to docs/deploy.md's settings table: {sorted(missing)}"

    def test_every_variable_in_the_guide_is_read(self):
        read = set().union(*(environment_reads(path) for path in _jalur_modules()))
        stale = settings_table() - read - READ_BY_LIBRARIES
        assert not stale, f"docs/deploy.md lists settings nothing reads: {sorted(stale)}"


# --- the env file example ---------------------------------------------------------------------------

ASSIGNMENT = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)='([^'$`\\]*)'$")


def _assignments(*, commented: bool) -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ASSIGNMENT.match(line)
        if match and line.startswith("#") == commented:
            values[match.group(1)] = match.group(2)
    return values


def _sourced(path: Path) -> dict[str, str]:
    """The environment `set -a; . file; set +a` leaves, starting from an empty one."""
    result = subprocess.run(
        ["env", "-i", shutil.which("bash"), "-c", 'set -a; . "$1"; set +a; env -0', "-", str(path)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr.decode()
    pairs = (item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item)
    return {key: value for key, value in pairs if key not in {"PWD", "SHLVL", "_", "OLDPWD"}}


class TestEnvExample:
    def test_each_line_is_a_comment_or_a_single_quoted_assignment(self):
        for number, line in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
            if line and not line.startswith("#"):
                assert ASSIGNMENT.match(line), (
                    f"deploy/jalur.env.example:{number}: write KEY='value' with no ', $, ` or "
                    f"backslash inside, so systemd and the shell read the same: {line}"
                )

    def test_sourcing_it_with_bash_sets_every_value_intact(self):
        expected = _assignments(commented=False)
        assert {"DEFAULT_FROM_EMAIL", "MEDIA_ROOT", "STATIC_ROOT", "DATABASE_URL"} <= set(expected)
        assert _sourced(ENV_EXAMPLE) == expected
        # The value with spaces and <> that once stopped the file at its line.
        assert expected["DEFAULT_FROM_EMAIL"] == "Jalur Disnakertrans <jalur@serangkota.go.id>"

    def test_the_commented_examples_source_intact_once_uncommented(self, tmp_path):
        commented = _assignments(commented=True)
        assert commented, "the example shows optional settings as commented lines"
        uncommented = tmp_path / "jalur.env"
        uncommented.write_text(
            "\n".join(f"{key}='{value}'" for key, value in commented.items()), encoding="utf-8"
        )
        assert _sourced(uncommented) == commented

    def test_it_sets_only_variables_the_guide_documents(self):
        names = set(_assignments(commented=False)) | set(_assignments(commented=True))
        assert names <= settings_table()

    def test_its_placeholder_secret_key_is_refused_in_production(self):
        values = _assignments(commented=False)
        assert values["JALUR_ENV"] == "production"
        assert len(values["SECRET_KEY"]) < 40  # settings.py refuses to start with it


# --- lock files -----------------------------------------------------------------------------------

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)")


def lock(name: str) -> dict[str, Version]:
    """{package: pinned version} of requirements/<name>.txt; each pin must carry its hashes."""
    text = (LOCKS / name).read_text(encoding="utf-8")
    pins = {}
    for entry in re.split(r"\n(?=[^\s#])", text):
        first = entry.splitlines()[0]
        if not first or first.startswith("#"):
            continue
        match = PIN.match(first)
        assert match, f"requirements/{name}: not pinned with ==: {first}"
        assert "--hash=sha256:" in entry, f"requirements/{name}: {first} has no hash"
        pins[canonicalize_name(match.group(1))] = Version(match.group(3))
    return pins


def _check_pinned(requirements: list[str], pins: dict[str, Version], where: str) -> None:
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{where} lacks {requirement.name} (run requirements/compile.sh)"
        assert pins[name] in requirement.specifier, (
            f"{where} pins {name}=={pins[name]}, outside {requirement.specifier} of pyproject.toml "
            "(run requirements/compile.sh)"
        )


class TestLockFiles:
    def test_production_pins_every_runtime_dependency_within_pyproject(self):
        _check_pinned(
            PYPROJECT["project"]["dependencies"], lock("production.txt"), "production.txt"
        )

    def test_production_pins_the_build_backend(self):
        build_in = [
            line
            for line in (LOCKS / "build.in").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        ]
        assert build_in == PYPROJECT["build-system"]["requires"]
        _check_pinned(build_in, lock("production.txt"), "production.txt")

    def test_no_development_tool_is_in_production(self):
        dev = {
            canonicalize_name(Requirement(r).name)
            for r in PYPROJECT["project"]["optional-dependencies"]["dev"]
        }
        runtime = {
            canonicalize_name(Requirement(r).name) for r in PYPROJECT["project"]["dependencies"]
        }
        # A dev tool may be in the lock only because a runtime package needs it (pikepdf needs
        # packaging): the lock's "# via" lines name who asked for each pin.
        text = (LOCKS / "production.txt").read_text(encoding="utf-8")
        wanted_by = {
            canonicalize_name(m.group(1)): {
                canonicalize_name(w.strip().split(" ")[0]) for w in m.group(2).split(",")
            }
            for m in re.finditer(
                r"^([A-Za-z0-9._-]+)==[^\n]*(?:\n\s+--hash[^\n]*)*\n\s+# via ([^\n]+)", text, re.M
            )
        }
        leaked = {
            name
            for name in (dev - runtime) & set(lock("production.txt"))
            if not (wanted_by.get(name, set()) - {"jalur"})
        }
        assert not leaked, f"development tools in the production lock: {sorted(leaked)}"

    @pytest.mark.parametrize("extra", ["s3", "redis"])
    def test_each_optional_extra_has_its_lock_on_top_of_production(self, extra):
        production, extra_pins = lock("production.txt"), lock(f"{extra}.txt")
        both = {**production, **extra_pins}
        _check_pinned(PYPROJECT["project"]["optional-dependencies"][extra], both, f"{extra}.txt")
        assert not set(production) & set(extra_pins), "installed together: one pin per package"

    def test_gunicorn_is_new_enough_for_the_units_control_socket_option(self):
        unit = (UNITS / "jalur-web@.service").read_text(encoding="utf-8")
        assert "--control-socket " in unit
        assert lock("production.txt")["gunicorn"] >= Version("25.1")  # the option's first release


# --- the guide's install steps and the systemd units -------------------------------------------------


def unit(name: str) -> dict[str, str]:
    """{key: value} of a unit file (the last of repeated keys; continuation lines joined)."""
    text = (UNITS / name).read_text(encoding="utf-8").replace("\\\n", " ")
    return dict(
        line.split("=", 1)
        for line in text.splitlines()
        if "=" in line and not line.startswith(("#", ";"))
    )


def guide_block(name: str) -> str:
    match = re.search(
        rf"^```sh deploy-check:{name}\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.M | re.S
    )
    assert match, f"docs/deploy.md has no block marked deploy-check:{name}"
    return match.group(1)


class TestGuideAndUnits:
    def test_the_blocks_check_deploy_runs_are_in_the_guide(self):
        script = (ROOT / "scripts" / "check-deploy.sh").read_text(encoding="utf-8")
        names = set(re.findall(r"guide_block (\w+)", script))
        assert names == {"install", "prepare"}
        for name in names:
            guide_block(name)

    def test_install_uses_the_lock_with_hashes_and_no_dependencies_for_jalur(self):
        block = guide_block("install")
        assert "pip install --require-hashes -r requirements/production.txt" in block
        assert "pip install --no-deps --no-build-isolation ." in block
        assert "[dev]" not in block and "-e " not in block

    def test_the_first_admin_is_made_with_create_admin_not_createsuperuser(self):
        block = guide_block("prepare")
        assert "manage.py create_admin" in block and "createsuperuser" not in block
        assert "no organisations" in GUIDE.read_text(encoding="utf-8")

    def test_each_app_server_instance_has_its_own_port_pid_and_control_socket(self):
        web = unit("jalur-web@.service")
        command = web["ExecStart"]
        assert "--bind 127.0.0.1:%i" in command
        runtime = "/run/" + web["RuntimeDirectory"]
        assert "%i" in runtime
        assert f"--pid {runtime}/" in command
        assert f"--control-socket {runtime}/" in command

    def test_every_service_runs_as_jalur_with_the_settings_file(self):
        for path in sorted(UNITS.glob("*.service")):
            values = unit(path.name)
            assert values["User"] == "jalur", path.name
            assert values["EnvironmentFile"] == "/etc/jalur.env", path.name
            assert values["WorkingDirectory"] == "/srv/jalur", path.name
            assert values["UMask"] == "0027", path.name

    def test_every_timer_has_its_service_and_is_named_in_the_guide(self):
        timers = sorted(UNITS.glob("*.timer"))
        assert timers
        guide = GUIDE.read_text(encoding="utf-8")
        for timer in timers:
            assert (UNITS / f"{timer.stem}.service").exists(), f"{timer.name} has no service"
            assert unit(timer.name)["OnCalendar"], timer.name
            assert f"`{timer.name}`" in guide, f"docs/deploy.md does not name {timer.name}"

    def test_every_periodic_command_is_scheduled_and_every_scheduled_one_exists(self):
        commands = get_commands()
        scheduled = set()
        for timer in UNITS.glob("*.timer"):
            command = unit(f"{timer.stem}.service")["ExecStart"]
            match = re.match(r"/srv/jalur/\.venv/bin/python manage\.py (\w+)", command)
            assert match, f"{timer.stem}.service: {command}"
            assert match.group(1) in commands, f"{timer.stem}.service runs no known command"
            scheduled.add(match.group(1))
        jalur_commands = {name for name, app in commands.items() if app.startswith("jalur.")}
        unscheduled = jalur_commands - scheduled - set(RUN_BY_HAND)
        assert not unscheduled, (
            f"schedule these in deploy/systemd (a .timer and a .service) or list them in "
            f"RUN_BY_HAND: {sorted(unscheduled)}"
        )
        assert {"expire_documents", "backup"} | LIBRARY_JOBS <= scheduled
        assert not scheduled & set(RUN_BY_HAND)
