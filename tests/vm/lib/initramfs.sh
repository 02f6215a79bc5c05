# shellcheck shell=bash
# Initramfs builder for tests/vm/run. Sourced by tests/vm/run.
#
# The guest's initramfs is two compressed cpio archives joined end to end,
# which the kernel unpacks in order into the same root file system:
#  - base.cpio.zst, cached per kernel ABI in build/ABI/initramfs: bash,
#    busybox, kmod and the kernel's own modules. It is rebuilt only when this
#    file, the kernel or a host binary it copies changes.
#  - overlay.cpio.zst, built for every run: /init, the module index, the
#    killswitch module, the test programs, the test script and its files.

# Host binaries copied into the guest.
busybox_binary=/bin/busybox
bash_binary=/bin/bash-static
kmod_binary=/usr/bin/kmod
gconv_dir=/usr/lib/x86_64-linux-gnu/gconv

# Module tools that kmod provides in the guest, in place of busybox's own.
kmod_tools=(modprobe insmod rmmod lsmod depmod modinfo)

# zstd levels. The base archive is built once per kernel, and level 10 makes
# the 6.1 one 22 MB in place of 25 MB at level 3 (measured with zstd 1.5.4,
# 3.4 s instead of 0.5 s on 2 cores). The small overlay is built every run.
base_zstd_level=10
# shellcheck disable=SC2034 # Used by tests/vm/run.
overlay_zstd_level=3

