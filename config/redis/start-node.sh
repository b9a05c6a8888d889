#!/bin/sh
# Start one Redis data node of a Sentinel deployment (run it from the process supervisor: systemd, runit...).
#
# A node restarted after a crash must not come back as a writable primary: the Sentinels have promoted
# another node meanwhile. So before starting, ask the Sentinels who the primary is; if it is another node,
# start as its replica. (node.conf's min-replicas-to-write already stops a stale primary accepting writes;
# this removes the seconds until the Sentinels demote it.)
#
#   start-node.sh NODE_CONF MY_HOST MY_PORT "SENTINEL_HOST:PORT ..." [MASTER_NAME]
set -eu
conf=$1 me_host=$2 me_port=$3 sentinels=$4 master=${5:-moderation}
replicaof=""
for s in $sentinels; do
    answer=$(redis-cli -h "${s%:*}" -p "${s#*:}" --raw SENTINEL get-master-addr-by-name "$master" 2>/dev/null) || continue
    host=$(echo "$answer" | sed -n 1p) port=$(echo "$answer" | sed -n 2p)
    [ -n "$host" ] || continue
    if [ "$host:$port" != "$me_host:$me_port" ]; then replicaof="--replicaof $host $port"; fi
    break
done
# shellcheck disable=SC2086
exec redis-server "$conf" --port "$me_port" $replicaof
