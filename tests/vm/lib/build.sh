# shellcheck shell=bash
# Build steps of tests/vm/run: the kernel module for one kernel and the
# statically linked test programs. Sourced by tests/vm/run. Compiler output
# goes to stderr, so standard output carries only the test's output.

# Returns success if OUTPUT is missing or any file under the given directories
# is newer than it.
needs_rebuild() {
	local output=$1
	shift
	[ -e "$output" ] || return 0
	[ -n "$(find "$@" -newer "$output" -print -quit 2>/dev/null)" ]
}

# Build killswitch.ko against the headers of one kernel and print its path.
# module/ and common/ are copied into build/ABI/src first, so that the
# builds for different kernels never share object files.
build_module() {
	local repo=$1 abi=$2 kdir=$3
	local src=$repo/build/$abi/src

	rm -rf "$src"
	mkdir -p "$src"
	cp -a "$repo/module" "$repo/common" "$src/"

	if ! make -C "$src/module" KDIR="$kdir" >&2; then
		echo "vm: building the module for $abi failed (compiler output above)" >&2
		return 1
	fi
	if [ ! -f "$src/module/killswitch.ko" ]; then
		echo "vm: the module build for $abi did not produce $src/module/killswitch.ko" >&2
		return 1
	fi

	# A kernel built here (the debug kernel) keeps its module signing key,
	# so the module can be signed and loaded under lockdown. Debian's header
	# packages carry no key, and the module stays unsigned.
	if [ -f "$kdir/certs/signing_key.pem" ] && [ -x "$kdir/scripts/sign-file" ]; then
		if ! "$kdir/scripts/sign-file" sha512 "$kdir/certs/signing_key.pem" \
			"$kdir/certs/signing_key.x509" "$src/module/killswitch.ko" >&2; then
			echo "vm: signing the module with $kdir/certs/signing_key.pem failed" >&2
			return 1
		fi
	fi
	echo "$src/module/killswitch.ko"
}

# Compile every tests/progs/*.c into a static binary in build/progs. A
# program is rebuilt when any file in tests/progs or common/ is newer than
# its binary, because the programs may include headers from both. Each is
# linked with the shared control grammar (a few KB), which ks-badwrite uses
# to predict the kernel's answers.
build_progs() {
	local repo=$1
	local progs=$repo/tests/progs out=$repo/build/progs
	local source name

	for source in "$progs"/*.c; do
		[ -e "$source" ] || continue
		name=$(basename "$source" .c)
		if ! needs_rebuild "$out/$name" "$progs" "$repo/common"; then
			continue
		fi

		echo "vm: compiling tests/progs/$name.c" >&2
		mkdir -p "$out"
		if ! (cd "$progs" && gcc -O2 -Wall -Wextra -static -I"$repo/common" \
			-o "$out/$name.tmp" "$name.c" "$repo/common/ks_grammar.c" -lcrypto) >&2; then
			rm -f "$out/$name.tmp"
			echo "vm: compiling tests/progs/$name.c failed (compiler output above)" >&2
			return 1
		fi
		mv "$out/$name.tmp" "$out/$name"
	done

	build_ksctl "$repo"
}

# Print the paths of the built test programs, one per line, for the sources
# that exist now. Binaries of deleted sources are left out.
list_progs() {
	local repo=$1 source name
	for source in "$repo"/tests/progs/*.c; do
		[ -e "$source" ] || continue
		name=$(basename "$source" .c)
		echo "$repo/build/progs/$name"
	done
}

# Build ksctl, dynamically linked, into build/cli, and set ksctl_binary to
# its path and ksctl_catalog_dir to the catalog for install_ksctl. make
# rebuilds only what changed.
build_ksctl() {
	local repo=$1
	if ! make -C "$repo/cli" BUILD_DIR="$repo/build/cli" >&2; then
		echo "vm: building ksctl failed (compiler output above)" >&2
		return 1
	fi
	ksctl_binary=$repo/build/cli/ksctl
	ksctl_catalog_dir=$repo/catalog
}
