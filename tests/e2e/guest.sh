#!/bin/bash
# The end-to-end test's steps inside the Debian 12 guest, run by
# ks-e2e.service from the second disk (/e2e) at every boot. The step number
# is kept in /var/lib/ks-e2e/step on the root disk:
#   1  run the fleet playbook /e2e/killswitch.yml over a local connection.
#      It installs the two packages (DKMS builds the module here) and its
#      40-fleet.conf, which engages af_alg_sendmsg, and it reports drift
#      because the module is not loaded. Then reboot.
#   2  check the engagement after boot, AF_ALG refused and ksctl apply
#      unchanged. Then the playbook reports no drift, reports drift after a
#      manual ksctl disengage without changing the kernel, and engages again
#      with killswitch_apply=true. Last, apt-get remove, and power off.
# Output is TAP lines on the second serial port, ttyS1, which tests/e2e/run
# collects. The console, ttyS0, is no place for them: its getty hangs the
# terminal up when it starts, and later writes fail.
exec >/dev/ttyS1 2>&1
# shellcheck source-path=SCRIPTDIR source=../vm/suites/tap.sh
. /e2e/tap.sh

state=/var/lib/ks-e2e
mkdir -p "$state"
step=$(cat "$state/step" 2>/dev/null || echo 1)
KS=/sys/kernel/security/killswitch

# monotonic SERVICE PROPERTY: a timestamp property in microseconds since boot.
monotonic() {
	systemctl show -P "$2" "$1"
}

inventory=$state/inventory
cat >"$inventory" <<INVENTORY
[killswitch]
localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3
INVENTORY
DRIFT_TASK="Report drift between the configuration and the kernel"
APPLY_TASK="Apply the configuration"
# The drift and apply runs of step 2 start at this task. The package tasks
# before it take most of a run's time under TCG, and the no-drift run before
# them has already shown that they change nothing.
LOAD_TASK="Load the module"

# playbook NAME [ARGS...]: run the fleet playbook on this guest with extra
# ansible-playbook ARGS, keep its output in $state/NAME.log, copy that here
# as TAP comments with the time of each task, and return the playbook's exit
# status. The task times come from ansible-core's junit callback. No
# killswitch_version is passed, so the playbook's default must match the
# .deb files that tests/e2e/run copied from make deb.
playbook() {
	local name=$1 status=0 start
	shift
	start=$(date +%s)
	ANSIBLE_NOCOLOR=1 ANSIBLE_CALLBACKS_ENABLED=junit JUNIT_OUTPUT_DIR="$state/junit-$name" \
		JUNIT_HIDE_TASK_ARGUMENTS=true \
		ansible-playbook -v -i "$inventory" /e2e/killswitch.yml -e killswitch_deb_dir=/e2e/debs "$@" \
		>"$state/$name.log" 2>&1 </dev/null || status=$?
	sed 's/^/#   /' "$state/$name.log"
	cat "$state/junit-$name"/*.xml 2>/dev/null |
		sed -nE 's/.*<testcase [^>]*name="\[localhost\] [^:]*: ([^"]*)" time="([0-9]+)(\.[0-9])?[^"]*".*/# e2e:   \2\3 s  \1/p'
	echo "# e2e: playbook run '$name' took $(($(date +%s) - start)) s, exit status $status"
	return "$status"
}

# task_status NAME TASK: print the status (ok, changed, skipping, failed or
# fatal) that the playbook output of NAME shows for TASK, one word per loop
# item, on one line.
task_status() {
	awk -v header="TASK [$2]" '
		/^TASK \[/ { in_task = substr($0, 1, length(header)) == header; next }
		/^PLAY RECAP/ { in_task = 0 }
		in_task && /^(ok|changed|skipping|failed|fatal): \[localhost\]/ { sub(/:.*/, ""); print }
	' "$state/$1.log" | paste -sd' '
}

# recap NAME: print the PLAY RECAP line of the playbook output of NAME.
recap() {
	grep -E '^localhost +: ' "$state/$1.log" | tr -s ' '
}

echo "# e2e: step $step, kernel $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime) s"

case $step in
1)
	# The VM boots the initrd cached on the host, so regenerating the
	# guest's own for the package's initramfs hook would only cost minutes.
	sed -i 's/^update_initramfs=.*/update_initramfs=no/' /etc/initramfs-tools/update-initramfs.conf
	# The install run includes the DKMS build.
	status=0
	playbook install || status=$?
	is "$status" 0 "the playbook exits 0 on the first run"
	is "$(task_status install "Install the packages")" "changed changed" \
		"the playbook installs killswitch-dkms and killswitch-tools"
	is "$(task_status install "Install the fleet configuration drop-in")" changed \
		"the playbook installs 40-fleet.conf"
	is "$(task_status install "$DRIFT_TASK")" changed \
		"the playbook reports drift while the module is not loaded"
	is "$(task_status install "$APPLY_TASK")" skipping "a plain run applies nothing"
	like "$(recap install)" "^localhost : ok=[0-9]+ changed=[1-9][0-9]* unreachable=0 failed=0 " \
		"the first run's recap shows changes and no failure"
	like "$(cat /etc/killswitch.d/40-fleet.conf)" "^engage af_alg:af_alg_sendmsg -EPERM" \
		"40-fleet.conf engages af_alg_sendmsg with EPERM"
	like "$(dkms status killswitch)" "killswitch/.*$(uname -r).*installed" "DKMS built and installed the module"
	ok "modinfo finds killswitch" modinfo killswitch
	is "$(systemctl is-enabled killswitch.service)" enabled "killswitch.service is enabled"
	is "$(cat /sys/module/killswitch/initstate 2>/dev/null)" "" "the package does not load the module"

	echo 2 >"$state/step"
	echo "# e2e: rebooting"
	sync
	systemctl reboot
	;;
