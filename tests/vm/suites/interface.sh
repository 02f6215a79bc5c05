#!/bin/bash
# The securityfs interface of killswitch.ko, run inside the test VM as root:
# files and modes, formats, every error, all-or-nothing rejection, live
# retval changes, exact hit counts, the engage= module parameter, the unload
# of a module that holds an engaged function, and rmmod with engagements.
#
# Targets are the getpgid and getsid system calls: ks-call makes them a known
# number of times, and nothing else in the VM calls them.
. /root/tap.sh

KS=/sys/kernel/security/killswitch
PGID=__x64_sys_getpgid
SID=__x64_sys_getsid

# ctl COMMAND: one write to the control file; prints "ok N" or "errno=NAME".
ctl() {
	ks-write "$KS/control" "$1"
}

# as_nobody COMMAND...: run COMMAND as the unprivileged user nobody.
as_nobody() {
	su nobody -s /bin/sh -c "$(printf '%q ' "$@")"
}

engaged() {
	cat "$KS/engaged"
}

kernel_log_since_mark() {
	dmesg | sed -n '/killswitch-test-mark/,$p'
}

mark_log() {
	echo "killswitch-test-mark" >/dev/kmsg
}

ok "modprobe killswitch loads the module" modprobe killswitch
ok "control file exists" test -e "$KS/control"

is "$(stat -c %a "$KS/control")" 200 "control mode is 0200"
is "$(stat -c %a "$KS/engaged")" 444 "engaged mode is 0444"
is "$(stat -c %a "$KS/taint")" 444 "taint mode is 0444"
ok "fn directory exists" test -d "$KS/fn"
is "$(engaged)" "" "engaged is empty after load"
is "$(cat "$KS/taint")" 0 "taint is 0 before any engagement"

# A first engagement, with an errno name as the return value.
pgid_before=$(ks-call getpgid 1)
mark_log
like "$(ctl "engage $PGID -EPERM")" "^ok [0-9]+$" "engage with an errno name succeeds"
is "$(engaged)" "$PGID retval=-1 hits=0 state=engaged" "engaged line format"
is "$(stat -c %a "$KS/fn/$PGID/retval")" 600 "fn retval mode is 0600"
is "$(stat -c %a "$KS/fn/$PGID/hits")" 400 "fn hits mode is 0400"
is "$(cat "$KS/fn/$PGID/retval")" -1 "fn retval reads the value"
is "$(cat "$KS/fn/$PGID/hits")" 0 "fn hits starts at 0"
is "$(cat "$KS/taint")" 1 "taint is 1 after an engagement"
like "$(kernel_log_since_mark)" "killswitch: engaged $PGID retval=-1 via control by uid=0 auid=[0-9]+ ses=[0-9]+ comm=ks-write" \
	"engage is logged with uid, auid, session and command"
like "$(tr '\n' ' ' </proc/sys/kernel/tainted)" "^[0-9]+ $" "kernel taint mask is readable"
ok "kernel taint mask has the live patch bit" test $(($(cat /proc/sys/kernel/tainted) & 32768)) -ne 0

# The engaged function refuses every call, and every call is counted.
is "$(ks-call getpgid 1000)" "ret=-1 errno=EPERM calls=1000" "engaged getpgid fails with EPERM"
is "$(cat "$KS/fn/$PGID/hits")" 1000 "hits counts every call exactly"
is "$(engaged)" "$PGID retval=-1 hits=1000 state=engaged" "engaged shows the hits"
is "$(ks-call getsid 1)" "$(ks-call getsid 1)" "an unengaged neighbour still works"

# The return value changes live, with numbers and errno names.
like "$(ks-write "$KS/fn/$PGID/retval" "-ENOENT\n")" "^ok [0-9]+$" "retval write accepts an errno name"
is "$(ks-call getpgid 5)" "ret=-1 errno=ENOENT calls=5" "calls see the new errno at once"
like "$(ks-write "$KS/fn/$PGID/retval" "4242")" "^ok [0-9]+$" "retval write accepts a number"
is "$(ks-call getpgid 5)" "ret=4242 errno=0 calls=5" "calls return the new value"
is "$(cat "$KS/fn/$PGID/retval")" 4242 "fn retval reads the new value"
like "$(ks-write "$KS/fn/$PGID/retval" "0x10")" "^ok [0-9]+$" "retval write accepts hex"
is "$(cat "$KS/fn/$PGID/retval")" 16 "hex retval reads back in decimal"
is "$(ks-write "$KS/fn/$PGID/retval" "banana")" "errno=EINVAL" "bad retval write is EINVAL"
is "$(ks-write "$KS/fn/$PGID/retval" "1 2")" "errno=EINVAL" "two-word retval write is EINVAL"
is "$(ks-write --offset 3 "$KS/fn/$PGID/retval" "7")" "errno=EINVAL" "retval write at an offset is EINVAL"
is "$(cat "$KS/fn/$PGID/retval")" 16 "rejected retval writes change nothing"
is "$(cat "$KS/fn/$PGID/hits")" 1010 "hits keep counting across retval changes"
ks-write "$KS/fn/$PGID/retval" "-EPERM" >/dev/null

