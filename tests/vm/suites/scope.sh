#!/bin/bash
# Scoped engagements and blocked-call reports, run inside the test VM as
# root. af_alg_sendmsg is engaged with scope=nonroot, scope=userns and an
# allow list, and called through ks-afalg by root, by nobody, from a new user
# namespace and from a copy of the allowed binary. Each blocked ks-afalg run
# makes exactly one call (its first sendmsg fails), and each run that passes
# makes one call per operation (gcm, sendmsg path, --no-decrypt). The suite
# also checks last_blocked, the rate-limited warning with its suppressed
# count, and that every invalid option is rejected with EINVAL and changes
# nothing. The harness fails the run on any kernel warning.
. /root/tap.sh

KS=/sys/kernel/security/killswitch
TARGET=af_alg_sendmsg
PGID=__x64_sys_getpgid

ctl() {
	ks-write "$KS/control" "$1"
}

engaged() {
	cat "$KS/engaged"
}

fn() {
	cat "$KS/fn/$TARGET/$1"
}

mark_log() {
	echo "killswitch-test-mark" >/dev/kmsg
}

kernel_log_since_mark() {
	dmesg | sed -n '/killswitch-test-mark/,$p'
}

as_nobody() {
	su nobody -s /bin/sh -c "$*"
}

# verdict: read ks-afalg output; print "pass" if every operation ran and
# "blocked" if sendmsg failed with EPERM.
verdict() {
	local output
	output=$(cat)
	case $output in
	*"sendmsg: failed errno=EPERM"*) echo blocked ;;
	*"result: ciphertext ok"*) echo pass ;;
	*) echo "unexpected: $output" ;;
	esac
}

AFALG="gcm sendmsg --no-decrypt --quiet"

# afalg [BINARY]: one encryption as root (BINARY defaults to ks-afalg).
afalg() {
	"${1:-ks-afalg}" $AFALG 2>&1 | verdict
}

# afalg_nobody [BINARY]: the same as nobody.
afalg_nobody() {
	as_nobody "${1:-ks-afalg} $AFALG" 2>&1 | verdict
}

# afalg_userns [nobody]: the same as root of a new user namespace, created
# by root or, with the argument nobody, by nobody.
afalg_userns() {
	if [ "${1:-}" = nobody ]; then
		as_nobody "unshare -U -r ks-afalg $AFALG" 2>&1 | verdict
	else
		unshare -U -r ks-afalg $AFALG 2>&1 | verdict
	fi
}

ok "modprobe killswitch" modprobe killswitch
ok "modprobe algif_aead" modprobe algif_aead
is "$(afalg)" pass "ks-afalg works before any engagement"

# Whether root and nobody can create a user namespace (unshare -U -r).
# Debian's kernels allow it for unprivileged users by default.
userns_root=no
userns_nobody=no
unshare -U -r true 2>/dev/null && userns_root=yes
as_nobody "unshare -U -r true" 2>/dev/null && userns_nobody=yes
diag "user namespaces: root=$userns_root nobody=$userns_nobody"
is "$userns_root" yes "root can create a user namespace"

# scope=nonroot: root passes, nobody is blocked, in any namespace.
like "$(ctl "engage $TARGET -EPERM scope=nonroot")" "^ok [0-9]+$" "engage with scope=nonroot"
is "$(engaged)" "$TARGET retval=-1 hits=0 state=armed scope=nonroot passed=0 irq=0" \
	"engaged line shows state=armed, the scope and the counters"
is "$(fn state)" armed "fn state reads armed"
is "$(fn last_blocked)" none "last_blocked reads none before any blocked call"
is "$(stat -c %a "$KS/fn/$TARGET/passed")" 400 "fn passed mode is 0400"
is "$(stat -c %a "$KS/fn/$TARGET/irq")" 400 "fn irq mode is 0400"
is "$(stat -c %a "$KS/fn/$TARGET/last_blocked")" 400 "fn last_blocked mode is 0400"

