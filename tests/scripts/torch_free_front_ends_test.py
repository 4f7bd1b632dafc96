"""The CLI and the GStreamer element compile without LibTorch: none of their sources reaches a torch,
ATen or c10 header, directly or through the engine's public headers.

Debian installs LibTorch's headers in /usr/include, where any file could find them, so missing include
paths prove nothing: this reruns each front-end source's compile command from compile_commands.json
with -M (list every header the preprocessor opens) and fails on the first torch header it finds.

Usage: torch_free_front_ends_test.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import shlex
import subprocess
import sys

FRONT_ENDS = ("ffmpeg-tool/", "gst-plugin/")
TORCH_HEADERS = ("/torch/", "/ATen/", "/c10/")


def header_list(entry):
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    kept, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        if a == "-c":
            continue
        kept.append(a)
    out = subprocess.run(kept + ["-M"], cwd=entry["directory"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"preprocessing {entry['file']} failed:\n{out.stderr}")
    return out.stdout.replace("\\\n", " ").split()


def main():
    build, source = sys.argv[1], os.path.realpath(sys.argv[2])
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)
    checked, failures = 0, []
    for e in entries:
        rel = os.path.relpath(os.path.realpath(e["file"]), source)
        if not rel.startswith(FRONT_ENDS):
            continue
        checked += 1
        torch = [h for h in header_list(e) if any(t in h for t in TORCH_HEADERS)]
        if torch:
            failures.append(f"{rel} reaches {len(torch)} torch headers, the first {torch[0]}")
    if checked == 0:
        sys.exit("no front-end source in compile_commands.json: nothing was checked")
    if failures:
        sys.exit("\n".join(failures))
    print(f"{checked} front-end sources compile without torch headers")


if __name__ == "__main__":
    main()
