#!/bin/bash
# The killswitch benchmarks, run inside the test VM as root by bench/run.
# Needs ks_bench.ko and ksbench in /root (bench/run copies them there).
#
# Usage: guest.sh [REPS_SMALL REPS_MID ITERATIONS LARGE]
#   REPS_SMALL   repetitions of the quick measurements (default 10)
#   REPS_MID     repetitions of the 100-engagement cycles (default 2)
#   ITERATIONS   system calls in each timed loop (default 100000)
#   LARGE        engagements in the large cycles (default 1000). A smaller
#                number makes a quick trial run.
#   STEPS        the steps to run, comma-separated (default all:
#                mitigate,call,unrelated,apply,memory_cli,profile)
# The large cycles run three times: removed by disengage_all, by ksctl
# disengage --all, and once more around the memory and ksctl steps.
#
# Output, one record a line, every time in nanoseconds:
#   info,KEY,VALUE              the kernel release, CPU count and similar
#   sample,MEASURE,VARIANT,NS   one repetition of one measurement
#   per,TAG,INDEX,NS            the time of the INDEX-th engagement of 1,000
#   memory,KEY,BYTES            the change in memory use for 1,000 engagements
#   skip,MEASURE,VARIANT,REASON a measurement that could not be taken
# Lines starting with # are comments. Exit status 1 if a step failed.
set -euo pipefail

reps_small=${1:-10}
reps_mid=${2:-2}
iterations=${3:-100000}
large=${4:-1000}
steps=${5:-mitigate,call,unrelated,apply,memory_cli,profile}

KS=/sys/kernel/security/killswitch
PGID=__x64_sys_getpgid
export PATH=/root:$PATH

fail() {
	echo "# bench failed: $*"
	exit 1
}