is "$(ks-afalg $AFALG --count 3 | verdict)" pass "root makes 3 calls that pass"
is "$(afalg_nobody)" blocked "nobody is blocked"
is "$(afalg_nobody)" blocked "nobody is blocked again"
if [ "$userns_nobody" = yes ]; then
	is "$(afalg_userns nobody)" blocked "nobody as root of a new user namespace is blocked"
	expected_hits=3
else
	diag "skipped: nobody cannot create user namespaces here"
	expected_hits=2
fi
is "$(afalg_userns)" pass "root in a new user namespace is still root in the initial one"
is "$(fn hits)" "$expected_hits" "hits equals the blocked calls"
is "$(fn passed)" 4 "passed equals root's calls"
is "$(fn irq)" 0 "no call came from interrupt context"
like "$(fn last_blocked)" "^pid=[0-9]+ comm=ks-afalg uid=65534 time=[0-9]+$" \
	"last_blocked names the blocked caller"
last_time=$(fn last_blocked | sed 's/.*time=//')
now=$(date +%s)
ok "last_blocked time is within a minute of now" test $((now - last_time)) -le 60 -a $((now - last_time)) -ge 0
is "$(engaged)" "$TARGET retval=-1 hits=$expected_hits state=armed scope=nonroot passed=4 irq=0" \
	"engaged line shows hits and passed"
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage the nonroot engagement"

# scope=userns: callers in the initial namespace pass, root or not.
like "$(ctl "engage $TARGET -EPERM scope=userns")" "^ok [0-9]+$" "engage with scope=userns"
is "$(afalg)" pass "root in the initial namespace passes"
is "$(afalg_nobody)" pass "nobody in the initial namespace passes"
is "$(afalg_userns)" blocked "root of a new user namespace is blocked"
is "$(afalg_userns)" blocked "a second call from a new user namespace is blocked"
is "$(fn hits)" 2 "hits equals the calls from new namespaces"
is "$(fn passed)" 2 "passed equals the calls from the initial namespace"
like "$(fn last_blocked)" "^pid=[0-9]+ comm=ks-afalg uid=0 time=[0-9]+$" \
	"last_blocked names root of the new namespace"
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage the userns engagement"

# allow=: the allowed executable passes, a copy of it (another inode) and a
# link to it are judged by the inode they run.
cp /usr/local/bin/ks-afalg /tmp/ks-afalg-copy
ln -s /usr/local/bin/ks-afalg /tmp/ks-afalg-link
like "$(ctl "engage $TARGET -EPERM allow=/usr/local/bin/ks-afalg")" "^ok [0-9]+$" \
	"engage with an allow path"
is "$(engaged)" "$TARGET retval=-1 hits=0 state=armed allow=/usr/local/bin/ks-afalg passed=0 irq=0" \
	"engaged line lists the allow path"
is "$(afalg)" pass "the allowed binary passes"
is "$(afalg_nobody)" pass "the allowed binary passes for nobody too"
is "$(afalg /tmp/ks-afalg-link)" pass "a symbolic link to the allowed binary passes"
is "$(afalg /tmp/ks-afalg-copy)" blocked "a copy of the binary is blocked"
is "$(fn hits)" 1 "hits counts the copy's call"
is "$(fn passed)" 3 "passed counts the allowed binary's calls"
like "$(fn last_blocked)" "^pid=[0-9]+ comm=ks-afalg-copy uid=0 time=[0-9]+$" \
	"last_blocked names the copy"
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage the allow engagement"

# Scope and allow list combined.
like "$(ctl "engage $TARGET -EPERM scope=nonroot allow=/tmp/ks-afalg-copy allow=/usr/local/bin/ks-call")" "^ok [0-9]+$" \
	"engage with a scope and two allow paths"
is "$(afalg_nobody)" blocked "nobody running ks-afalg is blocked"
is "$(afalg_nobody /tmp/ks-afalg-copy)" pass "nobody running the allowed copy passes"
is "$(afalg)" pass "root passes by scope"
is "$(fn hits) $(fn passed)" "1 2" "hits and passed count each caller"
is "$(engaged)" "$TARGET retval=-1 hits=1 state=armed scope=nonroot allow=/tmp/ks-afalg-copy allow=/usr/local/bin/ks-call passed=2 irq=0" \
	"engaged line lists the scope and both allow paths"
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage the combined engagement"

