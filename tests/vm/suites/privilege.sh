#!/bin/bash
# Who may write, and what lockdown and kernel.modules_disabled change, run
# inside the test VM as root. Writers: root, nobody, root inside
# unshare -U -r, and nobody holding CAP_SYS_ADMIN in a child user namespace.
# The suite ends with the kernel locked down, which cannot be undone, so it
# runs last in its VM.
. /root/tap.sh

KS=/sys/kernel/security/killswitch
PGID=__x64_sys_getpgid
SID=__x64_sys_getsid

as_nobody() {
	su nobody -s /bin/sh -c "$(printf '%q ' "$@")"
}

engaged() {
	cat "$KS/engaged"
}

ok "modprobe killswitch" modprobe killswitch
echo "engage $PGID -EPERM" >"$KS/control"
snapshot=$(engaged)

# The writer matrix.
like "$(ks-write "$KS/control" "engage $SID -1")" "^ok " "root may engage"
like "$(ks-write "$KS/control" "disengage $SID")" "^ok " "root may disengage"
is "$(as_nobody ks-write "$KS/control" "engage $SID -1")" "errno=EACCES" "nobody cannot open control"
is "$(as_nobody ks-write "$KS/fn/$PGID/retval" "5")" "errno=EACCES" "nobody cannot open fn retval"
is "$(unshare -U -r ks-write "$KS/control" "engage $SID -1")" "errno=EPERM" \
	"root in a new user namespace gets EPERM"
is "$(unshare -U -r ks-write "$KS/fn/$PGID/retval" "5")" "errno=EPERM" \
	"root in a new user namespace gets EPERM on fn retval"
is "$(as_nobody unshare -U -r ks-write "$KS/control" "engage $SID -1")" "errno=EACCES" \
	"nobody with CAP_SYS_ADMIN in a child user namespace cannot open control"
is "$(ks-write --drop-cap-sys-admin "$KS/control" "engage $SID -1")" "errno=EPERM" \
	"root without CAP_SYS_ADMIN gets EPERM"
is "$(engaged)" "$snapshot" "refused writers changed nothing"

# Every file keeps its mode and owner.
for entry in control:200 engaged:444 taint:444 "fn/$PGID/retval:600" "fn/$PGID/hits:400"; do
	file=${entry%:*}
	is "$(stat -c '%a %u %g' "$KS/$file")" "${entry##*:} 0 0" "$file is mode ${entry##*:}, owned by root"
done

# kernel.modules_disabled=1 after load: engagements still work, but nothing,
# killswitch included, can be unloaded any more.
echo 1 >/proc/sys/kernel/modules_disabled
like "$(ks-write "$KS/control" "engage $SID -EIO")" "^ok " "engage works with modules_disabled=1"
is "$(ks-call getsid 1)" "ret=-1 errno=EIO calls=1" "the engagement blocks calls"
like "$(ks-write "$KS/control" "disengage $SID")" "^ok " "disengage works with modules_disabled=1"
ok "rmmod killswitch fails with modules_disabled=1" bash -c '! rmmod killswitch 2>/dev/null'

# Lockdown: every write is refused, reads work, engagements stay in force.
check_locked() {
	local level=$1
	is "$(ks-write "$KS/control" "engage $SID -1")" "errno=EPERM" "$level: engage is refused"
	is "$(ks-write "$KS/control" "disengage $PGID")" "errno=EPERM" "$level: disengage is refused"
	is "$(ks-write "$KS/control" "disengage_all")" "errno=EPERM" "$level: disengage_all is refused"
	is "$(ks-write "$KS/fn/$PGID/retval" "0")" "errno=EPERM" "$level: retval write is refused"
	is "$(engaged)" "$PGID retval=-1 hits=$(cat "$KS/fn/$PGID/hits") state=engaged" "$level: engaged is readable"
	is "$(ks-call getpgid 3)" "ret=-1 errno=EPERM calls=3" "$level: the engagement stays in force"
	like "$(dmesg | tail -n 20)" "killswitch: rejected write by uid=0 comm=ks-write: the kernel is locked down" \
		"$level: the refusal is logged with the reason"
}

echo integrity >/sys/kernel/security/lockdown
like "$(cat /sys/kernel/security/lockdown)" "\[integrity\]" "lockdown is at integrity"
check_locked integrity

echo confidentiality >/sys/kernel/security/lockdown
like "$(cat /sys/kernel/security/lockdown)" "\[confidentiality\]" "lockdown is at confidentiality"
check_locked confidentiality

tap_done
