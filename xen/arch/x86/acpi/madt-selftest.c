/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-test of the MADT parser: synthetic tables, good and broken, built
 * in a buffer and checked field by field; then the live table, which must
 * parse to what acpi_madt holds and list the boot CPU as enabled.
 */
#include <asm/acpi.h>
#include <asm/processor.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/string.h>
#include <xen/xmalloc.h>

/* Beyond every bound: more CPUs, IO-APICs, overrides and NMIs than kept. */
#define EXTRA_CPUS      3
#define EXTRA_IO_APICS  2
#define EXTRA_OVERRIDES 1
#define EXTRA_NMIS      2
#define MAX_ENTRIES                                                        \
    (MADT_MAX_CPUS + MADT_MAX_IO_APICS + MADT_MAX_OVERRIDES +              \
     MADT_MAX_NMIS + EXTRA_CPUS + EXTRA_IO_APICS + EXTRA_OVERRIDES +       \
     EXTRA_NMIS)
/* No entry built here is longer than an x2APIC one. */
#define BUF_SIZE                                                           \
    (sizeof(struct acpi_madt) +                                            \
     MAX_ENTRIES * sizeof(struct acpi_madt_local_x2apic))

static uint8_t *buf;
static size_t len;
static struct acpi_madt_info *info;

/* The first mismatch of the current case, reported with the case's name. */
static const char *what_case;
static const char *mismatch;

static void expect(const char *what, unsigned long got, unsigned long want)
{
    if ( !mismatch && got != want )
        mismatch = selftest_fail("%s: %s is %#lx, expected %#lx", what_case,
                                 what, got, want);
}
#define EXPECT(field, want) expect(#field, info->field, want)

static void start(const char *name, uint32_t flags)
{
    struct acpi_madt *m = (void *)buf;

    what_case = name;
    memset(buf, 0, BUF_SIZE);
    memcpy(m->header.signature, "APIC", 4);
    m->lapic_address = 0xfee00000;
    m->flags = flags;
    len = sizeof(*m);
}

/* Appends an entry of size bytes, claiming to be length bytes long. */
static void *put(uint8_t type, size_t size, uint8_t length)
{
    struct acpi_madt_entry *e = (void *)(buf + len);

    BUG_ON(len + size > BUF_SIZE);
    e->type = type;
    e->length = length;
    len += size;

    return e;
}

static void lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
    struct acpi_madt_local_apic *l = put(ACPI_MADT_TYPE_LOCAL_APIC,
                                         sizeof(*l), sizeof(*l));

    l->processor_uid = uid;
    l->apic_id = id;
    l->flags = flags;
}

static void x2apic(uint32_t id, uint32_t uid, uint32_t flags)
{
    struct acpi_madt_local_x2apic *x = put(ACPI_MADT_TYPE_LOCAL_X2APIC,
                                           sizeof(*x), sizeof(*x));

    x->x2apic_id = id;
    x->processor_uid = uid;
    x->flags = flags;
}

static void ioapic(uint8_t id, uint32_t address, uint32_t gsi_base)
{
    struct acpi_madt_io_apic *a = put(ACPI_MADT_TYPE_IO_APIC, sizeof(*a),
                                      sizeof(*a));

    a->id = id;
    a->address = address;
    a->gsi_base = gsi_base;
}

static void override(uint8_t source, uint32_t gsi, uint16_t flags)
{
    struct acpi_madt_int_override *o = put(ACPI_MADT_TYPE_INT_OVERRIDE,
                                           sizeof(*o), sizeof(*o));

    o->source = source;
    o->gsi = gsi;
    o->flags = flags;
}

static void lapic_nmi(uint8_t uid, uint16_t flags, uint8_t lint)
{
    struct acpi_madt_lapic_nmi *n = put(ACPI_MADT_TYPE_LAPIC_NMI,
                                        sizeof(*n), sizeof(*n));

    n->processor_uid = uid;
    n->flags = flags;
    n->lint = lint;
}

