# ksctl unit tests, included by the top-level Makefile. They link the ksctl
# objects, built here with UNIT_CFLAGS (AddressSanitizer and UBSan), and run
# on the fixtures of tests/unit/fixtures, unpacked into build/unit/fixtures.

KSCTL_PACKAGES = libbpf libkmod json-c liblzma libelf
KSCTL_UNIT_CFLAGS = $(UNIT_CFLAGS) -Icli -Itests/unit/cli \
	$(shell pkg-config --cflags $(KSCTL_PACKAGES)) \
	-DFIXTURES_DIR='"$(CURDIR)/$(BUILD)/unit/fixtures"' \
	-DCATALOG_FIXTURES='"$(CURDIR)/tests/unit/fixtures/catalog"' \
	-DREPO_CATALOG='"$(CURDIR)/catalog"'
KSCTL_UNIT_LIBS = $(shell pkg-config --libs $(KSCTL_PACKAGES)) -lcmocka

KSCTL_UNIT_SOURCES = $(filter-out cli/main.c,$(wildcard cli/*.c)) common/ks_grammar.c \
	tests/unit/cli/helpers.c
KSCTL_UNIT_HEADERS = $(wildcard cli/*.h) tests/unit/cli/helpers.h common/ks_grammar.h
KSCTL_UNIT_TESTS = $(BUILD)/unit/test_cli_leaves $(BUILD)/unit/test_cli_preflight \
	$(BUILD)/unit/test_cli_commands $(BUILD)/unit/test_cli_observe \
	$(BUILD)/unit/test_cli_catalog $(BUILD)/unit/test_cli_config
KSCTL_FIXTURES = $(BUILD)/unit/fixtures/.unpacked

$(BUILD)/unit/test_cli_%: tests/unit/cli/test_%.c $(KSCTL_UNIT_SOURCES) \
		$(BUILD)/unit/ksctl_main.o $(KSCTL_UNIT_HEADERS) $(KSCTL_FIXTURES)
	@mkdir -p $(dir $@)
	$(CC) $(KSCTL_UNIT_CFLAGS) -o $@ $< $(KSCTL_UNIT_SOURCES) \
		$(BUILD)/unit/ksctl_main.o $(KSCTL_UNIT_LIBS)

# main.c holds the shared argument parser the commands call. Its main() is
# renamed so that it does not clash with the test's own.
$(BUILD)/unit/ksctl_main.o: cli/main.c $(KSCTL_UNIT_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(KSCTL_UNIT_CFLAGS) -Dmain=ksctl_main -c -o $@ $<

# The vmlinux BTF is committed xz-compressed; libbpf reads it raw.
$(KSCTL_FIXTURES): $(shell find tests/unit/fixtures -type f)
	rm -rf $(BUILD)/unit/fixtures
	@mkdir -p $(BUILD)/unit/fixtures
	cp -a tests/unit/fixtures/6.1 tests/unit/fixtures/6.12 $(BUILD)/unit/fixtures/
	xz -d $(BUILD)/unit/fixtures/*/sys/kernel/btf/vmlinux.xz
	touch $@

ksctl-unit: $(KSCTL_UNIT_TESTS)
	for test in $(KSCTL_UNIT_TESTS); do \
		CMOCKA_MESSAGE_OUTPUT=TAP $$test || exit 1; \
	done

.PHONY: ksctl-unit
