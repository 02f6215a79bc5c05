#!/bin/bash
# Observe mode, tryengage and interrupt-context counting, run inside the
# test VM as root. An observed af_alg_sendmsg never blocks, counts every
# call and lists its caller. tryengage commits when nothing calls the
# function during its window and aborts with a log line when something
# does. The window's work is cancelled by disengage, disengage_all, the
# unload of the function's module and rmmod killswitch. icmp_rcv, which
# loopback ping reaches in softirq context, shows the irq counter. The
# harness fails the run on any kernel warning.
. /root/tap.sh

KS=/sys/kernel/security/killswitch
TARGET=af_alg_sendmsg
ICMP=icmp_rcv

ctl() {
	ks-write "$KS/control" "$1"
}

engaged() {
	cat "$KS/engaged"
}

fn() {
	cat "$KS/fn/$TARGET/$1"
}

# mark_log: write a numbered mark to the kernel log, so that
# kernel_log_since_mark shows only what came after the latest one.
MARK=0
mark_log() {
	MARK=$((MARK + 1))
	echo "killswitch-test-mark-$MARK" >/dev/kmsg
}

kernel_log_since_mark() {
	dmesg | sed -n "/killswitch-test-mark-$MARK\$/,\$p"
}

AFALG="gcm sendmsg --no-decrypt --quiet"

# afalg_result [ARGS...]: the result line of one ks-afalg run as root.
afalg_result() {
	ks-afalg $AFALG "$@" 2>&1 | tail -n 1
}