static void x2apic_nmi(uint32_t uid, uint16_t flags, uint8_t lint)
{
    struct acpi_madt_x2apic_nmi *n = put(ACPI_MADT_TYPE_X2APIC_NMI,
                                         sizeof(*n), sizeof(*n));

    n->processor_uid = uid;
    n->flags = flags;
    n->lint = lint;
}

static void lapic_override(uint64_t address)
{
    struct acpi_madt_lapic_override *o = put(ACPI_MADT_TYPE_LAPIC_OVERRIDE,
                                             sizeof(*o), sizeof(*o));

    o->address = address;
}

/* Sets the header's length to what was built and parses that. */
static bool parse(void)
{
    bool ok;

    ((struct acpi_madt *)buf)->header.length = len;
    acpi_madt_quiet = true;
    ok = acpi_madt_parse(buf, len, info);
    acpi_madt_quiet = false;

    return ok;
}

static void expect_cpu(unsigned int i, uint32_t id, uint32_t uid,
                       bool enabled, bool capable, bool x2)
{
    const struct acpi_madt_cpu *c = &info->cpus[i];

    expect("cpu apic_id", c->apic_id, id);
    expect("cpu acpi_uid", c->acpi_uid, uid);
    expect("cpu enabled", c->enabled, enabled);
    expect("cpu online_capable", c->online_capable, capable);
    expect("cpu x2apic", c->x2apic, x2);
}

static void expect_none_dropped(void)
{
    EXPECT(nr_cpus_dropped, 0);
    EXPECT(nr_cpus_duplicate, 0);
    EXPECT(nr_io_apics_dropped, 0);
    EXPECT(nr_overrides_dropped, 0);
    EXPECT(nr_nmis_dropped, 0);
}

static void case_mixed(void)
{
    start("mixed entries", ACPI_MADT_PCAT_COMPAT);
    lapic(0, 0, ACPI_MADT_ENABLED);
    ioapic(5, 0xfec00000, 0);
    lapic(1, 2, 0);
    override(0, 2, 0);
    lapic(2, 4, ACPI_MADT_ONLINE_CAPABLE);
    x2apic(0x100, 7, ACPI_MADT_ENABLED);
    override(9, 9, ACPI_MADT_TRIGGER_LEVEL | ACPI_MADT_POLARITY_HIGH);
    ioapic(6, 0xfec01000, 24);
    lapic_nmi(0xff, 5, 1);
    x2apic_nmi(7, 0, 0);
    lapic_override(0x1fee00000UL);
    put(0x7f, 5, 5);                                    /* unknown */
    put(ACPI_MADT_TYPE_LOCAL_APIC, 4, 4);               /* too short */
    lapic(3, 6, ACPI_MADT_ENABLED | ACPI_MADT_ONLINE_CAPABLE);

    expect("parsed", parse(), true);
    EXPECT(present, true);
    EXPECT(pcat_compat, true);
    EXPECT(truncated, false);
    EXPECT(lapic_addr, 0x1fee00000UL);
    EXPECT(nr_cpus, 5);
    EXPECT(nr_cpus_enabled, 3);
    expect_cpu(0, 0, 0, true, false, false);
    expect_cpu(1, 2, 1, false, false, false);
    expect_cpu(2, 4, 2, false, true, false);
    expect_cpu(3, 0x100, 7, true, false, true);
    expect_cpu(4, 6, 3, true, false, false);
    EXPECT(nr_io_apics, 2);
    EXPECT(io_apics[0].id, 5);
    EXPECT(io_apics[0].address, 0xfec00000);
    EXPECT(io_apics[0].gsi_base, 0);
    EXPECT(io_apics[1].id, 6);
    EXPECT(io_apics[1].address, 0xfec01000);
    EXPECT(io_apics[1].gsi_base, 24);
    EXPECT(nr_overrides, 2);
    EXPECT(overrides[0].source, 0);
    EXPECT(overrides[0].gsi, 2);
    EXPECT(overrides[1].source, 9);
    EXPECT(overrides[1].gsi, 9);
    EXPECT(overrides[1].flags, 0xd);
    EXPECT(nr_nmis, 2);
    EXPECT(nmis[0].acpi_uid, ACPI_MADT_NMI_ALL_CPUS);
    EXPECT(nmis[0].flags, 5);
    EXPECT(nmis[0].lint, 1);
    EXPECT(nmis[1].acpi_uid, 7);
    EXPECT(nmis[1].lint, 0);
    EXPECT(nr_unknown, 1);
    EXPECT(nr_short, 1);
    expect_none_dropped();
}

