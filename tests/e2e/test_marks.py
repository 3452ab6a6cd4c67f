"""Every browser test carries the e2e mark, which `make check` leaves out (-m "not e2e"); this check itself runs
without a browser and is not marked."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _module_marks(tree: ast.Module) -> str:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            return ast.unparse(node.value)
    return ""


def test_every_browser_test_module_is_marked_e2e():
    browser_modules = []
    for path in sorted(TESTS.rglob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        imports = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        fixtures = {
            arg.arg
            for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            for arg in node.args.args
        }
        if any(m.startswith("playwright") or m.startswith("tests.e2e") for m in imports) or fixtures & {
            "browser",
            "demo_site",
        }:
            browser_modules.append(path)
            assert "pytest.mark.e2e" in _module_marks(tree), (
                f"{path.relative_to(TESTS)} lacks pytest.mark.e2e"
            )
    assert len(browser_modules) >= 10  # the walk found them (tests/e2e and tests/records)
