#!/bin/bash
# Pending engagements on functions of modules that are not loaded, run
# inside the test VM as root. An engagement on af_alg:af_alg_sendmsg made
# before af_alg loads is armed as the module loads, so the very first call
# is blocked, and it survives unload and reload. The suite also covers
# disengage and rmmod killswitch while pending, a symbol the module lacks,
# arming before the module's init function runs, and a race of module loads
# and unloads against engage and disengage. The harness fails the run on any
# kernel warning or lockdep report.
. /root/tap.sh

KS=/sys/kernel/security/killswitch
TARGET=af_alg:af_alg_sendmsg

# ctl COMMAND: one write to the control file; prints "ok N" or "errno=NAME".
ctl() {
	ks-write "$KS/control" "$1"
}

engaged() {
	cat "$KS/engaged"
}

state_of() {
	cat "$KS/fn/$1/state"
}

kernel_log_since_mark() {
	dmesg | sed -n '/killswitch-test-mark/,$p'
}

mark_log() {
	echo "killswitch-test-mark" >/dev/kmsg
}

loaded() {
	grep -q "^$1 " /proc/modules
}

# kprobe_count SYMBOL: kprobes on SYMBOL in the kernel's kprobe list.
kprobe_count() {
	grep -cE " $1\+0x[0-9a-f]+ " /sys/kernel/debug/kprobes/list
}

unload_afalg() {
	rmmod algif_aead 2>/dev/null
	rmmod af_alg
}

ok "af_alg is not loaded at the start" bash -c '! grep -q "^af_alg " /proc/modules'
ok "modprobe killswitch" modprobe killswitch

# Pending on a module that is not loaded.
mark_log
like "$(ctl "engage $TARGET -EPERM")" "^ok [0-9]+$" "engage of a function of an unloaded module succeeds"
is "$(engaged)" "$TARGET retval=-1 hits=0 state=pending" "engaged line shows state=pending"
is "$(state_of "$TARGET")" pending "fn state reads pending"
is "$(stat -c %a "$KS/fn/$TARGET/state")" 400 "fn state mode is 0400"
is "$(cat "$KS/fn/$TARGET/retval")" -1 "fn retval reads the value while pending"
is "$(cat "$KS/taint")" 0 "a pending engagement does not set the taint"
like "$(kernel_log_since_mark)" "killswitch: engaged $TARGET retval=-1 state=pending via control by uid=0" \
	"the pending engagement is logged"
ok "engage did not load af_alg" bash -c '! grep -q "^af_alg " /proc/modules'
is "$(ctl "engage $TARGET -1")" "errno=EBUSY" "a second engage of the pending symbol is EBUSY"

# The test program's socket(AF_ALG) loads af_alg and algif_aead itself, and
# its very first sendmsg() is refused.
mark_log
output=$(ks-afalg gcm sendmsg)
diag "ks-afalg: $(tr '\n' ' ' <<<"$output")"
like "$output" "^sendmsg: failed errno=EPERM" "the first sendmsg after the autoload fails with EPERM"
ok "af_alg was loaded by the socket call" loaded af_alg
is "$(cat "$KS/fn/$TARGET/hits")" 1 "hits counts exactly that one call"
is "$(state_of "$TARGET")" engaged "fn state reads engaged"
is "$(engaged)" "$TARGET retval=-1 hits=1 state=engaged" "engaged line shows state=engaged once armed"
is "$(cat "$KS/taint")" 1 "arming sets the taint"
like "$(kernel_log_since_mark)" "killswitch: engaged $TARGET retval=-1 hits=0 as module af_alg loads" \
	"arming at module load is logged"

# Unload: pending again. Reload: engaged again.
mark_log
ok "rmmod algif_aead af_alg with an armed engagement" unload_afalg
is "$(state_of "$TARGET")" pending "state is pending after the module unloads"
is "$(engaged)" "$TARGET retval=-1 hits=1 state=pending" "engaged line keeps the hits while pending"
like "$(kernel_log_since_mark)" "killswitch: pending again: module af_alg is unloading, so $TARGET retval=-1 hits=1 is engaged again at its next load" \
	"the return to pending is logged"
is "$(kprobe_count af_alg_sendmsg)" 0 "no kprobe is left on the unloaded function"
like "$(ks-afalg gcm sendmsg)" "^sendmsg: failed errno=EPERM" "after a reload sendmsg still fails with EPERM"
is "$(cat "$KS/fn/$TARGET/hits")" 2 "hits keep counting across the reload"
is "$(state_of "$TARGET")" engaged "state is engaged after the reload"
is "$(kprobe_count af_alg_sendmsg)" 1 "exactly one kprobe is on the function"
like "$(ks-write "$KS/fn/$TARGET/retval" "-EACCES")" "^ok [0-9]+$" "retval changes while armed"
like "$(ks-afalg gcm sendmsg)" "^sendmsg: failed errno=EACCES" "the new retval applies"

# Disengage while pending.
unload_afalg
is "$(state_of "$TARGET")" pending "pending before the disengage"
mark_log
like "$(ctl "disengage $TARGET")" "^ok [0-9]+$" "disengage of a pending engagement succeeds"
is "$(engaged)" "" "engaged is empty after disengaging the pending engagement"
ok "fn directory of the pending engagement is removed" test ! -e "$KS/fn/$TARGET"
like "$(kernel_log_since_mark)" "killswitch: disengaged $TARGET retval=-13 hits=3 state=pending via control" \
	"disengage of a pending engagement is logged"
like "$(ks-afalg gcm sendmsg)" "^result: ciphertext ok" "AF_ALG works after the pending engagement is gone"
is "$(kprobe_count af_alg_sendmsg)" 0 "no kprobe is on the function after the load"