static void case_zero_length(void)
{
    start("zero-length entry", 0);
    lapic(0, 1, ACPI_MADT_ENABLED);
    put(ACPI_MADT_TYPE_LOCAL_APIC, 2, 0);
    lapic(1, 3, ACPI_MADT_ENABLED);

    expect("parsed", parse(), true);
    EXPECT(pcat_compat, false);
    EXPECT(truncated, true);
    EXPECT(nr_cpus, 1);
    expect_cpu(0, 1, 0, true, false, false);
}

static void case_past_end(void)
{
    start("entry past the end", ACPI_MADT_PCAT_COMPAT);
    lapic(0, 1, ACPI_MADT_ENABLED);
    ioapic(1, 0xfec00000, 0);
    /* The IO-APIC entry is all in the buffer, but half in the table. */
    len -= sizeof(struct acpi_madt_io_apic) / 2;

    expect("parsed", parse(), true);
    EXPECT(truncated, true);
    EXPECT(nr_cpus, 1);
    EXPECT(nr_io_apics, 0);

    /* Same again with a header that claims the whole entry. */
    ((struct acpi_madt *)buf)->header.length = len + 6;
    acpi_madt_quiet = true;
    expect("parsed", acpi_madt_parse(buf, len, info), true);
    acpi_madt_quiet = false;
    EXPECT(truncated, true);
    EXPECT(nr_io_apics, 0);

    /* A lone byte after the last entry is no entry header. */
    start("one byte left", 0);
    lapic(0, 1, ACPI_MADT_ENABLED);
    put(ACPI_MADT_TYPE_LOCAL_APIC, 1, 8);   /* its length is outside */
    expect("parsed", parse(), true);
    EXPECT(truncated, true);
    EXPECT(nr_cpus, 1);
}

static void case_short_header(void)
{
    start("truncated header", ACPI_MADT_PCAT_COMPAT);
    lapic(0, 1, ACPI_MADT_ENABLED);
    ((struct acpi_madt *)buf)->lapic_address = 0x12345000;
    acpi_madt_quiet = true;
    expect("parsed", acpi_madt_parse(buf, sizeof(struct acpi_madt) - 4, info),
           false);
    acpi_madt_quiet = false;
    EXPECT(present, false);
    EXPECT(nr_cpus, 0);
    EXPECT(pcat_compat, true);
    EXPECT(lapic_addr, 0);

    /* Enough bytes, but a header claiming fewer than the fixed part. */
    what_case = "header length below the fixed part";
    ((struct acpi_madt *)buf)->header.length = sizeof(struct acpi_madt) - 1;
    acpi_madt_quiet = true;
    expect("parsed", acpi_madt_parse(buf, len, info), false);
    acpi_madt_quiet = false;
    EXPECT(present, false);
    EXPECT(nr_cpus, 0);
}

static void case_duplicates(void)
{
    start("duplicate APIC IDs", 0);
    lapic(0, 1, ACPI_MADT_ENABLED);
    lapic(1, 1, ACPI_MADT_ENABLED);
    x2apic(1, 2, 0);
    lapic(3, 2, 0);

    expect("parsed", parse(), true);
    EXPECT(nr_cpus, 2);
    EXPECT(nr_cpus_enabled, 1);
    EXPECT(nr_cpus_duplicate, 2);
    expect_cpu(0, 1, 0, true, false, false);
    expect_cpu(1, 2, 3, false, false, false);
}

