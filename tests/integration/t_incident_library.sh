#!/usr/bin/env bash
# The incident library is complete and well-formed (cheap: no lab is
# made). For every id of the catalogue (tests/incidents.txt, a copy of the
# catalogue's first column):
#   - scenarios/incidents/<id>.yaml exists and is named <id> (scenario: <id>);
#   - it has an `incident:` block with date, provider, class, chain,
#     summary and duration, none of them empty;
#   - its header names the example lab it runs on (--lab labs/X.yaml) and
#     that lab file exists;
# and there is no incident scenario without a catalogue id. The generic
# scenarios of issue 7 exist too, each naming an existing lab. If the
# zonefall binary has a `scenarios` command, its --json listing must name
# every incident id.
source "$(dirname "$0")/lib.sh"

IDS_FILE=$ZF_SRC/tests/incidents.txt
DIR=$ZF_SRC/scenarios/incidents
[ -r "$IDS_FILE" ] || fail "missing $IDS_FILE"
mapfile -t IDS < <(grep -v '^[[:space:]]*\(#\|$\)' "$IDS_FILE")
[ ${#IDS[@]} -ge 16 ] || fail "only ${#IDS[@]} ids in $IDS_FILE (the catalogue has 16)"

# The keys of FILE's top-level `incident:` mapping that have a value on
# their line or a folded/literal block (`key: >-`) below, one a line.
incident_keys() {
  awk '
    /^incident:[[:space:]]*$/ { inside = 1; next }
    inside && /^[^[:space:]#]/ { inside = 0 }
    inside && /^  [a-z_]+:/ {
      key = $1; sub(/:$/, "", key)
      val = $0; sub(/^  [a-z_]+:[[:space:]]*/, "", val)
      if (val ~ /^[>|][-+]?[[:space:]]*$/) { pending = key; next }
      if (val != "" && val != "\"\"" && val != "'"''"'") print key
      next
    }
    inside && pending != "" && /^    [^[:space:]]/ { print pending; pending = "" }
  ' "$1"
}

# The lab files FILE names: with --lab in its header comment, and in its
# top-level `lab:` key (a file or a [list]).
header_labs() {
  {
    sed -n '/^[^#]/q; s/.*--lab \(labs\/[A-Za-z0-9._-]*\.yaml\).*/\1/p' "$1"
    sed -n 's/^lab:[[:space:]]*//p' "$1" | tr -d '[]"' | tr ',' '\n' | sed 's/^[[:space:]]*//; s/[[:space:]]*$//; /^$/d'
  } | sort -u
}

missing=()
for id in "${IDS[@]}"; do
  [ -f "$DIR/$id.yaml" ] || missing+=("$id")
done
[ ${#missing[@]} -eq 0 ] || fail "no scenario for catalogue id(s): ${missing[*]} (want scenarios/incidents/<id>.yaml)"
ok "every one of the ${#IDS[@]} catalogue ids has scenarios/incidents/<id>.yaml"

for id in "${IDS[@]}"; do
  f=$DIR/$id.yaml
  grep -qx "scenario: $id" "$f" || fail "$f: want 'scenario: $id'"
  grep -qE '^class: (power|hardware|software|network)[[:space:]]*(#.*)?$' "$f" ||
    fail "$f: top-level class must be power, hardware, software or network"
  keys=$(incident_keys "$f")
  [ -n "$keys" ] || fail "$f: no 'incident:' block"
  for k in date provider class chain summary duration; do
    grep -qx "$k" <<<"$keys" || fail "$f: the incident block has no (non-empty) '$k'"
  done
  grep -qE '^  chain: .*\(.*\) → \(.*\)' "$f" || fail "$f: chain is not '(cause) → (failure) ...'"
  labs=$(header_labs "$f")
  [ -n "$labs" ] || fail "$f: the header does not name its lab (--lab labs/X.yaml)"
  for l in $labs; do
    [ -f "$ZF_SRC/$l" ] || fail "$f: its header names $l, which does not exist"
  done
  grep -q "zonefall run scenarios/incidents/$id.yaml" "$f" || fail "$f: the header has no command line"
done
ok "each has scenario: <id>, an incident block (date, provider, class, chain, summary, duration), a lab and a command line"

for f in "$DIR"/*.yaml; do
  id=$(basename "$f" .yaml)
  printf '%s\n' "${IDS[@]}" | grep -qx "$id" || fail "$f: '$id' is not a catalogue id in $IDS_FILE"
done
ok "no incident scenario without a catalogue id"

for g in zone-power-loss az-power-interruption cross-zone-connectivity \
         cross-region-connectivity region-isolation dns-empty-answer \
         control-plane-down; do
  f=$ZF_SRC/scenarios/generic/$g.yaml
  [ -f "$f" ] || fail "missing generic scenario $f"
  grep -qx "scenario: $g" "$f" || fail "$f: want 'scenario: $g'"
  labs=$(header_labs "$f")
  [ -n "$labs" ] || fail "$f: the header does not name its lab"
  for l in $labs; do
    [ -f "$ZF_SRC/$l" ] || fail "$f: its header names $l, which does not exist"
  done
done
ok "the generic scenarios exist and name existing labs"

# The library as zonefall lists it, once it has the command.
if [ -x "$ZF_BIN" ] && "$ZF_BIN" scenarios --help >/dev/null 2>&1; then
  out=$("$ZF_BIN" scenarios --json --library "$ZF_SRC/scenarios") || fail "zonefall scenarios --json --library $ZF_SRC/scenarios failed"
  for id in "${IDS[@]}"; do
    grep -q "$id" <<<"$out" || fail "zonefall scenarios --json does not list $id"
  done
  ok "zonefall scenarios --json lists every incident"
fi

