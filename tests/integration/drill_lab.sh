# drill_lab.sh - a small lab for the drill tests (sourced): a web server
# (nginx) in zone r1/a, a spare host in r1/b, users in client user1.
# The nginx config is copied next to the lab file ({lab}): a host sees the
# lab's directory and its own data, not the rest of the machine's /tmp.
write_drill_lab() { # write_drill_lab NAME FILE
  cp "$ZF_SRC/labs/demo/web.conf" "$(dirname "$2")/web.conf"
  cat >"$2" <<YAML
lab: $1
regions:
  r1: { zones: [a, b] }
clients: [user1]
hosts:
  srv:
    zone: r1/a
    services:
      nginx: { run: "nginx -p {data} -c {lab}/web.conf -g 'daemon off;'", restart: always, ready: { tcp: 80 } }
  spare: { zone: r1/b }
YAML
}
