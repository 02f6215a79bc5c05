# killswitch: top-level targets. See README.md.
#
#   make module     build killswitch.ko for the running kernel (KDIR=... for another)
#   make ksctl      build the admin command into build/cli/ksctl
#   make unit       host unit tests under AddressSanitizer and UBSan
#   make fuzz       a libFuzzer campaign on the grammar (FUZZ_RUNS=... executions)
#   make lint       checkpatch --strict and sparse on the kernel code
#   make lint-catalog
#                   check every catalog/*.json with ksctl catalog lint
#   make check      everything: unit tests, lint, and the VM suites on both kernels
#   make check-debug-kernel
#                   the VM suites on a KASAN, lockdep and kmemleak kernel built
#                   from Debian's 6.1 source (built once, then cached)
#   make bench      the engagement cost benchmarks in the VMs of both
#                   kernels (about 25 minutes); see docs/performance.md
#   make check-e2e  install the packages in a Debian 12 VM, reboot, check the
#                   engagement, remove them (tests/e2e/run; make check runs it too)
#   make deb        the Debian packages killswitch-dkms and killswitch-tools
#                   in build/deb, checked with lintian
#   make demo       the Copy Fail mitigation, step by step, in a VM of Debian's kernel
#                   (KERNEL=6.12 for the backports kernel)

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?= 6.1 6.12
KERNEL ?= 6.1

CC ?= cc
UNIT_CFLAGS = -std=c11 -Wall -Wextra -Werror -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Icommon
BUILD = build
FUZZ_RUNS ?= 1000000

all: module

module:
	$(MAKE) -C module KDIR=$(KDIR)

$(BUILD)/unit/test_grammar: tests/unit/test_grammar.c common/ks_grammar.c \
		common/ks_grammar.h common/ks_errno_table.h
	@mkdir -p $(dir $@)
	$(CC) $(UNIT_CFLAGS) -o $@ tests/unit/test_grammar.c common/ks_grammar.c -lcmocka

ksctl:
	$(MAKE) -C cli BUILD_DIR=$(CURDIR)/$(BUILD)/cli

include tests/unit/cli/unit.mk

unit: $(BUILD)/unit/test_grammar $(KSCTL_UNIT_TESTS)
	CMOCKA_MESSAGE_OUTPUT=TAP $(BUILD)/unit/test_grammar
	$(MAKE) --no-print-directory ksctl-unit

fuzz:
	tests/fuzz/run $(FUZZ_RUNS)

lint:
	tests/lint-kernel

lint-catalog:
	tests/lint-catalog

check:
	KERNELS="$(KERNELS)" tests/check

check-debug-kernel:
	tests/debug-kernel/build
	KERNELS=debug tests/check

demo:
	demo/copy-fail --kernel $(KERNEL)

bench:
	KERNELS="$(KERNELS)" bench/run

deb:
	packaging/build-deb

check-e2e:
	tests/e2e/run

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C module KDIR=$(KDIR) clean

.PHONY: all module ksctl unit fuzz lint lint-catalog check check-debug-kernel demo bench deb check-e2e clean