# Invalid options: EINVAL (ENOENT for a missing path) and no change.
like "$(ctl "engage $PGID -EPERM")" "^ok [0-9]+$" "engage getpgid to have a state to keep"
snapshot=$(engaged)
check_rejected() {
	local command=$1 expected=$2 desc=$3
	is "$(ctl "$command")" "errno=$expected" "$desc"
	is "$(engaged)" "$snapshot" "state unchanged after: $desc"
}
check_rejected "engage $TARGET -1 color=red" EINVAL "unknown option is EINVAL"
check_rejected "engage $TARGET -1 scope=root" EINVAL "invalid scope is EINVAL"
check_rejected "engage $TARGET -1 mode=watch" EINVAL "invalid mode is EINVAL"
check_rejected "engage $TARGET -1 scope=nonroot irq=drop" EINVAL "invalid irq is EINVAL"
check_rejected "engage $TARGET -1 scope=nonroot scope=userns" EINVAL "duplicate option is EINVAL"
check_rejected "engage $TARGET -1 allow=bin/true" EINVAL "relative allow path is EINVAL"
check_rejected "engage $TARGET -1 allow=" EINVAL "empty allow path is EINVAL"
check_rejected "engage $TARGET -1 allow=/a allow=/b allow=/c allow=/d allow=/e allow=/f allow=/g allow=/h allow=/i" \
	EINVAL "nine allow paths are EINVAL"
check_rejected "engage $TARGET -1 irq=pass" EINVAL "irq=pass without a scope is EINVAL"
check_rejected "engage $TARGET -1 allow=/tmp" EINVAL "a directory as allow path is EINVAL"
check_rejected "engage $TARGET -1 allow=/no/such/file" ENOENT "a missing allow path is ENOENT"
check_rejected "engage $PGID -1 allow=/no/such/file" ENOENT "a missing allow path is ENOENT before EBUSY"
check_rejected "engage $PGID -1 scope=nonroot" EBUSY "engage of an engaged symbol with options is EBUSY"
check_rejected "tryengage $TARGET -1 0" EINVAL "tryengage of 0 seconds is EINVAL"
check_rejected "tryengage $TARGET -1 86401" EINVAL "tryengage over a day is EINVAL"
check_rejected "tryengage $TARGET -1" EINVAL "tryengage without seconds is EINVAL"
check_rejected "tryengage $TARGET -1 5 mode=observe" EINVAL "tryengage with a mode is EINVAL"
check_rejected "disengage $PGID scope=nonroot" EINVAL "disengage with an option is EINVAL"
ok "the missing allow path was logged" bash -c "dmesg | grep -q 'allow=/no/such/file: path not found'"

# Rate-limited warnings: 25 blocked calls in one burst log 10 lines, and
# disengage logs the 15 suppressed.
like "$(ctl "disengage $PGID")" "^ok [0-9]+$" "disengage getpgid"
like "$(ctl "engage $PGID -EPERM")" "^ok [0-9]+$" "engage getpgid for the burst"
mark_log
is "$(ks-call getpgid 25)" "ret=-1 errno=EPERM calls=25" "25 calls are blocked"
is "$(kernel_log_since_mark | grep -c "killswitch: blocked $PGID retval=-1 pid=[0-9]* comm=ks-call uid=0")" 10 \
	"10 warnings are logged for the burst"
like "$(cat "$KS/fn/$PGID/last_blocked")" "^pid=[0-9]+ comm=ks-call uid=0 time=[0-9]+$" \
	"last_blocked names ks-call"
like "$(ctl "disengage $PGID")" "^ok [0-9]+$" "disengage after the burst"
is "$(kernel_log_since_mark | grep -c "killswitch: suppressed 15 warnings of blocked calls to $PGID")" 1 \
	"disengage logs the 15 suppressed warnings"

is "$(engaged)" "" "nothing is engaged at the end"
rm -f /tmp/ks-afalg-copy /tmp/ks-afalg-link
ok "rmmod killswitch" rmmod killswitch

tap_done
