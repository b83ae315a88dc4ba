# Shared by bench/run, bench/nodes and bench/profile (sourced from the repository root): ghz, free ports,
# and paycore servers on fresh databases, stopped and removed on exit.
#
# Before sourcing, set `profile` (debug | release). BACKEND=postgres needs TEST_POSTGRES_URL
# (scripts/with-postgres sets it).

GHZ_VERSION=v0.120.0
ghz=.tools/go/bin/ghz
target_dir=${CARGO_TARGET_DIR:-target}
paycore="$target_dir/$profile/paycore"

if [ ! -x "$ghz" ]; then
  GOBIN="$PWD/.tools/go/bin" go install "github.com/bojand/ghz/cmd/ghz@$GHZ_VERSION"
fi

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# CPU ticks (user and system, all threads) process PID has used.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks PostgreSQL has used (0 on SQLite, which runs inside paycore): the postmaster's,
# those of its children still running, and those of its children that ended (counted in
# the postmaster's own once it has reaped them). `-` for a PostgreSQL whose data directory
# is not known here (TEST_POSTGRES_DATA, which scripts/with-postgres sets).
database_ticks() {
  if [ "${BACKEND:-sqlite}" != postgres ]; then echo 0; return; fi
  if [ -z "${TEST_POSTGRES_DATA:-}" ]; then echo -; return; fi
  local postmaster
  postmaster=$(head -n 1 "$TEST_POSTGRES_DATA/postmaster.pid")
  {
    awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat"
    for child in $(pgrep -P "$postmaster"); do ticks "$child" 2>/dev/null || true; done
  } | awk '{ s += $1 } END { print s }'
}
# The machine's CPU ticks, all cores: in total, and idle (idle and I/O wait).
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $5 + $6}' /proc/stat; }

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_port() { # port
  for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return
    sleep 0.1
  done
  echo "bench: nothing listens on port $1" >&2
  return 1
}

# start_paycore NAME [TOML]: a paycore on a fresh database NAME with one merchant, no merchant
# quota and no webhooks, plus the TOML given. Sets NAME_target (host:port), NAME_auth (ghz
# metadata), NAME_http (its HTTP port's host:port), NAME_pid and NAME_db (the database URL).
start_paycore() {
  local name=$1 extra=${2:-} db grpc http key
  if [ "${BACKEND:-sqlite}" = postgres ]; then
    psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE paycore_$name"
    db="${TEST_POSTGRES_URL%/*}/paycore_$name"
  else
    db="sqlite://$work/$name.db"
  fi
  grpc=$(port)
  http=$(port)
  printf '[limits]\nmerchant = { per_second = 1000000, burst = 1000000 }\n[webhooks]\nenabled = false\n%s\n' \
    "$extra" > "$work/$name.toml"
  export PAYCORE_DATABASE_URL=$db PAYCORE_GRPC_ADDR="127.0.0.1:$grpc" PAYCORE_HTTP_ADDR="127.0.0.1:$http" \
    PAYCORE_LOG=warn
  key=$("$paycore" --config "$work/$name.toml" merchant create --name bench |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["api_key"])')
  "$paycore" --config "$work/$name.toml" serve &
  pids+=($!)
  printf -v "${name}_pid" %s $!
  printf -v "${name}_target" %s "127.0.0.1:$grpc"
  printf -v "${name}_http" %s "127.0.0.1:$http"
  printf -v "${name}_auth" %s "{\"authorization\":\"Bearer $key\"}"
  printf -v "${name}_key" %s "$key"
  printf -v "${name}_db" %s "$db"
  printf -v "${name}_transport" %s "--insecure"
  wait_port "$grpc"
}

# tls_pki: a CA and a certificate for localhost and 127.0.0.1 from it, in $work/tls-*, valid
# for a day; prints the [server.tls] table that serves it.
tls_pki() {
  local d=$work/tls
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
    -subj "/CN=paycore bench CA" -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$d/san.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 1 -extfile "$d/san.ext" -out "$d/server.crt" 2>/dev/null
  printf '[server.tls]\ncert_file = "%s"\nkey_file = "%s"\n' "$d/server.crt" "$d/server.key"
}

# rows NAME SQL: the first column of every row SQL answers on NAME's database, one a line.
rows() {
  local db_var="${1}_db"
  local db=${!db_var}
  if [ "${BACKEND:-sqlite}" = postgres ]; then
    psql "$db" -tAc "$2"
  else
    python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(row[0])' \
      "${db#sqlite://}" "$2"
  fi
}

# count NAME SQL: the single number SQL answers on NAME's database.
count() {
  rows "$@" | head -n 1
}

# A CreatePayment body the sandbox pays at once: merchant_order_id template, amount.
pay() {
  echo "{\"merchant_order_id\":\"$1\",\"amount\":{\"amount_minor\":$2,\"currency\":\"CNY\"},\"method\":\"PAYMENT_METHOD_QR_CODE\",\"metadata\":{\"sandbox_outcome\":\"succeed\"}}"
}

# durable_commits: single-row transactions one writer commits per second for 3 s, on the
# database the bench uses (SQLite in WAL with synchronous=FULL, as paycore opens it; or
# PostgreSQL with its default durability): what the disk allows one write path.
durable_commits() {
  if [ "${BACKEND:-sqlite}" = postgres ]; then
    psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE paycore_commits"
    local db="${TEST_POSTGRES_URL%/*}/paycore_commits"
    psql "$db" -qc "CREATE TABLE t (v text)"
    echo "INSERT INTO t VALUES ('x');" > "$work/commit.sql"
    "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pgbench" -n -c 1 -T 3 \
      -f "$work/commit.sql" "$db" 2> /dev/null | awk '/^tps = / {printf "%d\n", $3}'
  else
    python3 - "$work/commits.db" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE t (v TEXT)")
n, start = 0, time.monotonic()
while time.monotonic() - start < 3:
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO t VALUES ('x')")
    db.execute("COMMIT")
    n += 1
print(int(n / (time.monotonic() - start)))
PY
  fi
}
