/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MADT parser of xen/arch/x86/acpi/madt.c: random tables, each in a
 * heap block of exactly its length so that AddressSanitizer catches any
 * read past the end, checked against a walk of the same entries done
 * here; then the boot summary that acpi_madt_init() prints.
 */
#include "harness.h"
#include "shim.h"

#include <asm/acpi.h>

/* acpi_madt_init() gets its table from here. */
static const struct acpi_table_header *live_table;

const struct acpi_table_header *acpi_find_table(const char sig[4],
                                                unsigned int instance)
{
    return !memcmp(sig, "APIC", 4) && !instance ? live_table : NULL;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned int rnd(unsigned int bound)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % bound;
}

static uint8_t tbl[4096];
static size_t tlen;
static struct acpi_madt_info info;

static void start(uint32_t flags)
{
    struct acpi_madt *m = (void *)tbl;

    memset(tbl, 0, sizeof(tbl));
    memcpy(m->header.signature, "APIC", 4);
    m->lapic_address = 0xfee00000;
    m->flags = flags;
    tlen = sizeof(*m);
}

static void *put(uint8_t type, uint8_t length)
{
    uint8_t *e = tbl + tlen;

    e[0] = type;
    e[1] = length;
    tlen += length;
    return e;
}

static void cpu(uint32_t id, uint32_t flags)
{
    if ( id < 0xff )
    {
        struct acpi_madt_local_apic *l = put(0, sizeof(*l));

        l->apic_id = id;
        l->processor_uid = id;
        l->flags = flags;
    }
    else
    {
        struct acpi_madt_local_x2apic *x = put(9, sizeof(*x));

        x->x2apic_id = id;
        x->processor_uid = id;
        x->flags = flags;
    }
}

static void finish(void)
{
    ((struct acpi_madt *)tbl)->header.length = tlen;
}

/* Parses the first len bytes of tbl from a block of exactly that size. */
static bool parse_exact(size_t len)
{
    void *copy = malloc(len ? len : 1);
    bool ok;

    memcpy(copy, tbl, len);
    ok = acpi_madt_parse(copy, len, &info);
    free(copy);

    return ok;
}

TEST(good_table)
{
    struct acpi_madt_io_apic *io;

    start(ACPI_MADT_PCAT_COMPAT);
    cpu(0, ACPI_MADT_ENABLED);
    cpu(0x1234, ACPI_MADT_ENABLED);
    cpu(5, ACPI_MADT_ONLINE_CAPABLE);
    io = put(ACPI_MADT_TYPE_IO_APIC, sizeof(*io));
    io->id = 2;
    io->address = 0xfec00000;
    io->gsi_base = 16;
    finish();

    printk_clear();
    CHECK(parse_exact(tlen));
    CHECK_EQ(printk_calls(), 0);
    CHECK(info.present && info.pcat_compat && !info.truncated);
    CHECK_EQ(info.nr_cpus, 3);
    CHECK_EQ(info.nr_cpus_enabled, 2);
    CHECK_EQU(info.cpus[1].apic_id, 0x1234);
    CHECK(info.cpus[1].x2apic && !info.cpus[0].x2apic);
    CHECK(!info.cpus[2].enabled && info.cpus[2].online_capable);
    CHECK_EQ(info.nr_io_apics, 1);
    CHECK_EQU(info.io_apics[0].address, 0xfec00000);
    CHECK_EQ(info.io_apics[0].gsi_base, 16);
}

TEST(malformed_entries_are_reported)
{
    start(0);
    cpu(1, ACPI_MADT_ENABLED);
    put(ACPI_MADT_TYPE_IO_APIC, 6);     /* too short for its type */
    put(0x42, 3);                       /* unknown */
    cpu(2, ACPI_MADT_ENABLED);
    tbl[tlen++] = ACPI_MADT_TYPE_LOCAL_APIC;    /* impossible length */
    tbl[tlen++] = 1;
    cpu(3, ACPI_MADT_ENABLED);
    finish();

    printk_clear();
    CHECK(parse_exact(tlen));
    CHECK_EQ(info.nr_cpus, 2);
    CHECK_EQ(info.nr_short, 1);
    CHECK_EQ(info.nr_unknown, 1);
    CHECK(info.truncated);
    CHECK_EQ(printk_count("<1>ACPI: MADT: type 1 entry at offset 0x34 has 6 "
                          "bytes, 12 needed; skipped\n"), 1);
    CHECK_EQ(printk_count("<1>ACPI: MADT: malformed entry at offset 0x45 "
                          "(length 1, 10 bytes left); ignoring the rest\n"), 1);

    /* Every cut of the table parses without reading past the cut. */
    for ( size_t len = 0; len < tlen; len++ )
        CHECK(parse_exact(len) == (len >= sizeof(struct acpi_madt)));
}

TEST(limits_and_duplicates)
{
    unsigned int i;

    start(0);
    for ( i = 0; i < MADT_MAX_CPUS + 5; i++ )
        cpu(i % 2 ? 0x1000 + i : i, ACPI_MADT_ENABLED);
    cpu(0, ACPI_MADT_ENABLED);
    finish();

    printk_clear();
    CHECK(parse_exact(tlen));
    CHECK_EQ(info.nr_cpus, MADT_MAX_CPUS);
    CHECK_EQ(info.nr_cpus_dropped, 6);
    CHECK_EQ(info.nr_cpus_duplicate, 0);
    CHECK_EQ(printk_count("6 CPU entries beyond the first"), 1);

    start(0);
    for ( i = 0; i < 10; i++ )
        cpu(7, 0);
    finish();
    printk_clear();
    CHECK(parse_exact(tlen));
    CHECK_EQ(info.nr_cpus, 1);
    CHECK_EQ(info.nr_cpus_duplicate, 9);
    /* A few reported one by one, then one line for them all. */
    CHECK_EQ(printk_count("listed again; skipped"), 4);
    CHECK_EQ(printk_count("9 duplicate APIC IDs skipped in all"), 1);
}

