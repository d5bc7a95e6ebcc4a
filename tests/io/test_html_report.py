"""report.html opened in headless Chromium: no console errors, one row per document, every cluster listed.

The browser is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), standard library
only. Without a Chromium binary the browser tests skip and say so; CI installs the Debian ``chromium`` package.
Screenshots of both runs go to the test's scratch directory, or, with ``CLEANSE_SAVE_SCREENSHOTS=1``, to
benchmarks/results/ for the README (so a CI run leaves the checkout as it found it).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleanse.cli import main
from cleanse.document import Document
from cleanse.io.changes import CUT, FLAGGED, final_text, trace
from cleanse.io.html_report import render_html
from cleanse.io.run_log import RunLog

ROOT = Path(__file__).resolve().parents[2]
SAVE_SCREENSHOTS = os.environ.get("CLEANSE_SAVE_SCREENSHOTS") == "1"
CHROMIUM = next(
    (path for name in ("chromium", "chromium-browser", "google-chrome") if (path := shutil.which(name))), None
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium on PATH (Debian: apt-get install -y chromium)"
)


class Browser:
    """A headless Chromium spoken to over the DevTools protocol on file descriptors 3 and 4."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_read, self._write = os.pipe()
        self._read, from_browser_write = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4, inheritable
            ends = os.dup(to_browser_read), os.dup(from_browser_write)  # above 4, so dup2 cannot clobber them
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        self.process = subprocess.Popen(
            [
                binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank",
            ],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=wire,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 60) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        for reply in self._messages(timeout):
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def wait_for(self, method: str, timeout: float = 60) -> dict[str, Any]:
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        for event in self._messages(timeout):
            if event.get("method") == method:
                return event
            self.events.append(event)
        raise TimeoutError(method)

    def _messages(self, timeout: float) -> Iterator[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                yield json.loads(raw)
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                return
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                return
            self._buffer += chunk

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._read)
        os.close(self._write)


class Page:
    """One tab with console, exception, log and network events recorded."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 120) -> dict[str, Any]:
        return self.browser.send(method, params, self.session, timeout)

    def open(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", timeout=120)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions, error log entries and any request leaving the file."""
        self.evaluate("1")  # drain events that arrived so far
        found = []
        for event in self.browser.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(str(params["exceptionDetails"]))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
                found.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", ""))
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(("file:", "data:", "about:")):
                    found.append(f"network request: {url}")
        return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="cleanse-chromium-") as profile:
        instance = Browser(CHROMIUM, Path(profile))
        instance.send("Browser.getVersion", timeout=60)
        yield instance
        instance.close()


def _cluster_count(report: dict[str, Any]) -> int:
    return sum(
        len(level["clusters"])
        for corpus in report["stats"]["corpus_reports"].values()
        for level in corpus.values()
        if isinstance(level, dict) and isinstance(level.get("clusters"), list)
    )


def _check_report(browser: Browser, out: Path, screenshot: str) -> dict[str, Any]:
    shots = ROOT / "benchmarks" / "results" if SAVE_SCREENSHOTS else out
    report = json.loads((out / "report.json").read_text("utf-8"))
    ids = [json.loads(line)["id"] for name in ("kept.jsonl", "rejects.jsonl")
           for line in (out / name).read_text("utf-8").splitlines() if line.strip()]
    page = Page(browser)
    page.open((out / "report.html").resolve().as_uri())
    assert page.evaluate("window.CLEANSE_REPORT.rows.length") == len(ids)
    page.evaluate("document.getElementById('pagesize').value = '500';"
                  "document.getElementById('pagesize').dispatchEvent(new Event('change'))")
    seen: list[str] = page.evaluate("""(() => {
        const ids = [];
        for (let guard = 0; guard < 100000; guard++) {
            for (const tr of document.querySelectorAll('#docbody tr')) ids.push(tr.firstChild.textContent);
            const before = document.getElementById('pageinfo').textContent;
            document.getElementById('next').click();
            if (document.getElementById('pageinfo').textContent === before) break;
        }
        return ids;
    })()""")
    assert sorted(seen) == sorted(ids), "every document has exactly one row across the pages"
    listed = page.evaluate("document.querySelectorAll('details.cluster').length")
    assert listed == _cluster_count(report)
    page.evaluate("document.getElementById('pagesize').value = '100';"
                  "document.getElementById('pagesize').dispatchEvent(new Event('change'));"
                  "const rows = [...document.querySelectorAll('#docbody tr')], data = window.CLEANSE_REPORT.rows;"
                  "const cut = tr => { const r = data[+tr.dataset.row]; return r.chars_in - r.chars_out; };"
                  "rows.reduce((a, b) => cut(b) > cut(a) ? b : a).click()")
    assert page.evaluate("document.querySelectorAll('#detail .text span[title]').length") > 0
    page.evaluate("document.getElementById('detail').scrollIntoView()")
    page.screenshot(shots / screenshot.replace(".png", "-document.png"))
    search = ids[len(ids) // 2]
    page.evaluate(f"{{const s = document.getElementById('search'); s.value = {json.dumps(search)};"
                  "s.dispatchEvent(new Event('input'))}")
    time.sleep(0.5)
    assert search in page.evaluate("document.querySelector('#docbody tr').firstChild.textContent")
    page.evaluate("{const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input'))}")
    time.sleep(0.5)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(shots / screenshot)
    assert page.errors() == []
    return report


@needs_chromium
@pytest.mark.slow
def test_seeds_report_opens_in_chromium(browser, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(ROOT / "seeds"), "-o", str(out), "--no-progress"]) == 0
    report = _check_report(browser, out, "report-seeds.png")
    assert _cluster_count(report) >= 1


