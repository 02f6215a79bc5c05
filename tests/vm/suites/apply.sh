#!/bin/bash
# ksctl apply and ksctl save against the real module, run inside the test VM
# as root: dry run, engage, idempotence, a return value change, removal, an
# engagement made by hand that apply keeps, an invalid configuration that
# changes nothing, a pending engagement on af_alg that blocks AF_ALG once
# the module loads, and save. Then a mitigate line expanded from the
# catalog, and lockdown last, because it cannot be undone.
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
like "$errors" "20-bad.conf:3: mitigate CVE-2026-31431: catalog check finds fixed" "mitigate of a fixed kernel is refused without force=yes"
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

# A mitigate line engages the catalog entry's functions for this series.
# The reference kernels contain the fix of CVE-2026-31431, so the line
# needs force=yes. af_alg is loaded since the pending engagement above.
series=$(ksctl --json catalog check CVE-2026-31431 | jq -r .kernel.series)
echo "mitigate CVE-2026-31431" >"$DROPINS/40-copy-fail.conf"
errors=$(ksctl apply 2>&1 >/dev/null)
is "$(run_status ksctl apply)" 3 "mitigate on a fixed kernel without force=yes exits 3"
like "$errors" "40-copy-fail.conf:1: mitigate CVE-2026-31431: catalog check finds fixed: .*add force=yes" \
	"the refusal names file, line and force=yes"
is "$(engaged)" "" "the refused mitigate line engages nothing"

echo "mitigate CVE-2026-31431 force=yes" >"$DROPINS/40-copy-fail.conf"
plan=$(ksctl --json apply --dry-run)
commands=$(jq -r '[.actions[] | .control_command] | join(",")' <<<"$plan")
if [ "$series" = 6.1 ]; then
	is "$commands" "engage af_alg:af_alg_sendmsg -1 scope=nonroot,engage af_alg:af_alg_sendpage -1 scope=nonroot" \
		"dry run lists both engagements of the 6.1 block"
else
	is "$commands" "engage af_alg:af_alg_sendmsg -1 scope=nonroot" \
		"dry run lists the engagement of the $series block"
fi
is "$(jq -r '[.actions[] | .cve] | unique | join(",")' <<<"$plan")" CVE-2026-31431 \
	"dry run names the CVE of each engagement"
is "$(engaged)" "" "the dry run engages nothing"

is "$(run_status ksctl apply)" 5 "apply of the mitigate line exits 5"
like "$(engaged)" "af_alg_sendmsg retval=-1 .*scope=nonroot" "af_alg_sendmsg is engaged with the entry's scope"
like "$(cat /run/killswitch/applied)" "engage af_alg:af_alg_sendmsg -1 scope=nonroot" \
	"the state file records the expanded engagement"
output=$(su nobody -s /bin/sh -c "ks-afalg authencesn sendmsg --no-decrypt" 2>&1)
is "$?" 1 "AF_ALG sendmsg fails for nobody"
like "$output" "sendmsg: failed errno=EPERM" "AF_ALG sendmsg is refused for nobody with EPERM"
ok "AF_ALG sendmsg still works for root" ks-afalg authencesn sendmsg --no-decrypt --quiet
is "$(run_status ksctl apply)" 0 "a second apply of the mitigate line exits 0"
like "$(ksctl apply)" "no change" "a second apply of the mitigate line reports no change"

# scope= on the line replaces the entry's scope.
echo "mitigate CVE-2026-31431 force=yes scope=all" >"$DROPINS/40-copy-fail.conf"
is "$(run_status ksctl apply)" 5 "a changed scope exits 5"
like "$(cat /run/killswitch/applied)" "engage af_alg:af_alg_sendmsg -1 scope=all" \
	"the state file records the line's scope"
is "$(run_status ks-afalg authencesn sendmsg --no-decrypt --quiet)" 1 \
	"with scope=all AF_ALG sendmsg fails for root too"

rm "$DROPINS/40-copy-fail.conf"
is "$(run_status ksctl apply)" 5 "removing the mitigate line exits 5"
is "$(engaged)" "" "removing the mitigate line disengages its engagements"
is "$(run_status su nobody -s /bin/sh -c "ks-afalg authencesn sendmsg --no-decrypt --quiet")" 0 \
	"AF_ALG sendmsg works for nobody again"

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