# Errors: each rejected write leaves the state exactly as it was.
snapshot=$(engaged)
check_rejected() {
	local command=$1 expected=$2 desc=$3
	is "$(ctl "$command")" "errno=$expected" "$desc"
	is "$(engaged)" "$snapshot" "state unchanged after: $desc"
}
check_rejected "engage $PGID -1" EBUSY "engage of an engaged symbol is EBUSY"
check_rejected "disengage $SID" ENOENT "disengage of an unengaged symbol is ENOENT"
check_rejected "engage no_such_function_xyz -1" ENOENT "engage of an unknown symbol is ENOENT"
check_rejected "engage $SID" EINVAL "engage without a retval is EINVAL"
check_rejected "engage $SID banana" EINVAL "engage with a bad retval is EINVAL"
check_rejected "engage $SID -EBANANA" EINVAL "engage with an unknown errno name is EINVAL"
check_rejected "engage $SID 99999999999999999999" EINVAL "engage with an out-of-range retval is EINVAL"
check_rejected "engage $SID -1 extra" EINVAL "engage with an extra word is EINVAL"
check_rejected "launch $SID -1" EINVAL "unknown verb is EINVAL"
check_rejected "engage $SID\0 -1" EINVAL "embedded NUL is EINVAL"
check_rejected "engage $SID -1\nengage foo -1" EINVAL "two lines in one write is EINVAL"
check_rejected "" EINVAL "empty write is EINVAL"
check_rejected "disengage_all now" EINVAL "disengage_all with an argument is EINVAL"
long=$(printf 'x%.0s' $(seq 600))
check_rejected "engage $long -1" EINVAL "overlong write is EINVAL"
is "$(ks-write --offset 5 "$KS/control" "disengage_all")" "errno=EINVAL" "control write at an offset is EINVAL"
is "$(engaged)" "$snapshot" "state unchanged after a write at an offset"

blacklisted=$(awk '{ print $2; exit }' /sys/kernel/debug/kprobes/blacklist)
diag "kprobe blacklist entry used: $blacklisted"
is "$(ctl "engage $blacklisted -1")" "errno=EINVAL" "engage of a kprobe-blacklisted function is EINVAL"
is "$(engaged)" "$snapshot" "state unchanged after the blacklisted engage"

# Another kprobe on the function: engaging on top of it is refused, because
# the kernel would later WARN when that probe is disabled. A probe added
# after the engagement is harmless.
TRACING=/sys/kernel/tracing
echo "p:ks_iface/getsid $SID" >>"$TRACING/kprobe_events"
echo 1 >"$TRACING/events/ks_iface/enable"
is "$(ctl "engage $SID -1")" "errno=EBUSY" "engage over a tracefs kprobe is EBUSY"
is "$(engaged)" "$snapshot" "state unchanged after engage over a tracefs kprobe"
echo 0 >"$TRACING/events/ks_iface/enable"
echo "-:ks_iface/getsid" >>"$TRACING/kprobe_events"
like "$(ctl "engage $SID -1")" "^ok [0-9]+$" "engage succeeds once the tracefs kprobe is gone"
echo "p:ks_iface/getsid $SID" >>"$TRACING/kprobe_events"
echo 1 >"$TRACING/events/ks_iface/enable"
is "$(ks-call getsid 2)" "ret=-1 errno=EPERM calls=2" "engagement holds with a tracefs kprobe added after it"
echo 0 >"$TRACING/events/ks_iface/enable"
echo "-:ks_iface/getsid" >>"$TRACING/kprobe_events"
like "$(ctl "disengage $SID")" "^ok [0-9]+$" "disengage after the tracefs kprobe came and went"
is "$(engaged)" "$snapshot" "state is back to one engagement"
ctl "engage $SID -1" >/dev/null
echo "p:ks_iface/getsid $SID" >>"$TRACING/kprobe_events"
echo 1 >"$TRACING/events/ks_iface/enable"
like "$(ctl "disengage $SID")" "^ok [0-9]+$" "disengage while a tracefs kprobe stays"
is "$(ks-call getsid 1)" "$(ks-call getsid 1)" "getsid works with only the tracefs kprobe left"
is "$(awk '$1 == "getsid" { print $2 }' "$TRACING/kprobe_profile")" 2 "the tracefs kprobe still counts calls"
echo 0 >"$TRACING/events/ks_iface/enable"
echo "-:ks_iface/getsid" >>"$TRACING/kprobe_events"

# Writers without CAP_SYS_ADMIN are refused.
is "$(as_nobody ks-write "$KS/control" "disengage_all")" "errno=EACCES" "nobody cannot open control"
is "$(ks-write --drop-cap-sys-admin "$KS/control" "disengage_all")" "errno=EPERM" \
	"root without CAP_SYS_ADMIN gets EPERM on control"