# wait_for_state SYMBOL STATE SECONDS: poll fn/SYMBOL/state; a missing
# engagement reads as "gone".
wait_for_state() {
	local i state
	for ((i = 0; i < $3 * 10; i++)); do
		state=$(cat "$KS/fn/$1/state" 2>/dev/null || echo gone)
		[ "$state" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

ok "modprobe killswitch" modprobe killswitch
ok "modprobe algif_aead" modprobe algif_aead

# Observe mode: every call runs and is counted, callers lists the call site.
like "$(ctl "engage $TARGET -EPERM mode=observe")" "^ok [0-9]+$" "engage in observe mode"
is "$(fn state)" observing "fn state reads observing"
is "$(engaged)" "$TARGET retval=-1 hits=0 state=observing mode=observe" "engaged line shows mode=observe"
is "$(fn callers)" "" "callers is empty before any call"
is "$(stat -c %a "$KS/fn/$TARGET/callers")" 400 "fn callers mode is 0400"
is "$(afalg_result --count 4)" "result: ciphertext ok" "root's 4 calls all run"
is "$(su nobody -s /bin/sh -c "ks-afalg $AFALG --count 3" 2>&1 | tail -n 1)" "result: ciphertext ok" \
	"nobody's 3 calls all run"
is "$(fn hits)" 7 "hits counts every observed call"
is "$(fn passed)" 0 "passed stays 0 without a scope"
is "$(fn last_blocked)" none "observe mode blocks nothing"
callers=$(fn callers)
diag "callers: $callers"
is "$(printf '%s\n' "$callers" | wc -l)" 1 "callers lists one call site"
like "$callers" "^(__)?sock_sendmsg\+0x[0-9a-f]+/0x[0-9a-f]+ calls=7 pid=[0-9]+ comm=ks-afalg uid=65534$" \
	"callers names sock_sendmsg with the count and the latest task"
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage the observed function"

# Observe mode with a scope counts would-be blocks in hits and the rest in
# passed, and still never blocks.
like "$(ctl "engage $TARGET -EPERM mode=observe scope=nonroot")" "^ok [0-9]+$" "engage in observe mode with a scope"
is "$(afalg_result --count 2)" "result: ciphertext ok" "root's calls run"
is "$(su nobody -s /bin/sh -c "ks-afalg $AFALG" 2>&1 | tail -n 1)" "result: ciphertext ok" "nobody's call runs"
is "$(fn hits) $(fn passed)" "1 2" "hits counts nobody's call and passed root's"
like "$(fn callers)" "comm=ks-afalg uid=65534$" "callers lists only the call the scope would block"
is "$(engaged)" "$TARGET retval=-1 hits=1 state=observing mode=observe scope=nonroot passed=2 irq=0" \
	"engaged line shows mode, scope and counters"
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage the scoped observation"

# tryengage with no call in the window commits to enforcing.
mark_log
like "$(ctl "tryengage $TARGET -EPERM 3")" "^ok [0-9]+$" "tryengage for 3 seconds"
is "$(fn state)" probing "fn state reads probing"
is "$(engaged)" "$TARGET retval=-1 hits=0 state=probing" "engaged line shows state=probing"
like "$(fn timeout_left)" "^[1-3]$" "timeout_left is at most 3"
ok "the window ends with engaged" wait_for_state "$TARGET" engaged 10
is "$(fn timeout_left)" 0 "timeout_left is 0 once committed"
like "$(kernel_log_since_mark)" "killswitch: tryengage $TARGET committed: no calls in 3 seconds, so it is engaged now" \
	"the commit is logged"
like "$(afalg_result)" "result: system call failed" "the committed engagement blocks"
is "$(fn hits)" 1 "hits counts the blocked call"
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage the committed engagement"

# tryengage with a call in the window aborts and logs the count and caller.
mark_log
like "$(ctl "tryengage $TARGET -EPERM 3 scope=nonroot")" "^ok [0-9]+$" "tryengage with a scope"
is "$(su nobody -s /bin/sh -c "ks-afalg $AFALG --count 2" 2>&1 | tail -n 1)" "result: ciphertext ok" \
	"calls during the window run"
is "$(afalg_result)" "result: ciphertext ok" "root's call runs too"
is "$(fn hits) $(fn passed)" "2 1" "the window counts nobody's calls in hits"
like "$(fn callers)" "^(__)?sock_sendmsg\+0x[0-9a-f]+/0x[0-9a-f]+ calls=2 pid=[0-9]+ comm=ks-afalg uid=65534$" \
	"callers lists the caller while probing"
ok "the window ends with the engagement gone" wait_for_state "$TARGET" gone 10
is "$(engaged)" "" "nothing is engaged after the abort"
like "$(kernel_log_since_mark)" "killswitch: tryengage $TARGET aborted: 2 calls in 3 seconds, so it is disengaged" \
	"the abort is logged with the call count"
like "$(kernel_log_since_mark)" "killswitch: $TARGET caller (__)?sock_sendmsg\+0x[0-9a-f]+/0x[0-9a-f]+ calls=2 pid=[0-9]+ comm=ks-afalg uid=65534" \
	"the abort logs the caller"
is "$(afalg_result)" "result: ciphertext ok" "the function works after the abort"

# timeout_left counts down, and each way of ending the engagement cancels
# the window's work: a late work would touch freed memory or find nothing.
mark_log
like "$(ctl "tryengage $TARGET -EPERM 30")" "^ok [0-9]+$" "tryengage for 30 seconds"
first=$(fn timeout_left)
sleep 3
second=$(fn timeout_left)
diag "timeout_left: $first, then $second"
ok "timeout_left starts at 29 or 30" test "$first" -ge 29 -a "$first" -le 30
ok "timeout_left dropped by 2 to 4 after 3 seconds" test $((first - second)) -ge 2 -a $((first - second)) -le 4
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage while probing"

like "$(ctl "tryengage $TARGET -EPERM 2")" "^ok [0-9]+$" "tryengage for 2 seconds"
like "$(ctl "disengage_all")" "^ok [0-9]+$" "disengage_all while probing"
like "$(ctl "tryengage $TARGET -EPERM 2")" "^ok [0-9]+$" "tryengage again for 2 seconds"
rmmod algif_aead && rmmod af_alg
ok "af_alg unloaded while probing" bash -c '! grep -q "^af_alg " /proc/modules'
like "$(kernel_log_since_mark)" "mitigation lost: module af_alg is unloading, so $TARGET" \
	"the unload ends the probing engagement"
is "$(engaged)" "" "nothing is engaged after the unload"
sleep 3
log=$(kernel_log_since_mark)
ok "no window end was logged after the cancellations" \
	bash -c "! grep -q 'tryengage $TARGET \(committed\|aborted\)' <<<\"\$1\"" _ "$log"

# rmmod killswitch during a window.
ok "modprobe algif_aead again" modprobe algif_aead
like "$(ctl "tryengage $TARGET -EPERM 2")" "^ok [0-9]+$" "tryengage before rmmod"
like "$(ctl "tryengage __x64_sys_getsid -EPERM 1")" "^ok [0-9]+$" "a second tryengage that commits first"
ok "the second window commits" wait_for_state __x64_sys_getsid engaged 10
ok "rmmod killswitch while probing" rmmod killswitch
sleep 3
ok "modprobe killswitch again" modprobe killswitch

# Interrupt context: loopback ping reaches icmp_rcv in softirq context, for
# the echo request and for the reply.
ip link set lo up 2>/dev/null || ifconfig lo up
like "$(ctl "engage $ICMP 0 mode=observe")" "^ok [0-9]+$" "observe icmp_rcv"
ok "ping over loopback works while observed" ping -c 3 -W 2 127.0.0.1
is "$(cat "$KS/fn/$ICMP/hits")" 6 "hits counts requests and replies"
is "$(cat "$KS/fn/$ICMP/irq")" 6 "irq counts every call, all in softirq context"
like "$(cat "$KS/fn/$ICMP/callers")" "comm=\[irq\] uid=0" "callers shows the softirq caller as [irq]"
like "$(ctl "disengage $ICMP")" "^ok [0-9]+$" "disengage icmp_rcv"

like "$(ctl "engage $ICMP 0 scope=nonroot irq=pass")" "^ok [0-9]+$" "engage icmp_rcv with irq=pass"
is "$(engaged)" "$ICMP retval=0 hits=0 state=armed scope=nonroot irq=pass passed=0 irq=0" \
	"engaged line shows irq=pass"
ok "ping works with irq=pass" ping -c 2 -W 2 127.0.0.1
is "$(cat "$KS/fn/$ICMP/passed")" 4 "passed counts the softirq calls"
is "$(cat "$KS/fn/$ICMP/irq")" 4 "irq counts them too"
is "$(cat "$KS/fn/$ICMP/hits")" 0 "nothing is blocked"
like "$(ctl "disengage $ICMP")" "^ok [0-9]+$" "disengage icmp_rcv again"

is "$(engaged)" "" "nothing is engaged at the end"
ok "rmmod killswitch" rmmod killswitch

tap_done
