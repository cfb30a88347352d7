# drill_lab.sh - a small lab for the drill tests (sourced): a web server
# (nginx) in zone r1/a, a spare host in r1/b, users in client user1.
write_drill_lab() { # write_drill_lab NAME FILE
  cat >"$2" <<YAML
lab: $1
regions:
  r1: { zones: [a, b] }
clients: [user1]
hosts:
  srv:
    zone: r1/a
    services:
      nginx: { run: "nginx -p {data} -c $ZF_SRC/labs/demo/web.conf -g 'daemon off;'", restart: always, ready: { tcp: 80 } }
  spare: { zone: r1/b }
YAML
}