# sample MEASURE VARIANT VALUE: one record. An empty or non-numeric VALUE
# means the timing program failed, and its error is above.
sample() {
	[[ $3 =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "no time for $1 $2"
	echo "sample,$1,$2,$3"
}

ctl() {
	ksbench ctl "$1" >/dev/null
}

engaged_count() {
	grep -c . "$KS/engaged" || true
}

# Check that the ks_bench functions can be engaged: every one is an ftrace
# call site and none is on the kprobe blacklist.
check_targets() {
	local traceable blacklisted
	traceable=$(grep -c '^ksb_fn_[0-9]* \[ks_bench\]' /sys/kernel/tracing/available_filter_functions || true)
	[ "$traceable" -eq 1000 ] ||
		fail "$traceable of 1000 ks_bench functions are in available_filter_functions"
	blacklisted=$(grep -c ' ksb_fn_' /sys/kernel/debug/kprobes/blacklist || true)
	[ "$blacklisted" -eq 0 ] || fail "$blacklisted ks_bench functions are on the kprobe blacklist"
	echo "# all 1000 ks_bench functions are traceable and none is blacklisted"
}

setup() {
	modprobe killswitch || fail "modprobe killswitch"
	insmod /root/ks_bench.ko || fail "insmod ks_bench.ko"
	check_targets
	# Keep the per-engagement log lines (warnings) off the serial console,
	# as on a Debian system booted with "quiet" (console loglevel 4). They
	# still reach the kernel log, which check_kernel_log reads at the end.
	dmesg -n 4
	echo "info,kernel,$(uname -r)"
	echo "info,cpus,$(nproc)"
	echo "info,reps_small,$reps_small"
	echo "info,reps_mid,$reps_mid"
	echo "info,possible_cpus,$(possible_cpus)"
	echo "info,iterations,$iterations"
	echo "info,large,$large"
	echo "info,ftrace_call_sites,$(cut -d" " -f1 /sys/kernel/tracing/dyn_ftrace_total_info)"
}

possible_cpus() {
	local range count=0 first last
	for range in $(tr ',' ' ' </sys/devices/system/cpu/possible); do
		first=${range%-*}
		last=${range#*-}
		count=$((count + last - first + 1))
	done
	echo "$count"
}

# Measurement 1a: from the control write, and from the start of
# "ksctl engage --yes" (preflight included), to the first blocked call. As a
# reference for the kprobe layer's own cost, the four steps of a tracefs
# kprobe event on the same function: add, enable, disable, remove.
bench_mitigate() {
	local rep events=/sys/kernel/tracing/kprobe_events
	local enable=/sys/kernel/tracing/events/kprobes/ksb_ref/enable
	for ((rep = 0; rep < reps_small; rep++)); do
		sample mitigate control_write "$(ksbench mitigate "engage $PGID -EPERM")"
		ctl "disengage $PGID"
		sample mitigate ksctl_engage "$(ksbench mitigate-exec ksctl engage --yes $PGID -EPERM)"
		ctl "disengage $PGID"
		sample single engage "$(ksbench ctl "engage ksb_fn_999 -1")"
		sample single disengage "$(ksbench ctl "disengage ksb_fn_999")"
		sample tracefs add "$(ksbench write $events "p:ksb_ref ksb_fn_999")"
		sample tracefs enable "$(ksbench write $enable 1)"
		sample tracefs disable "$(ksbench write $enable 0)"
		sample tracefs remove "$(ksbench write $events "-:ksb_ref")"
	done
}

# apply_sample COUNT [TAG]: engage ks_bench functions 0 to COUNT-1 and check
# that COUNT are engaged. With TAG, print the time of each engage write.
apply_sample() {
	local count=$1 tag=${2:-} per_file=
	if [ -n "$tag" ]; then
		per_file=/tmp/per.$tag
	fi
	sample apply "$count" "$(ksbench engage 0 "$count" ${per_file:+"$per_file"})"
	[ "$(engaged_count)" -eq "$count" ] || fail "$(engaged_count) engaged after engaging $count"
	if [ -n "$per_file" ]; then
		awk -v tag="$tag" '{ print "per," tag "," $1 "," $2 }' "$per_file"
		rm -f "$per_file"
	fi
}

# remove_sample COUNT METHOD: remove the COUNT engagements one write each
# (each), with one disengage_all write (all) or with ksctl disengage --all
# (ksctl), and check that none is left.
remove_sample() {
	local count=$1 method=$2
	case $method in
	each) sample remove_each "$count" "$(ksbench disengage 0 "$count")" ;;
	all) sample remove_all "$count" "$(ksbench ctl disengage_all)" ;;
	ksctl) sample remove_ksctl "$count" "$(ksbench exec ksctl disengage --all)" ;;
	esac
	[ "$(engaged_count)" -eq 0 ] || fail "$(engaged_count) still engaged after removal by $method"
}

# Measurement 1b: apply 10, 100 and 1,000 and remove them, the removal
# methods interleaved. Removing 1,000 one write each is left out to save
# time, because the cost per write already shows at 10 and 100.
bench_apply() {
	local count reps rep method
	for count in 10 100; do
		reps=$reps_small
		[ "$count" -lt 100 ] || reps=$reps_mid
		for ((rep = 0; rep < reps; rep++)); do
			for method in each all ksctl; do
				apply_sample "$count"
				remove_sample "$count" "$method"
			done
		done
	done
	for method in all ksctl; do
		apply_sample "$large" "$method"
		remove_sample "$large" "$method"
	done
}

# loop_sample MEASURE VARIANT KIND [EXPECT]: one timed loop. EXPECT (ok or
# eperm) checks what every getpgid call returned.
loop_sample() {
	local measure=$1 variant=$2 kind=$3 expect=${4:-} result
	result=$(ksbench loop "$kind" "$iterations" 2>/tmp/loop.err) || fail "loop $kind: $(cat /tmp/loop.err)"
	case $expect in
	ok) grep -q "ok=$iterations eperm=0" /tmp/loop.err || fail "$variant: $(cat /tmp/loop.err)" ;;
	eperm) grep -q "ok=0 eperm=$iterations" /tmp/loop.err || fail "$variant: $(cat /tmp/loop.err)" ;;
	esac
	sample "$measure" "$variant" "$result"
}