# A module that is loaded but lacks the symbol, and names that never load.
is "$(ctl "engage af_alg:no_such_function_xyz -1")" "errno=ENOENT" \
	"engage of a symbol a loaded module lacks is ENOENT"
is "$(ctl "engage no_such_function_xyz -1")" "errno=ENOENT" "engage of an unknown plain symbol is still ENOENT"
is "$(ctl "engage kernel:no_such_function_xyz -1")" "errno=ENOENT" \
	"engage under the name of a built-in module is ENOENT"
is "$(engaged)" "" "the rejected engages left nothing behind"
like "$(ctl "engage ks_no_such_module:some_function -1")" "^ok [0-9]+$" \
	"engage under the name of a module that is not loaded is pending"
is "$(state_of ks_no_such_module:some_function)" pending "its state is pending"
ctl "disengage ks_no_such_module:some_function" >/dev/null

# A symbol the module does not have: the module loads, the state is failed.
unload_afalg
like "$(ctl "engage af_alg:no_such_function_xyz -EPERM")" "^ok [0-9]+$" \
	"engage of an unknown symbol of an unloaded module is pending"
mark_log
ok "modprobe af_alg loads despite the engagement that cannot be armed" modprobe af_alg
is "$(state_of af_alg:no_such_function_xyz)" "failed -ENOENT" "fn state reads failed with the error"
is "$(engaged)" "af_alg:no_such_function_xyz retval=-1 hits=0 state=failed" "engaged line shows state=failed"
like "$(kernel_log_since_mark)" "killswitch: cannot engage af_alg:no_such_function_xyz retval=-1 as module af_alg loads: error -2 \(the module has no such function\); the module loads without the engagement" \
	"the failure to arm is logged with the reason"
unload_afalg
is "$(state_of af_alg:no_such_function_xyz)" pending "a failed engagement is pending again after the unload"
ctl "disengage af_alg:no_such_function_xyz" >/dev/null

# Armed before the module's init function runs: engaging the init function
# makes the load fail, and the module goes away cleanly.
if grep -q "^algif_aead " /proc/modules; then
	rmmod algif_aead
fi
like "$(ctl "engage algif_aead:algif_aead_init -EPERM")" "^ok [0-9]+$" "engage the init function of algif_aead"
mark_log
ok "modprobe algif_aead fails because its init function is engaged" bash -c '! modprobe algif_aead 2>/dev/null'
is "$(cat "$KS/fn/algif_aead:algif_aead_init/hits")" 1 "the init function was intercepted once"
ok "algif_aead is not loaded" bash -c '! grep -q "^algif_aead " /proc/modules'
is "$(state_of algif_aead:algif_aead_init)" pending "the engagement is pending again after the failed load"
ctl "disengage algif_aead:algif_aead_init" >/dev/null
ok "modprobe algif_aead works after the disengage" modprobe algif_aead

# rmmod killswitch while pending, then the module loads and works.
unload_afalg
ctl "engage $TARGET -EPERM" >/dev/null
mark_log
ok "rmmod killswitch with a pending engagement" rmmod killswitch
like "$(kernel_log_since_mark)" "killswitch: unloaded, 1 engagement\(s\) removed" "rmmod counts the pending engagement"
like "$(ks-afalg gcm sendmsg)" "^result: ciphertext ok" "af_alg loads and works after killswitch is gone"
ok "af_alg is loaded" loaded af_alg

# The engage= module parameter accepts a pending engagement too.
unload_afalg
ok "modprobe killswitch with engage= on an unloaded module" modprobe killswitch "engage=$TARGET=-EPERM"
is "$(engaged)" "$TARGET retval=-1 hits=0 state=pending" "the parameter engagement is pending"
like "$(ks-afalg gcm sendmsg)" "^sendmsg: failed errno=EPERM" "the parameter engagement blocks the first call"
ctl disengage_all >/dev/null
unload_afalg

# Race: load and unload the module in one loop while another engages and
# disengages, for a bounded time. Every engage and disengage must succeed.
RACE_SECONDS=20
race_end=$((SECONDS + RACE_SECONDS))
(
	loads=0
	while [ "$SECONDS" -lt "$race_end" ]; do
		modprobe algif_aead && loads=$((loads + 1))
		rmmod algif_aead af_alg 2>/dev/null
	done
	echo "$loads" >/tmp/race-loads
) &
loader=$!
failures=0
rounds=0
while [ "$SECONDS" -lt "$race_end" ]; do
	result=$(ctl "engage $TARGET -EPERM")
	case $result in
	ok*) ;;
	*) failures=$((failures + 1)); diag "engage: $result" ;;
	esac
	result=$(ctl "disengage $TARGET")
	case $result in
	ok*) ;;
	*) failures=$((failures + 1)); diag "disengage: $result" ;;
	esac
	rounds=$((rounds + 1))
done
wait "$loader"
diag "race: $rounds engage and disengage rounds, $(cat /tmp/race-loads) module loads in $RACE_SECONDS s"
ok "the module was loaded during the race" test "$(cat /tmp/race-loads)" -gt 0
is "$failures" 0 "every engage and disengage during the race succeeded"
is "$(engaged)" "" "nothing is engaged after the race"
is "$(kprobe_count af_alg_sendmsg)" 0 "no kprobe is left after the race"

# After the race the state follows the module again.
unload_afalg 2>/dev/null
ctl "engage $TARGET -EPERM" >/dev/null
is "$(state_of "$TARGET")" pending "pending after the race with the module unloaded"
like "$(ks-afalg gcm sendmsg)" "^sendmsg: failed errno=EPERM" "armed at the next load after the race"
is "$(state_of "$TARGET")" engaged "engaged after the race and a load"
ctl disengage_all >/dev/null
ok "rmmod killswitch at the end" rmmod killswitch

tap_done
