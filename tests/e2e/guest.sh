#!/bin/bash
# The end-to-end test's steps inside the Debian 12 guest, run by
# ks-e2e.service from the second disk (/e2e) at every boot. The step number
# is kept in /var/lib/ks-e2e/step on the root disk:
#   1  install the two packages (DKMS builds the module here), write a
#      configuration that engages af_alg_sendmsg, and reboot
#   2  check the engagement after boot, AF_ALG refused, ksctl apply
#      unchanged, then apt-get remove, and power off
# Output is TAP lines on the second serial port, ttyS1, which tests/e2e/run
# collects. The console, ttyS0, is no place for them: its getty hangs the
# terminal up when it starts, and later writes fail.
exec >/dev/ttyS1 2>&1
. /e2e/tap.sh

state=/var/lib/ks-e2e
mkdir -p "$state"
step=$(cat "$state/step" 2>/dev/null || echo 1)
KS=/sys/kernel/security/killswitch

# monotonic SERVICE PROPERTY: a timestamp property in microseconds since boot.
monotonic() {
	systemctl show -P "$2" "$1"
}

echo "# e2e: step $step, kernel $(uname -r), uptime $(cut -d' ' -f1 /proc/uptime) s"

case $step in
1)
	# The VM boots the initrd cached on the host, so regenerating the
	# guest's own for the package's initramfs hook would only cost minutes.
	sed -i 's/^update_initramfs=.*/update_initramfs=no/' /etc/initramfs-tools/update-initramfs.conf
	start=$(date +%s)
	ok "dpkg -i killswitch-dkms and killswitch-tools" \
		env DEBIAN_FRONTEND=noninteractive dpkg -i /e2e/killswitch-dkms.deb /e2e/killswitch-tools.deb
	echo "# e2e: installing took $(($(date +%s) - start)) s (DKMS build included)"
	like "$(dkms status killswitch)" "killswitch/.*$(uname -r).*installed" "DKMS built and installed the module"
	ok "modinfo finds killswitch" modinfo killswitch
	is "$(systemctl is-enabled killswitch.service)" enabled "killswitch.service is enabled"
	is "$(cat /sys/module/killswitch/initstate 2>/dev/null)" "" "the package does not load the module"

	mkdir -p /etc/killswitch.d
	cat >/etc/killswitch.d/60-copy-fail.conf <<CONF
# CVE-2026-31431 (Copy Fail): block AF_ALG sendmsg.
engage af_alg_sendmsg
CONF
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