# Return success if the module accepts the scope= option. Otherwise set
# scope_reason to the error the control write returned.
scope_supported() {
	local result
	result=$(ks-write "$KS/control" "engage $PGID -EPERM scope=nonroot" 2>/dev/null)
	if [[ $result == ok* ]]; then
		ctl "disengage $PGID"
		return 0
	fi
	scope_reason="the module rejects 'engage $PGID -EPERM scope=nonroot' with $result"
	return 1
}

# Measurements 2 and 3: the cost of a call to an engaged function, blocked,
# and with scope=nonroot let through for root. They are compared with the
# same call unengaged and with a system call that fails at once.
bench_call() {
	local rep scoped=no scope_reason=
	if scope_supported; then
		scoped=yes
	else
		echo "skip,call,scoped_root,$scope_reason"
	fi
	for ((rep = 0; rep < 3 * reps_small; rep++)); do
		loop_sample call floor_badfd badfd
		loop_sample call unengaged getpgid ok
		ctl "engage $PGID -EPERM"
		loop_sample call engaged getpgid eperm
		ctl "disengage $PGID"
		if [ $scoped = yes ]; then
			ctl "engage $PGID -EPERM scope=nonroot"
			loop_sample call scoped_root getpgid ok
			ctl "disengage $PGID"
		fi
	done
}

# unrelated_samples ENGAGED: the workloads, five times each, with ENGAGED
# engagements elsewhere.
unrelated_samples() {
	for _ in 1 2 3 4 5; do
		loop_sample unrelated_getppid "$1" getppid
		loop_sample unrelated_pipe "$1" pipe
	done
}

# Measurement 4: system calls that reach no engaged function, with 0 and
# with 100 engagements elsewhere. Which comes first alternates.
bench_unrelated() {
	local cycle
	for ((cycle = 0; cycle < 2 * reps_mid; cycle++)); do
		if ((cycle % 2)); then
			unrelated_samples 0
		fi
		ksbench engage 0 100 >/dev/null
		unrelated_samples 100
		ctl disengage_all
		if ((cycle % 2 == 0)); then
			unrelated_samples 0
		fi
	done
}

# Print "NAME BYTES" for each slab cache: active objects times object size.
slab_bytes() {
	awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo
}

meminfo_kib() {
	awk -v key="$1:" '$1 == key { print $2 }' /proc/meminfo
}

# cli_samples ENGAGED STATUS_REPS: ksctl check and cat /proc/kallsyms with
# ENGAGED engagements, interleaved, and ksctl status in the first
# STATUS_REPS repetitions. ksctl status reads the whole kprobe list once per
# engagement, which takes close to a minute with 1,000 under TCG.
cli_samples() {
	local rep
	for ((rep = 0; rep < reps_small; rep++)); do
		if ((rep < $2)); then
			sample cli_status "$1" "$(ksbench exec ksctl status)"
		fi
		sample cli_check "$1" "$(ksbench exec ksctl check $PGID -EPERM)"
		sample cli_kallsyms "$1" "$(ksbench exec cat /proc/kallsyms)"
	done
}

# Measurements 5 and 6: slab and percpu memory in use for 1,000
# engagements, and ksctl latency with 0 and 1,000. The 1,000 engagements
# also count as one more apply and disengage_all sample.
bench_memory_cli() {
	local slab0 percpu0 slab1 percpu1
	cli_samples 0 "$reps_small"

	sync
	echo 3 >/proc/sys/vm/drop_caches
	slab_bytes >/tmp/slab.before
	slab0=$(meminfo_kib Slab)
	percpu0=$(meminfo_kib Percpu)
	apply_sample "$large" memory
	slab_bytes >/tmp/slab.after
	slab1=$(meminfo_kib Slab)
	percpu1=$(meminfo_kib Percpu)
	echo "memory,meminfo_slab,$(((slab1 - slab0) * 1024))"
	echo "memory,meminfo_percpu,$(((percpu1 - percpu0) * 1024))"
	awk 'NR == FNR { before[$1] = $2; next }
		{ delta = $2 - before[$1]; if (delta != 0) print "memory,slab:" $1 "," delta }' \
		/tmp/slab.before /tmp/slab.after

	cli_samples "$large" 1
	remove_sample "$large" all
}

