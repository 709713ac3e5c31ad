#!/usr/bin/env bash
# Runs the docker-compose topology as plain processes on loopback — nginx in front of two recommender
# replicas, the sampler and the captioner — and checks what the stack promises:
#   1. the pipeline runs through it and searches through nginx find the right photo;
#   2. a new model built while searches are running is picked up by both replicas with no failed search;
#   3. with one replica killed, searches through nginx still succeed.
# Needs nginx (apt-get install nginx-light); builds the executables first unless IMGREC_BIN names a folder that
# holds them. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx-light >/dev/null
fi
if [ -z "${IMGREC_BIN:-}" ]; then
    swift build
fi
bin=${IMGREC_BIN:-$(swift build --show-bin-path)}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "topology: FAIL: $*" >&2; exit 1; }

base=${IMGREC_TOPOLOGY_BASE_PORT:-18080}
front=$base sampler=$((base + 1)) captioner=$((base + 2)) replica1=$((base + 3)) replica2=$((base + 4))
photos=$(cd demo/images && pwd)

"$bin/sampler" --port "$sampler" --roots "$photos" --database "$work/sampler.sqlite" 2>>"$work/log" &
pids+=($!)
"$bin/captioner" --port "$captioner" --db "$work/captioner.sqlite" 2>>"$work/log" &
pids+=($!)
for port in "$replica1" "$replica2"; do
    "$bin/recommender" --port "$port" --model "$work/model.imgrec" --no-embeddings \
        --image-base-url "http://127.0.0.1:$front" --watch-interval 0.5 2>>"$work/log" &
    pids+=($!)
done

# The compose nginx.conf with the service names replaced by the loopback addresses.
sed -e "s|server recommender:8083 |server 127.0.0.1:$replica1 |" \
    -e "s|^\( *\)keepalive 32;|\1server 127.0.0.1:$replica2 max_fails=2 fail_timeout=5s;\n\1keepalive 32;|" \
    -e "s|server sampler:8081;|server 127.0.0.1:$sampler;|" \
    -e "s|listen 8080;|listen 127.0.0.1:$front;|" \
    -e "s|pid /var/run/nginx.pid;|pid $work/nginx.pid; error_log $work/nginx.log;|" \
    docker/nginx.conf >"$work/nginx.conf"
sed -i "s|^http {|http {\n    client_body_temp_path $work; proxy_temp_path $work;|" "$work/nginx.conf"
nginx -t -q -c "$work/nginx.conf" -p "$work" || fail "nginx rejects the configuration"
nginx -c "$work/nginx.conf" -p "$work"

for port in "$sampler" "$captioner" "$replica1" "$replica2" "$front"; do
    for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
done

pipeline() {
    "$bin/imgrec" pipeline --sampler "http://127.0.0.1:$sampler" --captioner "http://127.0.0.1:$captioner" \
        --recommender "http://127.0.0.1:$front" --dataset "$photos" --include-unknown --count "$1" --seed "$2" \
        --methods tfidf >/dev/null
}
model_sha() { curl -fs "http://127.0.0.1:$1/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("model_sha256",""))'; }
wait_for_both() {
    for _ in $(seq 100); do
        [ "$(model_sha "$replica1")" = "$1" ] && [ "$(model_sha "$replica2")" = "$1" ] && return 0
        sleep 0.1
    done
    fail "the replicas did not both pick up model $1"
}

pipeline 100 42
first=$(model_sha "$replica1")
wait_for_both "$first"
top=$(curl -fs "http://127.0.0.1:$front/v1/search?q=two+dogs+looking+out+of+a+wooden+hut&k=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["file"])')
[ "$top" = "real_noexif_08.jpg" ] || fail "search through nginx found $top"
curl -fs "http://127.0.0.1:$front/v1/images/$(curl -fs "http://127.0.0.1:$front/v1/search?q=stonehenge&k=1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')" -o "$work/image" \
    || fail "the image URL does not serve through nginx"
echo "topology: pipeline through nginx ok, both replicas on model ${first:0:12}"

# Searches in a loop while a different model is built and swapped in.
(
    failures=0
    for i in $(seq 400); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$front/v1/search?q=stones+$i&k=3")
        [ "$code" = 200 ] || failures=$((failures + 1))
    done
    echo "$failures" >"$work/failures"
) &
searcher=$!
pipeline 20 7
# The replica nginx sent the build to swaps at once, the other when its watcher sees the file: take the new
# model from whichever has it.
second=$first
for _ in $(seq 100); do
    for replica in "$replica1" "$replica2"; do
        sha=$(model_sha "$replica" || true)  # a replica swapping its model may not answer this once
        [ -n "$sha" ] && [ "$sha" != "$first" ] && second=$sha
    done
    [ "$second" != "$first" ] && break
    sleep 0.1
done
[ "$second" != "$first" ] || fail "neither replica has a new model after the rebuild"
wait_for_both "$second"
wait "$searcher"
[ "$(cat "$work/failures")" = 0 ] || fail "$(cat "$work/failures") of 400 searches failed during the swap"
echo "topology: new model ${second:0:12} on both replicas, 0 of 400 searches failed during the swap"

kill "${pids[2]}"
failures=0
for i in $(seq 50); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$front/v1/search?q=stones+$i&k=3")
    [ "$code" = 200 ] || failures=$((failures + 1))
done
[ "$failures" = 0 ] || fail "$failures of 50 searches failed with one replica down"
echo "topology: one replica down, 0 of 50 searches failed"
echo "topology: all checks passed"