/* The oracle: processor entries a careful walk of tbl[0, len) finds. */
static unsigned int count_cpu_entries(size_t len, bool *truncated)
{
    size_t off = sizeof(struct acpi_madt);
    unsigned int n = 0;

    *truncated = false;
    while ( off < len )
    {
        if ( len - off < 2 || tbl[off + 1] < 2 || tbl[off + 1] > len - off )
        {
            *truncated = true;
            break;
        }
        n += (tbl[off] == 0 && tbl[off + 1] >= 8) ||
             (tbl[off] == 9 && tbl[off + 1] >= 16);
        off += tbl[off + 1];
    }

    return n;
}

TEST(random_tables)
{
    static const uint8_t types[] = { 0, 1, 2, 3, 4, 5, 9, 0xa, 0x7f };
    unsigned int round;

    for ( round = 0; round < 20000; round++ )
    {
        size_t len, hlen;
        unsigned int i, j, enabled = 0;
        bool truncated, ok;

        start(rnd(2));
        while ( tlen < 44 + rnd(400) )
        {
            uint8_t type = types[rnd(ARRAY_SIZE(types))];
            uint8_t elen = rnd(8) ? 2 + rnd(16) : rnd(256);

            if ( tlen + 2 + elen > sizeof(tbl) )
                break;
            /* Mostly small IDs, so that duplicates happen. */
            for ( i = 2; i < elen; i++ )
                tbl[tlen + i] = rnd(4) ? rnd(4) : rnd(256);
            put(type, elen);
            if ( elen < 2 )
                tlen += 2 - elen;
        }
        finish();
        len = rnd(4) ? tlen : rnd(tlen + 1);
        if ( !rnd(8) )
            ((struct acpi_madt *)tbl)->header.length = rnd(tlen + 64);
        hlen = ((struct acpi_madt *)tbl)->header.length;

        ok = parse_exact(len);
        if ( len < sizeof(struct acpi_madt) || hlen < sizeof(struct acpi_madt) )
        {
            CHECK(!ok && !info.present && !info.nr_cpus);
            continue;
        }
        CHECK(ok && info.present);
        CHECK_EQ(info.nr_cpus + info.nr_cpus_dropped + info.nr_cpus_duplicate,
                 count_cpu_entries(hlen < len ? hlen : len, &truncated));
        CHECK_EQ(info.truncated, truncated);
        CHECK(info.nr_cpus <= MADT_MAX_CPUS);
        CHECK(info.nr_io_apics <= MADT_MAX_IO_APICS);
        CHECK(info.nr_overrides <= MADT_MAX_OVERRIDES);
        CHECK(info.nr_nmis <= MADT_MAX_NMIS);
        for ( i = 0; i < info.nr_cpus; i++ )
        {
            enabled += info.cpus[i].enabled;
            CHECK(!(info.cpus[i].enabled && info.cpus[i].online_capable));
            for ( j = 0; j < i; j++ )
                CHECK(info.cpus[i].apic_id != info.cpus[j].apic_id);
        }
        CHECK_EQ(info.nr_cpus_enabled, enabled);
    }
}

TEST(summary)
{
    start(ACPI_MADT_PCAT_COMPAT);
    cpu(0, ACPI_MADT_ENABLED);
    cpu(1, ACPI_MADT_ENABLED);
    cpu(2, ACPI_MADT_ENABLED);
    cpu(4, ACPI_MADT_ENABLED);
    cpu(6, ACPI_MADT_ONLINE_CAPABLE);
    cpu(7, 0);
    finish();

    live_table = (const void *)tbl;
    printk_clear();
    acpi_madt_init();
    CHECK_STR(printk_output(),
              "ACPI: MADT: 6 CPUs (4 enabled), local APIC at 0xfee00000, "
              "0 IO-APICs, 0 interrupt overrides, 0 NMI entries, PC-AT PICs "
              "present\n"
              "ACPI: MADT: APIC IDs 0-2 4\n"
              "ACPI: MADT: disabled APIC IDs 6-7 (1 online capable)\n");
    CHECK_EQ(acpi_madt.nr_cpus, 6);
    CHECK_EQU(acpi_madt.lapic_addr, 0xfee00000);

    /* Huge IDs overflow the line: it is cut, and says so. */
    start(0);
    for ( unsigned int i = 0; i < 64; i++ )
        cpu(4000000000U + 2 * i, ACPI_MADT_ENABLED);
    finish();
    printk_clear();
    acpi_madt_init();
    CHECK(strstr(printk_output(), "no PC-AT PICs\n"));
    CHECK(strstr(printk_output(), "APIC IDs 4000000000 4000000002 "));
    CHECK(strstr(printk_output(), "...\n"));

    live_table = NULL;
    printk_clear();
    acpi_madt_init();
    CHECK_STR(printk_output(), "<1>ACPI: no usable MADT: only the boot CPU "
              "will run; 8259s assumed\n");
    CHECK(!acpi_madt.present && !acpi_madt.nr_cpus && acpi_madt.pcat_compat);
    CHECK_EQU(acpi_madt.lapic_addr, 0);
}