# Print "profile,FUNCTION,CALLS,TOTAL_US" for each function in a
# function_graph trace with the funcgraph-tail option: a leaf call shows as
# "name();" and a call with traced children closes with "} /* name */", each
# with its duration. A module's functions carry " [module]" after the name.
# Durations include time spent asleep (the sleep-time option is on by
# default).
sum_graph_trace() {
	awk '/ us / && /\|/ {
		if (!match($0, /[0-9]+(\.[0-9]+)? us/))
			next
		duration = substr($0, RSTART, RLENGTH - 3)
		name = ""
		if (match($0, /\} \/\* [A-Za-z0-9_.]+/))
			name = substr($0, RSTART + 5, RLENGTH - 5)
		else if (match($0, /[A-Za-z0-9_.]+( \[[A-Za-z0-9_]+\])?\(\);/))
			name = substr($0, RSTART, RLENGTH - 3)
		sub(/ .*/, "", name)
		if (name != "") {
			calls[name]++
			total[name] += duration
		}
	}
	END { for (name in calls) printf "profile,%s,%d,%.1f\n", name, calls[name], total[name] }' "$1"
}

# Where the time of engage and disengage goes: the function_graph tracer
# times the module's steps and the kprobe and RCU calls under them while 100
# functions are engaged, 50 disengaged one write each, and 50 by
# disengage_all. Functions the module does not have are left out.
bench_profile() {
	local tracing=/sys/kernel/tracing fn
	if ! grep -qw function_graph $tracing/available_tracers; then
		echo "skip,profile,all,the kernel has no function_graph tracer"
		return
	fi
	: >$tracing/set_ftrace_filter
	for fn in ks_engage ks_arm 'ks_check_unshared*' ks_fs_add_function ks_log_change \
		ks_disengage ks_disengage_all ks_fs_remove_function \
		register_kprobe unregister_kprobe unregister_kprobes synchronize_rcu; do
		echo "$fn" >>$tracing/set_ftrace_filter 2>/dev/null ||
			echo "# profile: $fn cannot be traced, left out"
	done
	# The function_graph options exist only while that tracer is current.
	echo function_graph >$tracing/current_tracer
	echo 1 >$tracing/options/funcgraph-tail
	: >$tracing/trace
	ksbench engage 0 100 >/dev/null
	ksbench disengage 0 50 >/dev/null
	ctl disengage_all
	echo 0 >$tracing/tracing_on
	sum_graph_trace $tracing/trace
	echo nop >$tracing/current_tracer
	echo 1 >$tracing/tracing_on
	: >$tracing/set_ftrace_filter
}

# Fail on a kernel warning, oops or lockdep report, which the quiet console
# kept out of the console log that the harness scans.
check_kernel_log() {
	local errors
	errors=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection|possible recursive locking|circular locking' || true)
	if [ -n "$errors" ]; then
		printf '%s\n' "$errors" | sed 's/^/# kernel: /'
		fail "the kernel log shows errors (lines above)"
	fi
}

main() {
	local started=$SECONDS step
	setup
	for step in ${steps//,/ }; do
		echo "# $step: starting at $((SECONDS - started)) s"
		case $step in
		mitigate | call | unrelated | apply | memory_cli | profile) "bench_$step" ;;
		*) fail "unknown step '$step': use mitigate, call, unrelated, apply, memory_cli or profile" ;;
		esac
	done
	check_kernel_log
	echo "# bench done in $((SECONDS - started)) s"
}

main
