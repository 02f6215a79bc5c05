#!/bin/bash
# Audit records of engage, blocked calls and disengage, run inside the test
# VM as root. tests/check boots this suite with audit=1 (KS_VM_APPEND).
# With no audit daemon in the guest, kauditd prints each record to the
# kernel log as "audit: type=1316 audit(...): op=killswitch-...". Booted
# without audit=1, the suite checks that no record is emitted instead.
. /root/tap.sh

KS=/sys/kernel/security/killswitch
PGID=__x64_sys_getpgid

ctl() {
	ks-write "$KS/control" "$1"
}

mark_log() {
	echo "killswitch-test-mark" >/dev/kmsg
}

kernel_log_since_mark() {
	dmesg | sed -n '/killswitch-test-mark/,$p'
}

# audit_records OP: the killswitch audit records of OP since the mark.
audit_records() {
	kernel_log_since_mark | grep "audit: type=1316 audit([0-9.:]*): op=killswitch-$1 "
}

audit_on=no
grep -qw "audit=1" /proc/cmdline && audit_on=yes
diag "audit=1 on the kernel command line: $audit_on"

# Without an audit daemon, kauditd prints records through printk_ratelimit(),
# at most 10 lines in 5 seconds. Each of these records comes with the
# SYSCALL and PROCTITLE records of its system call, 3 lines in all, so the
# steps below are 6 seconds apart.
ok "modprobe killswitch" modprobe killswitch
mark_log
like "$(ctl "engage $PGID -EPERM")" "^ok [0-9]+$" "engage getpgid"
sleep 6
is "$(ks-call getpgid 2)" "ret=-1 errno=EPERM calls=2" "2 calls are blocked"
sleep 6
like "$(ctl "disengage $PGID")" "^ok [0-9]+$" "disengage getpgid"
# kauditd prints from its own thread; give it a moment.
sleep 1

if [ "$audit_on" = yes ]; then
	like "$(audit_records engaged)" "op=killswitch-engaged symbol=$PGID retval=-1 pid=[0-9]+ uid=0 auid=[0-9]+ ses=[0-9]+ comm=\"ks-write\"" \
		"engage emits an audit record"
	is "$(audit_records blocked | grep -c "symbol=$PGID retval=-1 pid=[0-9]* uid=0 auid=[0-9]* ses=[0-9]* comm=\"ks-call\"")" 2 \
		"each blocked call emits an audit record"
	like "$(audit_records disengaged)" "op=killswitch-disengaged symbol=$PGID retval=-1 pid=[0-9]+ uid=0 " \
		"disengage emits an audit record"
else
	is "$(kernel_log_since_mark | grep -c 'op=killswitch-')" 0 "no audit record without audit=1"
fi
ok "rmmod killswitch" rmmod killswitch

tap_done
