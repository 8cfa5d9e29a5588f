"""Run the browser's search engine (themes/newsroom/static/js/search-engine.js) under Node.

The tests compare it with the Python side (the same terms from the same text) and run its
searches on index folders written by the tests, reading the files from disk.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from testtools import require_tool

JS = Path(__file__).resolve().parents[1] / "themes" / "newsroom" / "static" / "js"
ENGINE = JS / "search-engine.js"

_PRELUDE = """
import * as engine from {module};
import {{ readFile }} from "node:fs/promises";
import {{ readFileSync }} from "node:fs";
const input = JSON.parse(readFileSync(0, "utf8"));
async function openIndex(folder) {{
  return engine.SearchIndex.open(null, {{
    load: async (path) => {{
      const data = await readFile(folder + "/" + path);
      return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    }},
  }});
}}
"""


def run(script: str, data: Any = None) -> Any:
    """Run *script* (an async module body that sets ``output``) with ``input`` = *data*."""
    node = shutil.which("node")
    require_tool(node is not None, "node is not installed (make test-deps)")
    code = (
        _PRELUDE.format(module=json.dumps(ENGINE.as_uri()))
        + "let output = null;\n"
        + script
        + "\nprocess.stdout.write(JSON.stringify(output));\n"
    )
    done = subprocess.run(
        [node, "--input-type=module", "-e", code],
        input=json.dumps(data, ensure_ascii=False),
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def search(folder: Path, queries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each query ``{"q": …, "options": {…}}`` run on the index in *folder*."""
    script = """
const index = await openIndex(input.folder);
output = [];
for (const { q, options } of input.queries) {
  output.push(await index.search(q, options || {}));
}
"""
    return run(script, {"folder": str(folder), "queries": queries})
