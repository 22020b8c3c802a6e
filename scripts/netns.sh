#!/bin/sh
# Runs a command inside the private network namespace created by `unshare -n`, with a veth
# pair and a default route so WebRTC gathers host candidates (a namespace with only loopback
# gathers none), while no ICE, STUN or mDNS packet can leave the machine.
#
#   unshare -n sh scripts/netns.sh npx vitest run test/unit/sync
#
# Exports PN_NETNS=1: WebRTC tests skip unless it is set.
set -eu
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.213.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add default dev v0 # required, or no candidates are gathered
export PN_NETNS=1
exec "$@"