static void case_too_many(void)
{
    unsigned int i;

    start("too many entries", ACPI_MADT_PCAT_COMPAT);
    for ( i = 0; i < MADT_MAX_CPUS + EXTRA_CPUS; i++ )
        x2apic(i * 2, i, ACPI_MADT_ENABLED);
    for ( i = 0; i < MADT_MAX_IO_APICS + EXTRA_IO_APICS; i++ )
        ioapic(i, 0xfec00000 + i * 0x1000, i * 24);
    for ( i = 0; i < MADT_MAX_OVERRIDES + EXTRA_OVERRIDES; i++ )
        override(i, i + 1, 0);
    for ( i = 0; i < MADT_MAX_NMIS + EXTRA_NMIS; i++ )
        lapic_nmi(i, 0, 1);

    expect("parsed", parse(), true);
    EXPECT(truncated, false);
    EXPECT(nr_cpus, MADT_MAX_CPUS);
    EXPECT(nr_cpus_enabled, MADT_MAX_CPUS);
    EXPECT(nr_cpus_dropped, EXTRA_CPUS);
    EXPECT(nr_cpus_duplicate, 0);
    expect_cpu(MADT_MAX_CPUS - 1, (MADT_MAX_CPUS - 1) * 2, MADT_MAX_CPUS - 1,
               true, false, true);
    EXPECT(nr_io_apics, MADT_MAX_IO_APICS);
    EXPECT(nr_io_apics_dropped, EXTRA_IO_APICS);
    EXPECT(io_apics[MADT_MAX_IO_APICS - 1].gsi_base,
           (MADT_MAX_IO_APICS - 1) * 24);
    EXPECT(nr_overrides, MADT_MAX_OVERRIDES);
    EXPECT(nr_overrides_dropped, EXTRA_OVERRIDES);
    EXPECT(nr_nmis, MADT_MAX_NMIS);
    EXPECT(nr_nmis_dropped, EXTRA_NMIS);
}

/* The boot CPU's APIC ID: all 32 bits where CPUID leaf 0xb has them. */
static uint32_t boot_apic_id(void)
{
    uint32_t eax, ebx, ecx, edx;

    cpuid(0, &eax, &ebx, &ecx, &edx);
    if ( eax >= 0xb )
    {
        cpuid(0xb, &eax, &ebx, &ecx, &edx);
        if ( ebx )
            return edx;
    }
    cpuid(1, &eax, &ebx, &ecx, &edx);

    return ebx >> 24;
}

static const char *check_live(void)
{
    const struct acpi_table_header *h = acpi_find_table("APIC", 0);
    uint32_t id = boot_apic_id();
    unsigned int i;

    if ( !h )
        return acpi_madt.present || acpi_madt.nr_cpus
               ? selftest_fail("no MADT, yet acpi_madt describes one")
               : NULL;

    acpi_madt_quiet = true;
    acpi_madt_parse(h, h->length, info);
    acpi_madt_quiet = false;
    if ( memcmp(info, &acpi_madt, sizeof(*info)) )
        return selftest_fail("the live MADT parses differently from boot");
    if ( !acpi_madt.present || !acpi_madt.nr_cpus_enabled )
        return selftest_fail("live MADT: present %d, %u CPUs enabled",
                             acpi_madt.present, acpi_madt.nr_cpus_enabled);

    for ( i = 0; i < acpi_madt.nr_cpus; i++ )
        if ( acpi_madt.cpus[i].apic_id == id )
            return acpi_madt.cpus[i].enabled
                   ? NULL
                   : selftest_fail("boot CPU (APIC ID %#x) listed disabled",
                                   id);

    return selftest_fail("boot CPU (APIC ID %#x) not in the MADT", id);
}

static const char *selftest_acpi_madt(void)
{
    void (*const cases[])(void) = {
        case_mixed, case_zero_length, case_past_end, case_short_header,
        case_duplicates, case_too_many,
    };
    const char *why = NULL;
    unsigned int i;

    buf = xmalloc_bytes(BUF_SIZE);
    info = xmalloc(struct acpi_madt_info);
    if ( !buf || !info )
        why = selftest_fail("no memory for a %lu-byte table",
                            (unsigned long)BUF_SIZE);

    mismatch = NULL;
    for ( i = 0; !why && i < ARRAY_SIZE(cases); i++ )
    {
        cases[i]();
        why = mismatch;
    }
    if ( !why )
        why = check_live();

    xfree(info);
    xfree(buf);

    return why;
}
REGISTER_SELFTEST("acpi-madt", selftest_acpi_madt);