is "$(ks-write --drop-cap-sys-admin "$KS/fn/$PGID/retval" "5")" "errno=EPERM" \
	"root without CAP_SYS_ADMIN gets EPERM on fn retval"
is "$(as_nobody cat "$KS/fn/$PGID/hits" 2>/dev/null)" "" "nobody cannot read fn hits"
is "$(as_nobody cat "$KS/engaged")" "$snapshot" "nobody can read engaged"
is "$(engaged)" "$snapshot" "state unchanged after refused writers"

# A per-function file held open across a disengage fails cleanly.
exec 3<"$KS/fn/$PGID/hits"
mark_log
like "$(ctl "disengage $PGID")" "^ok [0-9]+$" "disengage succeeds"
like "$(kernel_log_since_mark)" "killswitch: disengaged $PGID retval=-1 hits=1010 via control by uid=0 auid=[0-9]+ ses=[0-9]+ comm=ks-write" \
	"disengage is logged with the final hits"
is "$(cat <&3 2>&1 >/dev/null | sed 's/.*: //')" "No such file or directory" "read of a stale fn file is ENOENT"
exec 3<&-
ok "fn directory is removed" test ! -e "$KS/fn/$PGID"
is "$(ks-call getpgid 1)" "$pgid_before" "getpgid works again after disengage"
is "$(engaged)" "" "engaged is empty after disengage"
is "$(cat "$KS/taint")" 1 "taint stays 1 after disengage"

# disengage_all removes every engagement.
ctl "engage $PGID -1" >/dev/null
ctl "engage $SID 0x7" >/dev/null
is "$(engaged | wc -l)" 2 "two engagements listed"
is "$(ks-call getsid 3)" "ret=7 errno=0 calls=3" "hex retval is returned to callers"
like "$(ctl disengage_all)" "^ok [0-9]+$" "disengage_all succeeds"
is "$(engaged)" "" "disengage_all leaves nothing engaged"
is "$(ls "$KS/fn")" "" "disengage_all removes every fn directory"
like "$(ctl disengage_all)" "^ok [0-9]+$" "disengage_all with nothing engaged succeeds"

# An open file pins the module; with engagements present rmmod cleans up.
ctl "engage $PGID -1" >/dev/null
ctl "engage $SID -1" >/dev/null
exec 3<"$KS/engaged"
ok "rmmod fails while a killswitch file is open" bash -c '! rmmod killswitch 2>/dev/null'
exec 3<&-
mark_log
ok "rmmod with engagements succeeds" rmmod killswitch
ok "securityfs directory is removed" test ! -e "$KS"
like "$(kernel_log_since_mark)" "killswitch: unloaded, 2 engagement\(s\) removed" "rmmod logs the removed engagements"
is "$(ks-call getpgid 1)" "$pgid_before" "getpgid works after rmmod"

# The module parameter engages valid entries and skips bad neighbours.
mark_log
ok "modprobe with engage= succeeds" \
	modprobe killswitch "engage=$PGID=-EPERM,9bad=1,no_such_function_xyz=-1,$SID=-0x2,nonumber=abc"
is "$(engaged)" "$PGID retval=-1 hits=0 state=engaged
$SID retval=-2 hits=0 state=engaged" "valid engage= entries are engaged in order"
log=$(kernel_log_since_mark)
like "$log" "engage=: skipped entry '9bad=1': invalid symbol" "malformed symbol entry is logged"
like "$log" "engage=: skipped entry 'nonumber=abc': invalid return value" "malformed retval entry is logged"
like "$log" "engage=: cannot engage no_such_function_xyz: error -2" "unknown symbol entry is logged"
like "$log" "engaged $PGID retval=-1 via module parameter" "parameter engagement is logged"
is "$(ks-call getpgid 2)" "ret=-1 errno=EPERM calls=2" "parameter engagement blocks calls"
ok "rmmod after parameter engagement" rmmod killswitch

# An engaged function in a module that unloads: removed cleanly and logged.
modprobe killswitch
ok "modprobe algif_aead" modprobe algif_aead
like "$(ctl "engage af_alg_sendmsg -EPERM")" "^ok [0-9]+$" "engage a function of the af_alg module"
mark_log
ok "rmmod algif_aead af_alg with an engaged function" rmmod algif_aead af_alg
like "$(kernel_log_since_mark)" "mitigation lost: module af_alg is unloading, so af_alg_sendmsg retval=-1 hits=0 is no longer engaged" \
	"module unload logs the lost mitigation"
is "$(engaged)" "" "engagement is gone after its module unloads"
ok "fn entry is gone after its module unloads" test ! -e "$KS/fn/af_alg_sendmsg"
ok "af_alg loads again" modprobe af_alg
is "$(ctl "disengage af_alg_sendmsg")" "errno=ENOENT" "the lost engagement is not re-armed"
ok "rmmod killswitch at the end" rmmod killswitch

tap_done
