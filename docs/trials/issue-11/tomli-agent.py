#!/usr/bin/env python3
"""Stand-in coding agent for hukkin/tomli: real edits per task in $SHIPGATE_WORKTREE."""
import json, os, re, subprocess, sys
task, brief_file = sys.argv[1], sys.argv[2]
root = os.environ.get("SHIPGATE_WORKTREE", os.getcwd())
brief = open(brief_file).read() if os.path.exists(brief_file) else ""
p = lambda f: os.path.join(root, f)
def edit(f, old, new):
    t = open(p(f)).read()
    if old not in t: sys.exit(f"agent: {f} lacks anchor")
    open(p(f), "w").write(t.replace(old, new, 1))
def append(f, s): open(p(f), "a").write(s)
def commit(msg):
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=pybot", "-c", "user.email=pybot@example.com", "commit", "-qm", msg], cwd=root, check=True)
print(f"agent {task} attempt {os.environ.get('SHIPGATE_ATTEMPT')}", file=sys.stderr)
MISC_ANCHOR = "    def test_types_import(self):"
if task == "TL-DUP-KEY":
    # 1st attempt guesses the message; a retry reads the real one from the failure the brief quotes.
    m = re.search(r"AssertionError: '([^']*)' != 'Cannot overwrite a value", brief)
    expected = m.group(1) if m else "Cannot overwrite a value (at line 2, column 6)"
    edit("tests/test_error.py", "    def test_missing_value(self):",
         f'    def test_duplicate_key(self):\n        with self.assertRaises(tomllib.TOMLDecodeError) as exc_info:\n            tomllib.loads("a = 1\\na = 2")\n        self.assertEqual(str(exc_info.exception), {expected!r})\n\n    def test_missing_value(self):')
    commit("[TL-DUP-KEY] test the duplicate key error")
elif task == "TL-UNDERSCORE":
    edit("tests/test_misc.py", MISC_ANCHOR, '    def test_underscore_int(self):\n        self.assertEqual(tomllib.loads("a = 1_000"), {"a": 1000})\n\n' + MISC_ANCHOR)
elif task == "TL-HEX":
    edit("tests/test_misc.py", MISC_ANCHOR, '    def test_prefixed_ints(self):\n        self.assertEqual(tomllib.loads("h = 0xff\\no = 0o17\\nb = 0b101"), {"h": 255, "o": 15, "b": 5})\n\n' + MISC_ANCHOR)
    commit("[TL-HEX] test hex, octal and binary integers")
elif task == "TL-README":
    edit("README.md", "## Installation", "Integers may use underscores (`1_000`) and `0x`, `0o`, `0b` prefixes.\n\n## Installation")  # Integers may use underscores (`1_000`) and `0x`, `0o`, `0b` prefixes.\n")
elif task == "TL-OWN":
    open(p("tests/test_loads_bytes.py"), "w").write("from . import tomllib\n\n\ndef test_loads_rejects_bytes():\n    import pytest\n    with pytest.raises(TypeError):\n        tomllib.loads(b'a = 1')\n")
    edit("src/tomli/__init__.py", "__all__", "# loads() takes str only\n__all__")
else:
    sys.exit(f"agent: unknown task {task}")
print(json.dumps({"type": "result", "subtype": "success", "is_error": False, "result": f"done {task}", "total_cost_usd": 0.02, "usage": {"input_tokens": 2000, "output_tokens": 200}}))
