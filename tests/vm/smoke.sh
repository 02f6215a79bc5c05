#!/bin/bash
# Check, inside the test VM, that the environment tests/vm/run sets up is the
# one the other VM tests rely on. Prints TAP.
#
# Usage (on the host):
#   tests/vm/run tests/vm/smoke.sh
# or, to also check --copy and the passing of arguments:
#   printf '%s\0' ARGS... >DIR/smoke-expected-args
#   tests/vm/run --copy DIR/smoke-expected-args tests/vm/smoke.sh ARGS...
# The second form checks that the script's arguments equal the NUL-separated
# list in /root/smoke-expected-args. tests/vm/lib/test-harness runs it so.
set -u

count=0
failures=0

ok() {
	count=$((count + 1))
	echo "ok $count - $1"
}

not_ok() {
	count=$((count + 1))
	failures=$((failures + 1))
	echo "not ok $count - $1"
}

# Run a command and report one TAP line named NAME for its exit status.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
	fi
}

is_mounted() {
	local type=$1 target=$2
	awk -v type="$type" -v target="$target" \
		'$2 == target && $3 == type { found = 1 } END { exit !found }' /proc/mounts
}

runs_as_root() {
	[ "$(id -u)" = 0 ]
}

loopback_is_up() {
	ip link show lo | grep -q 'state UNKNOWN\|UP'
}

# busybox in Debian 12 has neither chpst nor setuidgid, and its setpriv
# cannot change ids, so su is the tool that switches users in the VM.
nobody_has_uid_65534() {
	local uid
	uid=$(su -s /bin/sh nobody -c 'id -u') || return 1
	echo "# su nobody: id -u printed '$uid'"
	[ "$uid" = 65534 ]
}

modprobe_is_kmod() {
	local target
	target=$(readlink -f /sbin/modprobe)
	echo "# /sbin/modprobe -> $target"
	[ "$target" = /usr/bin/kmod ] && modprobe --version | grep -q kmod
}

killswitch_is_not_loaded() {
	! grep -q '^killswitch ' /proc/modules
}

killswitch_loads() {
	modprobe killswitch && [ -e /sys/kernel/security/killswitch/control ]
}

killswitch_unloads() {
	rmmod killswitch && killswitch_is_not_loaded
}

af_alg_loads() {
	modprobe af_alg && lsmod | grep -q '^af_alg '
}

# Only a few modules from drivers/ are in the VM. veth is one of them.
veth_loads() {
	modprobe veth && lsmod | grep -q '^veth '
}

# Compare the script's arguments with the expected ones that the caller
# copied into /root.
args_arrive_intact() {
	local expected=/root/smoke-expected-args
	local -a want
	mapfile -d '' -t want <"$expected"
	echo "# received $# arguments, expected ${#want[@]}"
	[ "$#" -eq "${#want[@]}" ] || return 1
	local i=0 arg
	for arg in "$@"; do
		if [ "$arg" != "${want[$i]}" ]; then
			echo "# argument $i: got '$arg', expected '${want[$i]}'"
			return 1
		fi
		i=$((i + 1))
	done
}

echo "1..16"
check "runs as root" runs_as_root
check "securityfs mounted" is_mounted securityfs /sys/kernel/security
check "debugfs mounted" is_mounted debugfs /sys/kernel/debug
check "tracefs mounted" is_mounted tracefs /sys/kernel/tracing
check "tmp is tmpfs" is_mounted tmpfs /tmp
check "hostname is killswitch-vm" test "$(hostname)" = killswitch-vm
check "loopback interface is up" loopback_is_up
check "nobody has uid 65534" nobody_has_uid_65534
check "modprobe is kmod" modprobe_is_kmod
check "killswitch not loaded at boot" killswitch_is_not_loaded
check "modprobe killswitch creates control" killswitch_loads
check "rmmod killswitch" killswitch_unloads
check "modprobe af_alg" af_alg_loads
check "modprobe veth" veth_loads
if [ -f /root/smoke-expected-args ]; then
	ok "copied file in /root"
	check "arguments arrive intact" args_arrive_intact "$@"
else
	ok "copied file in /root # SKIP no --copy of smoke-expected-args"
	ok "arguments arrive intact # SKIP no --copy of smoke-expected-args"
fi

[ "$failures" -eq 0 ]