# Print the shared libraries and the dynamic loader that BINARY needs, one
# path per line, as ldd reports them.
list_shared_libraries() {
	ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

# Copy a host file into STAGE at the same path, following symbolic links.
copy_into_stage() {
	local path=$1 stage=$2
	mkdir -p "$stage$(dirname "$path")"
	cp -L "$path" "$stage$path"
}

# Print a text that changes whenever an input of the base archive changes.
describe_base_inputs() {
	local tree=$1 abi=$2
	echo "abi $abi"
	echo "tree $tree"
	echo "version $(cat "$tree/.version")"
	sha256sum "${BASH_SOURCE[0]}" "$busybox_binary" "$bash_binary" "$kmod_binary"
	list_shared_libraries "$kmod_binary" | xargs sha256sum
}

# bash-static is /bin/bash and /bin/sh. busybox's own sh would run busybox
# applets such as modprobe before searching PATH, bypassing kmod.
install_shells() {
	local stage=$1
	cp "$bash_binary" "$stage/bin/bash"
	ln -s bash "$stage/bin/sh"
}

# Link every busybox applet at the path busybox reports, except the shells,
# the module tools and the busybox binary itself.
install_busybox() {
	local stage=$1 path name
	local skip=" sh bash busybox ${kmod_tools[*]} "

	cp "$busybox_binary" "$stage/bin/busybox"
	while read -r path; do
		name=${path##*/}
		# Entries without a directory, such as linuxrc, would go into /,
		# and the VM does not need them.
		[[ $path == */* ]] || continue
		[[ $skip == *" $name "* ]] && continue
		[ -e "$stage/$path" ] && continue
		mkdir -p "$stage/$(dirname "$path")"
		ln -s /bin/busybox "$stage/$path"
	done < <("$busybox_binary" --list-full)
}

# Install kmod with its libraries and link the module tools to it. kmod picks
# the tool to run from the name it was called by.
install_kmod() {
	local stage=$1 library tool
	copy_into_stage "$kmod_binary" "$stage"
	while read -r library; do
		copy_into_stage "$library" "$stage"
	done < <(list_shared_libraries "$kmod_binary")

	# The kernel runs /sbin/modprobe (CONFIG_MODPROBE_PATH) to autoload.
	for tool in "${kmod_tools[@]}"; do
		ln -s "$kmod_binary" "$stage/sbin/$tool"
	done
}

# Copy the kernel's stock modules as they are (6.12 ships them as .ko.xz,
# which kmod loads). Of drivers/ and sound/ (about 300 MB for 6.1), only the
# virtual network and block devices that a test can create without hardware
# are kept. The VM needs no other modular driver, because Debian builds the
# serial ports, the console and the initramfs support into the kernel.
# NOTE: the few modules under fs/ and net/ that depend on a left-out driver
# (isofs on cdrom, rpcrdma on InfiniBand, for example) fail to load.
install_kernel_modules() {
	local stage=$1 tree=$2 abi=$3
	local source=$tree/root/lib/modules/$abi target=$stage/lib/modules/$abi
	local directory file

	mkdir -p "$target/kernel"
	for directory in "$source"/kernel/*/; do
		case $(basename "$directory") in
		drivers | sound) continue ;;
		esac
		cp -a "$directory" "$target/kernel/"
	done

	# dummy, veth, tun, macvlan, vrf and the like sit directly in
	# drivers/net.
	(
		cd "$source/kernel" || exit 1
		cp -a --parents drivers/net/*.ko* drivers/net/ppp drivers/net/vxlan \
			drivers/block/loop.ko* drivers/block/brd.ko* drivers/block/null_blk \
			"$target/kernel/"
	)

	for file in modules.builtin modules.builtin.modinfo modules.order; do
		cp "$source/$file" "$target/"
	done
}

# Users and groups. nobody and nogroup have the ids that Debian gives them.
install_accounts() {
	local stage=$1
	cat >"$stage/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
	cat >"$stage/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
}

# Fill STAGE with the files of the base archive.
stage_base() {
	local stage=$1 tree=$2 abi=$3

	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,lib64,etc,dev,proc,sys,run,tmp,root}
	chmod 1777 "$stage/tmp"
	chmod 0700 "$stage/root"
	# The kernel opens /dev/console for /init before /init can mount devtmpfs.
	mknod -m 600 "$stage/dev/console" c 5 1

	install_shells "$stage"
	install_busybox "$stage"
	install_kmod "$stage"
	install_kernel_modules "$stage" "$tree" "$abi"
	install_accounts "$stage"
}

# Pack the contents of DIRECTORY into a zstd-compressed newc cpio archive,
# with every file owned by root. The entry of DIRECTORY itself is left out,
# so that the archive does not change the mode of the guest's /.
pack_cpio() {
	local directory=$1 output=$2 level=$3
	(cd "$directory" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null --create --format=newc --owner=root:root --quiet) |
		zstd -q -T0 "-$level" -f -o "$output"
}

# Build the base archive of one kernel unless an up-to-date one is cached.
# Prints the directory that contains base/ (the staged files) and
# base.cpio.zst.
build_base_archive() {
	local repo=$1 tree=$2 abi=$3
	local dir=$repo/build/$abi/initramfs
	local inputs

	mkdir -p "$dir"
	inputs=$(describe_base_inputs "$tree" "$abi")
	if [ -f "$dir/base.cpio.zst" ] && [ "$inputs" = "$(cat "$dir/base.inputs" 2>/dev/null)" ]; then
		echo "$dir"
		return 0
	fi

	echo "vm: building the base initramfs for $abi" >&2
	rm -rf "$dir/base" "$dir/base.cpio.zst" "$dir/base.inputs"
	stage_base "$dir/base" "$tree" "$abi"
	pack_cpio "$dir/base" "$dir/base.cpio.zst" "$base_zstd_level"
	echo "$inputs" >"$dir/base.inputs"
	echo "$dir"
}

# Write the guest's run configuration: the script's name and its arguments,
# quoted with printf %q so that /init can source the file and get every
# argument back byte for byte.
write_run_config() {
	local config=$1 script_name=$2
	shift 2
	local arg
	{
		printf 'script_name=%q\n' "$script_name"
		printf 'script_args=('
		for arg in "$@"; do
			printf ' %q' "$arg"
		done
		printf ' )\n'
	} >"$config"
}

# Index the stock modules together with killswitch.ko. The base modules are
# hard-linked into WORK_DIR, which is on the same file system as the base
# stage, because depmod needs every module under one root. Copies the
# killswitch module and the index files into the overlay stage.
install_module_index() {
	local overlay=$1 work_dir=$2 base_stage=$3 abi=$4 module=$5
	local index_root=$work_dir/depmod
	local modules=$index_root/lib/modules/$abi

	mkdir -p "$index_root/lib/modules"
	cp -al "$base_stage/lib/modules/$abi" "$modules"
	mkdir -p "$modules/extra"
	cp "$module" "$modules/extra/killswitch.ko"
	depmod -b "$index_root" "$abi"

	mkdir -p "$overlay/lib/modules/$abi/extra"
	cp "$modules/extra/killswitch.ko" "$overlay/lib/modules/$abi/extra/"
	cp "$modules"/modules.* "$overlay/lib/modules/$abi/"
}

# Create the overlay stage with its directories and /init.
stage_overlay() {
	local overlay=$1 init=$2
	mkdir -p "$overlay"/{etc,root,usr/local/bin}
	chmod 0700 "$overlay/root"
	install -m 0755 "$init" "$overlay/init"
	install_ksctl "$overlay"
	install_ksmbd_tools "$overlay"
}

# Install ksctl, built by build_ksctl, into /usr/local/bin with the shared
# libraries it needs and the catalog where make install puts it
# (/usr/local/share/killswitch/catalog); jq with its libraries for the JSON
# checks of the ksctl suite; and, for the catalog suite, iproute2's ip as
# /usr/sbin/ip for the xfrm states (busybox's /sbin/ip has no xfrm) and nft
# for nf_tables rules. All are dynamically linked, like kmod.
install_ksctl() {
	local stage=$1 binary library
	[ -n "${ksctl_binary:-}" ] || return 0

	mkdir -p "$stage/usr/local/bin" "$stage/usr/local/share/killswitch/catalog"
	install -m 0755 "$ksctl_binary" "$stage/usr/local/bin/ksctl"
	cp "${ksctl_catalog_dir:?}"/*.json "$stage/usr/local/share/killswitch/catalog/"
	for binary in "$ksctl_binary" /usr/bin/jq /usr/sbin/ip /usr/sbin/nft; do
		if [ ! -x "$binary" ]; then
			echo "vm: $binary is missing, so the guest has no $(basename "$binary"): run tests/install-deps" >&2
			continue
		fi
		[ "$binary" = "$ksctl_binary" ] || copy_into_stage "$binary" "$stage"
		while read -r library; do
			copy_into_stage "$library" "$stage"
		done < <(list_shared_libraries "$binary")
	done
}

# Install ksmbd-tools from the tree that fetch-ksmbd-tools unpacked (in
# ksmbd_tools_dir) with its libraries: one binary, ksmbd.tools, which acts as
# the tool it is called by, so ksmbd.mountd and ksmbd.adduser link to it as
# in the package. The catalog suite serves a share with it.
install_ksmbd_tools() {
	local stage=$1 binary tool library
	[ -n "${ksmbd_tools_dir:-}" ] || return 0

	binary=$ksmbd_tools_dir/usr/libexec/ksmbd.tools
	mkdir -p "$stage/usr/libexec" "$stage/usr/sbin"
	install -m 0755 "$binary" "$stage/usr/libexec/ksmbd.tools"
	for tool in mountd adduser addshare control; do
		ln -s ../libexec/ksmbd.tools "$stage/usr/sbin/ksmbd.$tool"
	done
	while read -r library; do
		copy_into_stage "$library" "$stage"
	done < <(list_shared_libraries "$binary")

	# glib converts passwords and names to UTF-16LE through iconv, which
	# loads glibc's converter from the gconv folder.
	copy_into_stage "$gconv_dir/gconv-modules" "$stage"
	cp -r "$gconv_dir/gconv-modules.d" "$stage$gconv_dir/"
	copy_into_stage "$gconv_dir/UTF-16.so" "$stage"
}