2)
	is "$(systemctl is-active killswitch.service)" active "killswitch.service ran at boot"
	like "$(cat $KS/engaged 2>/dev/null)" "^af_alg:af_alg_sendmsg retval=-1 hits=0 state=pending" \
		"af_alg_sendmsg is engaged as pending after boot"
	done_at=$(monotonic killswitch.service ExecMainExitTimestampMonotonic)
	logins_at=$(monotonic systemd-user-sessions.service ActiveEnterTimestampMonotonic)
	getty_at=$(monotonic serial-getty@ttyS0.service ActiveEnterTimestampMonotonic)
	echo "# e2e: killswitch.service done at ${done_at} us, logins allowed at ${logins_at} us, serial getty at ${getty_at} us"
	ok "engaged before logins were allowed" test "$done_at" -gt 0 -a "$done_at" -lt "$logins_at"
	ok "engaged before the serial getty started" test "$done_at" -lt "$getty_at"
	like "$(journalctl -b -u killswitch.service --no-pager)" "engage +af_alg:af_alg_sendmsg" \
		"the boot's journal shows what apply engaged"

	output=$(/e2e/ks-afalg authencesn sendmsg 2>&1)
	like "$output" "failed errno=EPERM" "AF_ALG sendmsg is refused with EPERM"
	like "$(cat $KS/engaged)" "^af_alg:af_alg_sendmsg retval=-1 hits=[1-9]" "the refused call is counted"

	apply_output=$(ksctl apply 2>&1)
	is "$?" 0 "ksctl apply exits 0 after boot"
	like "$apply_output" "no change" "ksctl apply reports no change"

	status=0
	playbook no-drift || status=$?
	is "$status" 0 "the playbook exits 0 after boot"
	is "$(task_status no-drift "$DRIFT_TASK")" ok "the playbook reports no drift after boot"
	is "$(task_status no-drift "Install the packages")" "ok ok" "the playbook leaves the installed packages"

	ok "ksctl disengage af_alg:af_alg_sendmsg" ksctl disengage af_alg:af_alg_sendmsg
	status=0
	playbook drift --start-at-task "$LOAD_TASK" || status=$?
	is "$status" 0 "the playbook exits 0 on drift"
	is "$(task_status drift "$DRIFT_TASK")" changed "the playbook reports the disengagement as drift"
	is "$(task_status drift "$APPLY_TASK")" skipping "a plain run does not apply"
	is "$(grep -c '^af_alg:af_alg_sendmsg ' $KS/engaged)" 0 "a plain run does not engage again"

	status=0
	playbook apply --start-at-task "$LOAD_TASK" -e killswitch_apply=true || status=$?
	is "$status" 0 "the playbook exits 0 with killswitch_apply=true"
	is "$(task_status apply "$APPLY_TASK")" changed "the playbook applies the configuration"
	like "$(cat $KS/engaged)" "^af_alg:af_alg_sendmsg retval=-1 " \
		"killswitch_apply=true engages af_alg_sendmsg again"

	ok "apt-get remove killswitch-dkms killswitch-tools" \
		env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q killswitch-dkms killswitch-tools
	ok "no killswitch module is loaded" test ! -e /sys/module/killswitch
	ok "no engagement is left" test ! -e $KS/engaged
	ok "ks-afalg works again" /e2e/ks-afalg authencesn sendmsg --quiet
	is "$(dkms status killswitch)" "" "DKMS has no killswitch module left"
	ok "ksctl is gone" test ! -e /usr/sbin/ksctl
	echo 3 >"$state/step"
	tap_done
	echo "# e2e: done, status $?"
	sync
	systemctl poweroff
	;;
*)
	echo "# e2e: nothing to do at step $step"
	systemctl poweroff
	;;
esac
