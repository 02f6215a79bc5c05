#!/bin/bash
# ksctl apply and ksctl save against the real module, run inside the test VM
# as root: dry run, engage, idempotence, a return value change, removal, an
# engagement made by hand that apply keeps, an invalid configuration that
# changes nothing, a pending engagement on af_alg that blocks AF_ALG once
# the module loads, save, and lockdown (last, because it cannot be undone).
. /root/tap.sh

KS=/sys/kernel/security/killswitch
CONF=/etc/killswitch/killswitch.conf
DROPINS=/etc/killswitch.d
PGID=__x64_sys_getpgid

# run_status COMMAND...: print the exit status of COMMAND, output dropped.
run_status() {
	"$@" >/dev/null 2>&1 </dev/null
	echo $?
}

engaged() {
	cat "$KS/engaged"
}

# engaged_line SYMBOL: the engaged file's line for SYMBOL, or nothing.
engaged_line() {
	grep "^$1 " "$KS/engaged"
}

mkdir -p /etc/killswitch "$DROPINS"
ok "modprobe killswitch" modprobe killswitch

# An empty configuration: nothing to do.
is "$(run_status ksctl apply)" 0 "apply without files exits 0"

cat >"$CONF" <<EOF
# Test configuration.
engage $PGID -EPERM
engage __x64_sys_getsid         # long: -EPERM from BTF
EOF

is "$(run_status ksctl apply --dry-run)" 5 "dry run with changes exits 5"
is "$(engaged)" "" "dry run engages nothing"
plan=$(ksctl --json apply --dry-run)
is "$(printf '%s' "$plan" | jq -r '[.actions[] | .action + " " + .control_command] | join(",")')" \
	"engage engage $PGID -1,engage engage __x64_sys_getsid -1" "dry run plans both engagements"

is "$(run_status ksctl apply)" 5 "apply with changes exits 5"
like "$(engaged_line $PGID)" "^$PGID retval=-1 hits=0" "apply engaged $PGID"
like "$(engaged_line __x64_sys_getsid)" "^__x64_sys_getsid retval=-1 " "apply engaged __x64_sys_getsid with the BTF default"
like "$(cat /run/killswitch/applied)" "engage __x64_sys_getsid -1" "the state file records the engagement"
is "$(run_status ksctl apply)" 0 "a second apply exits 0"
like "$(ksctl apply)" "no change" "a second apply reports no change"
ok "ksctl apply --dry-run reports no change with 0" ksctl apply --dry-run

# A drop-in overrides the main file.
echo "engage $PGID -ENOENT" >"$DROPINS/10-override.conf"
is "$(run_status ksctl apply)" 5 "a changed retval exits 5"
like "$(engaged_line $PGID)" "^$PGID retval=-2 " "the drop-in's retval is in force"
is "$(cat $KS/fn/$PGID/retval)" "-2" "the retval changed in place"
is "$(ks-call getpgid 1)" "ret=-1 errno=ENOENT calls=1" "getpgid fails with ENOENT"

# A manual engagement is never disengaged.
ok "manual engage of ksys_sync" ksctl engage ksys_sync 0 --force --yes
rm "$DROPINS/10-override.conf"
sed -i "/^engage $PGID/d" "$CONF"
is "$(run_status ksctl apply)" 5 "removing an entry exits 5"
is "$(engaged_line $PGID)" "" "apply disengaged the removed entry"
like "$(engaged_line ksys_sync)" "^ksys_sync retval=0 " "the manual engagement is kept"
like "$(engaged_line __x64_sys_getsid)" "^__x64_sys_getsid " "the remaining entry is kept"

# An invalid configuration changes nothing and lists every error.
before=$(engaged | cut -d' ' -f1,2)
cat >"$DROPINS/20-bad.conf" <<EOF
engage $PGID -EBANANA
frobnicate x
mitigate CVE-2026-31431
engage no_such_function_here -1
EOF
echo "engage $PGID -1" >>"$CONF"
errors=$(ksctl apply 2>&1 >/dev/null)
is "$(run_status ksctl apply)" 2 "an invalid configuration exits 2"
like "$errors" "/etc/killswitch.d/20-bad.conf:1: invalid RETVAL '-EBANANA'" "the errno error names file and line"
like "$errors" "20-bad.conf:2: unknown keyword 'frobnicate'" "the keyword error names file and line"
like "$errors" "20-bad.conf:3: mitigate CVE-2026-31431: the CVE catalog is not available" "mitigate is rejected without the catalog"
like "$errors" "20-bad.conf:4: no_such_function_here refused by the preflight" "the preflight refusal names file and line"
is "$(engaged | cut -d' ' -f1,2)" "$before" "an invalid configuration changes nothing"
rm "$DROPINS/20-bad.conf"
sed -i "/^engage $PGID/d" "$CONF"

# A function of a module that is not loaded: a pending engagement.
if grep -q "^af_alg " /proc/modules; then
	diag "af_alg is already loaded"
fi
echo "engage af_alg_sendmsg" >"$DROPINS/30-copy-fail.conf"
is "$(run_status ksctl apply)" 5 "apply of an af_alg function exits 5"
like "$(engaged_line af_alg:af_alg_sendmsg)" "state=pending" "the engagement on af_alg is pending"
is "$(run_status ksctl apply)" 0 "apply with the pending engagement exits 0"
output=$(ks-afalg authencesn sendmsg 2>&1)
like "$output" "failed errno=EPERM" "AF_ALG sendmsg is refused with EPERM"
like "$(engaged_line af_alg:af_alg_sendmsg)" "retval=-1 hits=[1-9]" "the engagement counted the call"
is "$(run_status ksctl apply)" 0 "apply after af_alg loaded exits 0"

# save writes what no file lists.
ok "ksctl save" ksctl save
saved=$(cat "$DROPINS/50-saved.conf")
like "$saved" "engage ksys_sync 0" "save wrote the manual engagement"
is "$(printf '%s\n' "$saved" | grep -c __x64_sys_getsid)" 0 "save left out the configured entry"
rm "$DROPINS/50-saved.conf"
ok "disengage ksys_sync" ksctl disengage ksys_sync

# Removing every file disengages what apply engaged.
rm -f "$CONF" "$DROPINS"/*.conf
is "$(run_status ksctl apply)" 5 "apply of an empty configuration exits 5"
is "$(engaged)" "" "apply disengaged everything it engaged"

# Under lockdown the module rejects runtime writes.
echo "engage $PGID -EPERM" >"$CONF"
like "$(ksctl apply --modprobe-conf)" "^options killswitch engage=$PGID=-1$" "--modprobe-conf prints the options line"
echo integrity >/sys/kernel/security/lockdown
out=$(ksctl apply 2>&1)
is "$(run_status ksctl apply)" 4 "apply under lockdown exits 4"
like "$out" "ksctl apply --modprobe-conf" "apply under lockdown names the module parameter"
is "$(engaged)" "" "apply under lockdown changes nothing"
is "$(run_status ksctl engage __x64_sys_getppid -EPERM --yes)" 4 "engage under lockdown exits 4"
like "$(ksctl engage __x64_sys_getppid -EPERM --yes 2>&1)" "engage= module parameter" \
	"engage under lockdown names the module parameter"
like "$(ksctl --json doctor | jq -r '.findings[] | select(.code == "lockdown") | .fix')" \
	"ksctl apply --modprobe-conf" "doctor explains lockdown"

tap_done
