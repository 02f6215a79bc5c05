#!/bin/bash
# Bad input to the control and fn/<symbol>/retval files, run inside the test
# VM as root: at least 10,000 generated writes (overlong lines, embedded
# NULs, writes at odd offsets, huge and malformed numbers, unknown verbs and
# options, non-UTF-8 and random bytes, mixed with valid commands), from one
# root writer, from four concurrent root writers and from nobody. ks-badwrite
# predicts every answer and checks that the final engagement state equals
# what the accepted writes alone give. The harness fails the run on any
# kernel warning.
. /root/tap.sh

KS=/sys/kernel/security/killswitch
SEED=${1:-$(date +%s)}

# System calls that nothing in the VM makes while the suite runs, so any
# return value is harmless.
symbols=()
for name in getpgid getsid times sysinfo getpriority sched_get_priority_max \
	sched_get_priority_min sched_rr_get_interval; do
	if grep -q " __x64_sys_$name\$" /proc/kallsyms; then
		symbols+=("__x64_sys_$name")
	fi
done
diag "seed $SEED; symbols: ${symbols[*]}"
is "${#symbols[@]}" 8 "all eight target symbols exist"

ok "modprobe killswitch" modprobe killswitch

total=0
# run_badwrite DESC ARGS...: one ks-badwrite run as a test, its writes counted.
run_badwrite() {
	local desc=$1 output status
	shift
	output=$(ks-badwrite --seed "$SEED" "$@" "${symbols[@]}")
	status=$?
	printf '%s\n' "$output" | sed 's/^/# /'
	is "$status" 0 "$desc"
	for count in $(printf '%s\n' "$output" | sed -n 's/^writer [0-9]*: writes=\([0-9]*\).*/\1/p'); do
		total=$((total + count))
	done
}

run_badwrite "5000 writes from one root writer match the model" --writes 5000
run_badwrite "4 concurrent root writers, 1000 writes each, match the model" --writes 1000 --writers 4
run_badwrite "1000 writes from nobody are all refused" --writes 1000 --as-nobody

diag "bad-input writes sent: $total"
ok "at least 10,000 writes were sent" test "$total" -ge 10000

echo disengage_all >"$KS/control"
is "$(cat "$KS/engaged")" "" "disengage_all clears the state afterwards"
ok "rmmod killswitch" rmmod killswitch

tap_done
