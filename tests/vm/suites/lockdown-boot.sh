#!/bin/bash
# A kernel booted with lockdown=integrity, run inside the test VM as root.
# There, killswitch refuses every runtime change, so an engagement can only
# come from the engage= module parameter, and only a module signed with a
# key the kernel trusts loads at all.
#
# The debug kernel is built here and keeps its signing key, so tests/vm/run
# signs the module for it: the suite loads the module with engage= and
# checks that the parameter is honoured. Debian's kernels trust only
# Debian's keys, so there the suite checks that the unsigned module is
# refused with the reason, and what ksctl doctor reports.
#
# ks-vm-append: lockdown=integrity
. /root/tap.sh

KS=/sys/kernel/security/killswitch
PGID=__x64_sys_getpgid
SID=__x64_sys_getsid

# doctor_lockdown: print the severity of ksctl doctor's lockdown finding.
doctor_lockdown() {
	ksctl --json doctor 2>/dev/null |
		jq -r '.findings[] | select(.code == "lockdown") | .severity'
}

like "$(cat /sys/kernel/security/lockdown)" "\[integrity\]" "the kernel booted at lockdown integrity"
is "$(doctor_lockdown)" "warning" "ksctl doctor warns that only the module parameter can engage"
like "$(ksctl doctor 2>&1)" "engage= module parameter" "ksctl doctor names the module parameter"

case $(uname -r) in
*-ks-debug)
	dmesg -c >/dev/null
	ok "the signed module loads with engage=" \
		modprobe killswitch "engage=$PGID=-EPERM,$SID=-EIO"
	is "$(cat "$KS/engaged")" "$PGID retval=-1 hits=0
$SID retval=-5 hits=0" "both parameter engagements are in force"
	is "$(ks-call getpgid 2)" "ret=-1 errno=EPERM calls=2" "getpgid is blocked by the parameter engagement"
	is "$(ks-call getsid 1)" "ret=-1 errno=EIO calls=1" "getsid returns the parameter's retval"
	is "$(ks-write "$KS/control" "disengage $PGID")" "errno=EPERM" "a runtime disengage is refused"
	is "$(ks-write "$KS/fn/$SID/retval" "-1")" "errno=EPERM" "a runtime retval change is refused"
	like "$(dmesg)" "rejected write by uid=0 comm=ks-write: the kernel is locked down" \
		"the refusal is logged with the reason"
	is "$(cat "$KS/fn/$PGID/hits")" "2" "the hits count the blocked calls"
	ok "rmmod killswitch still works" rmmod killswitch
	like "$(ks-call getpgid 1)" "^ret=[0-9]+ errno=0 calls=1$" "getpgid works again after rmmod"
	;;
*)
	dmesg -c >/dev/null
	ok "the unsigned module is refused" bash -c "! modprobe killswitch engage=$PGID=-EPERM 2>/dev/null"
	like "$(dmesg)" "unsigned module loading is restricted" "the kernel logs why the module was refused"
	ok "no killswitch files appear" test ! -e "$KS"
	like "$(ks-call getpgid 1)" "^ret=[0-9]+ errno=0 calls=1$" "getpgid is not blocked"
	is "$(ksctl --json doctor 2>/dev/null | jq -r '.findings[] | select(.code == "module-loaded") | .severity')" \
		"refusal" "ksctl doctor reports the module as not loaded"
	;;
esac

tap_done
