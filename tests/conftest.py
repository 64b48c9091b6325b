"""Shared fixtures: the real fact base, writable copies of data/, and isolated project roots."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
INTEGRATION_DIR = Path(__file__).resolve().parent / "integration"
SHARED_BUILD = "build"  # the xdist group of every test that reads the one shared build (fixture `built`)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The folder says what a test is, and the fixtures it uses decide where it runs.

    Tests under ``tests/integration/`` are marked ``integration`` (so ``-m "not integration"`` is the unit suite),
    and every test that uses the shared build runs in one xdist group, so the four briefings are built once per
    run on one worker, not once per worker. Runs before pytest-xdist reads the groups.
    """
    for item in items:
        if INTEGRATION_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.integration)
        if "built" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(SHARED_BUILD))


@pytest.fixture(scope="session")
def fb():
    from briefings import data

    return data.validate()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def make_project(base: Path, notebooks: Path | None = None) -> Path:
    """An isolated project root: data, seeds and notebooks from the repo, its own reports/figures/build."""
    base.mkdir(parents=True, exist_ok=True)
    for name in ("data", "seeds"):
        (base / name).symlink_to(ROOT / name)
    if notebooks is None:
        (base / "notebooks").symlink_to(ROOT / "notebooks")
    else:
        shutil.copytree(notebooks, base / "notebooks")
    for name in ("reports", "figures"):
        (base / name).mkdir()
    return base


def project_with_data(base: Path) -> Path:
    """An isolated project whose data/ is a copy that a test may edit."""
    root = make_project(base)
    (root / "data").unlink()
    shutil.copytree(ROOT / "data", root / "data")
    return root


