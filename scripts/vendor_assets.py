"""Copy the front-end assets capdev serves from node_modules into capdev/static/vendor.

capdev serves every asset itself (no CDN; it must work on a LAN without internet), and a fresh
machine runs `uv run capdev demo` without npm, so the copies are committed. Run after changing
versions in package.json:  npm ci && python scripts/vendor_assets.py
`--check` verifies the committed copies match node_modules (CI runs it).
"""

from __future__ import annotations

import filecmp
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
STATIC = ROOT / "capdev" / "static" / "vendor"
TESTS = ROOT / "tests" / "browser" / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.rtl.min.css": "bootstrap/bootstrap.rtl.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    # Source maps: the minified files name them, and the production static storage resolves every
    # reference (a missing map makes `collectstatic` fail).
    "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
    "bootstrap/dist/css/bootstrap.rtl.min.css.map": "bootstrap/bootstrap.rtl.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
    "bootstrap/LICENSE": "bootstrap/LICENSE",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "htmx.org/LICENSE": "htmx/LICENSE",
    # The SCORM 1.2 / 2004 runtime (window.API and window.API_1484_11) for the online part.
    "scorm-again/dist/scorm-again.min.js": "scorm-again/scorm-again.min.js",
    "scorm-again/dist/scorm-again.min.js.map": "scorm-again/scorm-again.min.js.map",
    "scorm-again/LICENSE": "scorm-again/LICENSE",
}
# axe-core is a test tool: vendored beside the browser tests, never served.
TEST_FILES = {
    "axe-core/axe.min.js": "axe.min.js",
    "axe-core/LICENSE": "axe-core-LICENSE",
}


def main() -> int:
    check = "--check" in sys.argv
    bad = []
    pairs = [(src, STATIC / dst) for src, dst in FILES.items()]
    pairs += [(src, TESTS / dst) for src, dst in TEST_FILES.items()]
    for src, target in pairs:
        source = NODE / src
        dst = str(target.relative_to(ROOT))
        if not source.exists():
            print(f"missing {source}: run `npm ci` first", file=sys.stderr)
            return 2
        if check:
            if not target.exists() or not filecmp.cmp(source, target, shallow=False):
                bad.append(dst)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        print(f"{src} -> {target.relative_to(ROOT)}")
    if bad:
        print("vendored assets differ from node_modules: " + ", ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