WORDS = str.split(
    "我们 国家 经济 发展 城市 农村 社区 服务 工作 会议 代表 学生 学校 教育 医院 健康 环境 保护 交通 建设 项目 投资 "
    "企业 市场 价格 增长 政策 改革 创新 科技 文化 旅游 历史 人民 政府 部门 计划 完成 提高 加强 推进 开展 组织 活动 "
    "群众 生活 质量 安全 管理 制度 问题 解决 方面 地区 今年 去年 目前 已经 进一步 重要 主要 全面 有关 相关"
)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return "".join(words[:4]) + "，" + "".join(words[4:]) + "。"


def _corpus(path: Path, count: int) -> None:
    """``count`` documents of generated prose: reprints, empty records, navigation and copyright lines."""
    rng = random.Random(7)
    bases = ["".join(_sentence(rng) for _ in range(4)) for _ in range(count // 20)]
    with path.open("w", encoding="utf-8") as handle:
        for number in range(count):
            roll = rng.random()
            if roll < 0.02:
                text = ""
            elif roll < 0.15:
                text = rng.choice(bases)
            else:
                body = "\n".join("".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
                                 for _ in range(rng.randint(1, 3)))
                text = f"首页 > 新闻 > 正文\n{body}\n版权所有 未经许可不得转载" if roll < 0.4 else body
            handle.write(json.dumps({"id": f"d{number:05d}", "text": text}, ensure_ascii=False) + "\n")


@needs_chromium
@pytest.mark.slow
def test_10k_document_report_opens_in_chromium(browser, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    _corpus(corpus, 10_000)
    out = tmp_path / "out"
    main(["run", str(corpus), "-o", str(out), "--no-progress", "--jobs", "2"])
    report = _check_report(browser, out, "report-10k.png")
    assert report["stats"]["documents_in"] == 10_000
    assert _cluster_count(report) >= 1


def test_trace_reproduces_the_final_text_and_tags_each_change():
    doc = Document.from_text("首页 | 地图\n正文，第一段。\n广告:加微信")
    doc.apply_many("spam", [(0, 8, "", "drop:chrome", 0.9, ())])
    doc.apply_many("encoding", [(2, 3, ",", "fullwidth_punctuation", None, ())])
    doc.flag("spam", 8, 14, "label:ad", 0.8)
    pieces = trace(doc.changes, final=doc.text)
    assert final_text(pieces) == doc.text
    assert [(p.text, p.kind) for p in pieces if p.change >= 0] == [
        ("首页 | 地图\n", CUT), (",", 1), ("广告:加微信", FLAGGED)
    ]
    assert trace(doc.changes, original=doc.original) == pieces


def test_html_is_self_contained_and_escapes_text():
    log = RunLog(["spam"])
    doc = Document.from_text("</script><b>x</b>\n正文。", id="<i>")
    doc.apply_many("spam", [(0, 18, "", "drop:chrome", None, ())])
    log.add(doc)
    page = render_html({"stats": {"stages": {"spam": {}}, "corpus_reports": {}}}, log)
    assert page.count("</script>") == 2 and "<b>x</b>" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
