"""House rules: the data dictionary, the environments, the notebooks and the message catalogues."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from briefings import i18n
from briefings.datadict import render

from ..conftest import ROOT


def test_data_dictionary_is_generated_from_the_schema():
    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == render(), "run `briefings datadict`"


def _names(specs):
    return {re.split(r"[<>=!~\[ ]", s.strip(), maxsplit=1)[0].lower() for s in specs}


def test_environment_yml_pins_the_locked_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = _names(project["project"]["dependencies"]) | _names(project["project"]["optional-dependencies"]["lab"])
    wanted |= _names(project["dependency-groups"]["dev"])
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {p["name"]: p["version"] for p in lock["package"] if "version" in p}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = dict(d.split("==") for d in env["dependencies"] if isinstance(d, str) and "==" in d)
    assert set(pins) == wanted
    assert {name: locked[name] for name in wanted} == pins
    assert env["dependencies"][-1] == {"pip": ["-e ."]}


def test_environment_yml_is_generated_from_the_lock():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "environment_yml.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_build_path_is_lean():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    core = _names(project["project"]["dependencies"])
    assert not core & {"jupyter", "jupyterlab", "notebook"}, "JupyterLab belongs in the optional 'lab' extra"


@pytest.mark.parametrize(
    "name", ["01_curated_tables.ipynb", "02_regional_comparison.ipynb", "03_targets_vs_baseline.ipynb"]
)
def test_notebooks_are_thin_and_stripped(name):
    nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1
    src = "".join(params[0]["source"])
    assert "region =" in src and "lang =" in src
    for c in code:
        assert not c["outputs"] and c["execution_count"] is None
        text = "".join(c["source"])
        assert not re.search(r"^\s*(def|class|for|while) ", text, re.M), "logic belongs in the package"
        assert all(
            line.startswith(("import briefings", "from briefings"))
            for line in text.splitlines()
            if line.startswith(("import ", "from "))
        )


def test_catalogues_have_the_same_keys_and_placeholders():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    assert set(en) == set(zh)
    for key in en:
        if key.startswith("period."):  # months are written as names in English, as numbers in Chinese
            continue
        assert set(re.findall(r"{(\w+)}", en[key])) >= set(re.findall(r"{(\w+)}", zh[key])), key


def test_unknown_language_is_one_line():
    with pytest.raises(i18n.LangError, match="unknown language 'fr': use one of en, zh"):
        i18n.check_lang("fr")


def test_ci_calls_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_colours_pass_wcag_aa():
    css = (ROOT / "src" / "briefings" / "templates" / "briefing" / "static" / "briefing.css").read_text()
    for var in ("ink", "muted", "accent"):
        colour = re.search(rf"--{var}: (#[0-9a-fA-F]{{6}})", css).group(1)
        assert _contrast(colour, "#ffffff") >= 4.5, var
        assert _contrast(colour, "#f4f6f8") >= 4.5, var  # table headers and contents box
    for badge in re.findall(r"\.status-\w+ \{ background: (#[0-9A-Fa-f]{6}); \}", css):
        assert _contrast("#ffffff", badge) >= 4.5, badge


def test_tests_that_share_the_build_run_on_one_worker(tmp_path):
    """The grouping hook of conftest.py, with pytest-xdist as locked: the shared build is made once per run."""
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text(
        "import os, sys, pytest\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n"
        "@pytest.fixture(scope='session')\n"
        "def built(tmp_path_factory):\n"
        "    with open(os.environ['LOG'], 'a') as fh:\n"
        "        fh.write(os.environ.get('PYTEST_XDIST_WORKER', 'main') + '\\n')\n"
    )
    (suite / "test_suite.py").write_text(
        "import time, pytest\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "def test_reads_the_build(built, i): time.sleep(0.1)\n"
        "@pytest.mark.parametrize('i', range(6))\n"
        "def test_other(i): time.sleep(0.1)\n"
    )
    log = tmp_path / "log"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider", str(suite)],
        capture_output=True,
        text=True,
        cwd=suite,
        env={**os.environ, "LOG": str(log)},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert len(log.read_text().split()) == 1, "the shared build fixture ran on more than one worker"
