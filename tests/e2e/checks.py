"""Accessibility (axe-core) and HTML validity (the Nu HTML checker) for
browser tests. Both come from npm (``npm ci`` at the top level); the checker
runs on the machine's Java."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def missing(reason: str):
    """Fail in CI, skip with the reason elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (all default rules:
    WCAG 2.0/2.1 A and AA plus best practices)."""
    if not AXE.exists():
        missing(f"{AXE} missing: run `make e2e-assets` (npm ci)")
    # Injected through the DevTools protocol, so our own CSP does not block it.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result
    ]


def vnu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Errors the Nu HTML checker finds in each ``{name: html}`` document."""
    if not VNU.exists():
        missing(f"{VNU} missing: run `make e2e-assets` (npm ci)")
    if not shutil.which("java"):
        missing("java not found: apt-get install default-jre-headless")
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.name] = name
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json"]
            + [str(Path(folder) / file_name) for file_name in paths],
            capture_output=True,
            text=True,
            timeout=300,
        )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in messages:
        if message.get("type") != "error":
            continue
        url = message.get("url", "?")
        name = paths.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(name, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"«{message.get('extract', '').strip()}»"
        )
    return {name: found for name, found in errors.items() if found}
