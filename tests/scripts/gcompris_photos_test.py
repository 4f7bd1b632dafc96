#!/usr/bin/env python3
"""scripts/gcompris_photos.py's README parser on a made-up README in gcompris-qt-data's style: file
names after "Files:" on the same line or the lines below, licence and author per block, and a block
without a licence giving no entry (its photographs are then left out).

    tests/scripts/gcompris_photos_test.py scripts/gcompris_photos.py
"""
import importlib.util
import sys

README = """Copyright: Timothee Giet, 2022
License: CC-BY-SA 4.0
Files:
transparent_square.svg
usa/usa.svg

Copyright: Dietmar Rabich / Wikimedia Commons
Source: https://commons.example/Alpakas.jpg
License: CC-BY-SA-4.0
Comments: cropping, sharpening
Files: alpaca.webp

Copyright: Someone
Files: usa/navajo.webp
License: Public Domain

Copyright: Nobody said
Source: https://commons.example/unknown.jpg
Files: mystery.webp
"""


def main() -> int:
    spec = importlib.util.spec_from_file_location("gcompris_photos", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = module.licences(README)
    expected = {
        "transparent_square.svg": "CC-BY-SA 4.0, Timothee Giet, 2022",
        "usa/usa.svg": "CC-BY-SA 4.0, Timothee Giet, 2022",
        "alpaca.webp": "CC-BY-SA-4.0, Dietmar Rabich / Wikimedia Commons",
        "usa/navajo.webp": "Public Domain, Someone",
    }
    if found != expected:
        print(f"licences() gave {found}, expected {expected}", file=sys.stderr)
        return 1
    print("gcompris_photos: README parser ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