def sigint_default() -> None:
    """``preexec_fn`` of a command a test will interrupt: Ctrl-C acts as in a terminal, even when the tests
    themselves were started in the background (``cmd &`` in a script ignores SIGINT, and children inherit it)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """``python -m briefings ARGS`` against the project at ``root``."""
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "briefings", *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=root
    )


def frame(csv_text: str, key: str | None = None) -> pd.DataFrame:
    """A small inline CSV as a DataFrame (indexed by ``key`` like the loader does)."""
    df = pd.read_csv(io.StringIO(csv_text.strip()), dtype={"period": str}, keep_default_na=False)
    for col in ("is_period_inferred", "higher_is_better", "is_adopted"):
        if col in df:
            df[col] = df[col].astype(str).str.lower().eq("true")
    for col in ("comparison_group", "parent", "peer_group", "basis", "relation", "relates_to"):  # empty: missing
        if col in df:
            df[col] = df[col].replace("", None)
    return df.set_index(key, drop=False).rename_axis(None) if key else df


REGIONS = ("shanghai", "hebei")


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Shanghai (rich) and Hebei (sparse), both editions, built by the CLI into an isolated project."""
    root = make_project(tmp_path_factory.mktemp("project"))
    proc = run_cli(root, "build", "--region", "shanghai", "--region", "河北", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert "4 built, 0 unchanged, 0 failed" in proc.stdout
    return root


@pytest.fixture(scope="session")
def built_all(tmp_path_factory) -> Path:
    """Every briefing, both editions, built by the CLI into an isolated project."""
    root = make_project(tmp_path_factory.mktemp("everything"))
    proc = run_cli(root, "build", "--jobs", "2", timeout=1800)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert " 0 failed" in proc.stdout
    return root


TINY_OBS = """obs_id,region_id,indicator_id,role,period,is_period_inferred,value,qualifier,value_as_written,source_id,quote,plan,notes
o0001,shanghai,factories_count,result,2021,false,100,=,100,s1,建成100家,,
o0002,shanghai,factories_count,result,2023,false,210,=,210,s1,建成210家,,
o0003,shanghai,factories_count,target,2025,false,200,>=,200,s1,到2025年建成200家以上,p1,
o0004,zhejiang,factories_count,result,2023,false,420,=,420,s1,浙江建成420家,,
o0005,zhejiang,factories_count,result,2022,false,300,=,300,s1,浙江建成300家,,
o0006,shanghai,growth_pct,result,2023,false,6.5,=,6.5,s1,增长6.5%,,"""


@pytest.fixture
def tiny_fb():
    """A fact base of a few rows: Shanghai and Zhejiang with numbers, Hebei with measures only, the world with none."""
    from briefings.data import FactBase

    regions = frame(
        """region_id,name_en,name_zh,level,parent,peer_group,aliases
shanghai,Shanghai,上海市,municipality,,provinces,上海|沪
zhejiang,Zhejiang,浙江省,province,,provinces,浙江
hebei,Hebei,河北省,province,,provinces,河北
world,World,全球,world,,,""",
        "region_id",
    )
    themes = frame(
        "theme_id,name_en,name_zh\nsmart_factories,Smart factories,智能工厂\n"
        "industrial_growth,Industrial growth,工业增长\ntalent_and_jobs,Talent and jobs,人才与就业",
        "theme_id",
    )
    indicators = frame(
        """indicator_id,name_en,name_zh,unit,theme,kind,higher_is_better,comparison_group,description,basis,tier,relation,relates_to
factories_count,Smart factories,智能工厂,count,smart_factories,count,true,,d,,headline,,
growth_pct,Value-added growth,增加值增速,%,industrial_growth,growth_rate,true,,d,,headline,,""",
        "indicator_id",
    )
    plans = frame("plan_id,region_id,title_zh,title_en,source_id\np1,shanghai,行动计划,Action plan,s1", "plan_id")
    measures = frame(
        """measure_id,region_id,theme,summary_en,quote,source_id,is_adopted
m0001,hebei,talent_and_jobs,Train engineers.,培育工程师,s1,true
m0002,hebei,smart_factories,Build smart factories.,建设智能工厂,s1,true
m0003,shanghai,smart_factories,Publish a white paper.,发布白皮书,s1,true""",
        "measure_id",
    )
    return FactBase(
        sources=frame("source_id,published,facts_date,facts_date_basis\ns1,2024-05,2024-05,published", "source_id"),
        regions=regions,
        themes=themes,
        indicators=indicators,
        plans=plans,
        observations=frame(TINY_OBS, "obs_id"),
        measures=measures,
    )


def page_one(ctx) -> str:
    """The HTML of a briefing's page one: the blocks of the sections the build places first (``sections.FRONT``)."""
    from briefings import notebook as bn
    from briefings import sections

    blocks = [b for s in sections.in_notebook(sections.FRONT) for b in getattr(bn, s.builds)(ctx, *s.args)]
    return "".join(str(b[0] if isinstance(b, tuple) else b) for b in blocks)


_ACCENTS = str.maketrans("aceinouyAEINOU", "åçéîñöûýÅÉÎÑÖÛ")  # letters the chart font has


def accent(text: str) -> str:
    """Accented English, placeholders (``{region}``, ``{n:plural:…}``) and escapes left as they are."""
    return "".join(
        p if p.startswith(("{", "\\")) else p.translate(_ACCENTS) for p in re.split(r"(\{[^}]*\}|\\.)", text)
    )


def make_pseudo_locales(folder: Path) -> Path:
    """The package's catalogues and ``xx.toml``: en.toml with every message accented and its own
    suffix, HTML language code and names."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in _locales_dir().glob("*.toml"):
        shutil.copy(f, folder / f.name)
    table, out = "", []
    for line in (_locales_dir() / "en.toml").read_text(encoding="utf-8").splitlines():
        table = line if line.startswith("[") else table
        m = re.match(r'^([^=#]+=\s*)"(.*)"(\s*(#.*)?)$', line)
        if m and not table.startswith(("[locale", "[number")):  # settings, not messages
            line = f'{m.group(1)}"{accent(m.group(2))}"{m.group(3)}'
        out.append(line)
    text = "\n".join(out) + "\n"
    for key, value in (("name", "Ƥšéûðö"), ("link", "Ƥšéûðö éðîţîöñ"), ("html_lang", "en-XA"), ("suffix", ".xx")):
        text, n = re.subn(rf'(?m)^{key} = "[^"]*"', f'{key} = "{value}"', text, count=1)
        assert n == 1, key
    text = text.replace('"{n} billion"', f'"{{n}} {accent("billion")}"')  # number words are data too
    (folder / "xx.toml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def pseudo(tmp_path, monkeypatch) -> Path:
    folder = make_pseudo_locales(tmp_path / "locales")
    monkeypatch.setenv("BRIEFINGS_LOCALES", str(folder))
    return folder


def _locales_dir() -> Path:
    from briefings import paths

    return paths.LOCALES_DIR
