#!/usr/bin/env bash
# The reports of a run as a person and a CI system see them: the fixture's
# run record (tests/report/run-fixture.json, 2 probes, 3 faults, outages)
# is rendered by the unit-test binary test_report_render (ZF_REPORT_OUT),
# then report.html is opened in headless Chromium: the screenshot must not
# be blank, and the page must hold exactly one .probe-chart per probe;
# junit.xml must validate against tests/report/junit.xsd. A second record,
# a stopped run full of hostile strings, must give valid XML and no markup
# of its own. No lab, no namespace.
source "$(dirname "$0")/lib.sh"

BUILD=$(dirname "$ZF_BIN")
RENDER=$BUILD/tests/test_report_render
XSD=$ZF_SRC/tests/report/junit.xsd
FIXTURE=$ZF_SRC/tests/report/run-fixture.json
[ -x "$RENDER" ] || fail "$RENDER not built"
command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps)"
command -v xmllint >/dev/null || fail "xmllint is not installed (scripts/install-deps)"

chrome() { # chrome ARGS... : headless, no network, its own profile
  local profile
  profile=$(mktemp -d "$WORK/profile.XXXXXX")
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$profile" "$@" 2>"$WORK/chromium.err"
}

# Distinct colours of a PNG and the share of pixels unlike the top-left one,
# decoded with zlib only (8-bit RGB or RGBA, non-interlaced).
png_stats() {
  python3 - "$1" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
assert depth == 8 and ctype in (2, 6) and interlace == 0, "unexpected PNG format"
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, other, first = bytearray(stride), set(), 0, None
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 2):          # every other pixel
        px = bytes(line[x:x + 3])
        first = first or px
        colours.add(px)
        other += px != first
    prev = line
print(w, h, len(colours), round(other / (h * ((w + 1) // 2)), 3))
PY
}

# 1. The fixture's reports.
mkdir -p "$WORK/out"
ZF_REPORT_OUT="$WORK/out" "$RENDER" || fail "rendering the fixture failed"
for f in run.json report.md report.html junit.xml; do
  [ -s "$WORK/out/$f" ] || fail "$f not written"
done
ok "run.json, report.md, report.html, junit.xml written"

xmllint --noout --schema "$XSD" "$WORK/out/junit.xml" 2>"$WORK/xmllint.err" ||
  fail "junit.xml does not validate: $(cat "$WORK/xmllint.err")"
ok "junit.xml validates against junit.xsd"

probes=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["probes"]))' "$FIXTURE")
chrome --dump-dom "file://$WORK/out/report.html" >"$WORK/dom.html" ||
  fail "chromium --dump-dom failed: $(tail -3 "$WORK/chromium.err")"
charts=$(grep -o 'class="probe-chart"' "$WORK/dom.html" | wc -l)
named=$(grep -o 'data-probe="[^"]*"' "$WORK/dom.html" | sort -u | wc -l)
[ "$charts" -eq "$probes" ] || fail "$charts .probe-chart containers for $probes probes"
[ "$named" -eq "$probes" ] || fail "$named distinct data-probe names for $probes probes"
[ "$(grep -o '<svg' "$WORK/dom.html" | wc -l)" -eq $((2 * probes)) ] || fail "not two charts per probe"
ok "the page holds one .probe-chart per probe ($probes), two SVG charts each"

chrome --screenshot="$WORK/out.png" --window-size=1280,2000 "file://$WORK/out/report.html" >/dev/null ||
  fail "chromium --screenshot failed: $(tail -3 "$WORK/chromium.err")"
[ -s "$WORK/out.png" ] || fail "no screenshot"
read -r w h colours share < <(png_stats "$WORK/out.png")
[ "$w" -eq 1280 ] && [ "$h" -eq 2000 ] || fail "screenshot is ${w}x$h"
[ "$colours" -ge 50 ] || fail "screenshot has only $colours colours: blank?"
awk -v s="$share" 'BEGIN { exit !(s >= 0.2) }' || fail "screenshot is $share non-background: blank?"
ok "screenshot ${w}x$h: $colours colours, $share of it drawn"
if [ -n "${ZF_KEEP_SCREENSHOT:-}" ]; then cp "$WORK/out.png" "$ZF_KEEP_SCREENSHOT"; fi

# 2. A stopped run whose strings try to be markup.
python3 - "$FIXTURE" "$WORK/hostile.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
evil = "<script>alert(1)</script> ]]> & \" ' \u0001 \u001b[31m \uffff"
run["title"] = run["scenario"] = evil
run["ended"] = {"reason": "stopped", "detail": "web availability < 5% for 60s " + evil}
run["probes"][0]["name"] = "web" + evil
run["probes"][0]["expects"][0]["expr"] = evil
run["timeline"][2]["event"] = "<img src=x onerror=alert(1)>"
json.dump(run, open(sys.argv[2], "w"))
PY
mkdir -p "$WORK/hostile"
ZF_REPORT_IN="$WORK/hostile.json" ZF_REPORT_OUT="$WORK/hostile" "$RENDER" ||
  fail "rendering the hostile record failed"
xmllint --noout --schema "$XSD" "$WORK/hostile/junit.xml" 2>"$WORK/xmllint.err" ||
  fail "hostile junit.xml does not validate: $(cat "$WORK/xmllint.err")"
grep -q '<testcase classname="[^"]*" name="run completed" time="[0-9.]*">' "$WORK/hostile/junit.xml" ||
  fail "the stopped run's 'run completed' case does not fail"
grep -q '<failure message="run stopped">' "$WORK/hostile/junit.xml" || fail "no 'run stopped' failure"
ok "a stopped run with hostile strings: valid junit.xml, 'run completed' fails"
chrome --dump-dom "file://$WORK/hostile/report.html" >"$WORK/hostile-dom.html" || fail "dump-dom failed"
! grep -q '<script' "$WORK/hostile-dom.html" || fail "a <script> element made it into the page"
! grep -q '<img' "$WORK/hostile-dom.html" || fail "an <img> element made it into the page"
[ "$(grep -o 'class="probe-chart"' "$WORK/hostile-dom.html" | wc -l)" -eq "$probes" ] ||
  fail "hostile record: wrong number of charts"
ok "hostile strings stay text in the page"
