"""An analyst in JupyterLab: `make lab`'s launcher, a real server, explore.ipynb run in headless Chromium."""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import ROOT, make_project
from .test_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("lab")]
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never through a proxy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET"):
    return LOCAL.open(
        urllib.request.Request(f"{base}/api/{path}", method=method, headers={"Authorization": f"token {token}"}),
        timeout=5,
    )


@pytest.fixture
def lab(tmp_path: Path):
    """JupyterLab started by scripts/lab.sh (what `make lab` runs) on a copy of the project, then stopped."""
    import psutil

    if importlib.util.find_spec("jupyterlab") is None:
        pytest.fail("JupyterLab is not installed: `make test` installs the optional 'lab' extra")
    root = make_project(tmp_path / "project", notebooks=ROOT / "notebooks")
    home = tmp_path / "jupyter"
    env = {
        **os.environ,
        "BRIEFINGS_ROOT": str(root),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [
            str(ROOT / "scripts" / "lab.sh"),
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    started: list[psutil.Process] = [psutil.Process(server.pid)]
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _api(base, token, "status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {(tmp_path / 'lab.log').read_text()[-1500:]}")
                time.sleep(0.5)
        yield {"base": base, "token": token, "root": root, "started": started}
    finally:
        started += [p for p in psutil.Process(server.pid).children(recursive=True)] if server.poll() is None else []
        try:
            _api(base, token, "shutdown", "POST")  # stops the kernels too
            server.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            server.terminate()
        _, alive = psutil.wait_procs(started, timeout=20)
        for p in alive:
            p.kill()
        log.close()
        assert not alive, f"left running after JupyterLab stopped: {[p.pid for p in alive]}"


def test_explore_notebook_in_jupyterlab(lab, tmp_path):
    import psutil
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, "--no-proxy-server"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"{lab['base']}/lab/tree/explore.ipynb?token={lab['token']}")
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " return w && w.sessionContext && w.sessionContext.session"
                " && w.sessionContext.session.kernel; }",
                timeout=120_000,
            )
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

            # The widgets render and start from the parameters cell (region = "shanghai").
            page.wait_for_selector(".widget-output table caption", timeout=120_000)
            lab["started"] += psutil.Process(lab["started"][0].pid).children(recursive=True)  # the kernel
            region = page.locator(".widget-dropdown select").first
            assert region.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ") == "Shanghai · 上海市"
            labels = region.evaluate("s => Array.from(s.options).map(o => o.text.replace(/\\u00a0/g, ' '))")
            assert "Hebei · 河北省" in labels and "Zhejiang · 浙江省" in labels
            themes = page.locator(".widget-dropdown select").nth(1)
            assert "Smart factories · 智能工厂" in themes.evaluate(
                "s => Array.from(s.options).map(o => o.text.replace(/\\u00a0/g, ' '))"
            )
            output = page.locator(".widget-output").first
            before = output.inner_text()
            assert "Shanghai" in before and "matching facts" in before
            assert output.locator("img, svg").count() >= 1  # the chart
            page.screenshot(path=str(tmp_path / "shanghai.png"))

            # Changing the region updates the output: Hebei has measures but no numbers.
            region.select_option(label="Hebei · 河北省")
            page.wait_for_function(
                "() => document.querySelector('.widget-output').innerText.includes('河北省')", timeout=60_000
            )
            after = output.inner_text()
            assert "No matching facts" in after and re.search(r"\d+ matching measures", after) and "上海市" not in after
            page.screenshot(path=str(tmp_path / "hebei.png"))
            assert (tmp_path / "hebei.png").stat().st_size > 10_000
            leaving = [u for u in requests if not u.startswith((lab["base"], "ws://127.0.0.1", "data:", "blob:"))]
            assert not leaving, f"requests leave the machine: {leaving[:3]}"
        finally:
            browser.close()
