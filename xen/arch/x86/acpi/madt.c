/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The MADT: which CPUs exist and their APIC IDs, where the local APIC and
 * the IO-APICs live, how ISA IRQs map onto GSIs, which LINT pins carry
 * NMIs, and whether there is a legacy 8259 pair to silence.
 *
 * The entry list is firmware input like the rest. Each entry is taken by
 * its own length byte, which is checked against the end of the table
 * before anything in the entry is read; a list that stops making sense
 * is abandoned there rather than guessed at, and what was read before
 * that point is kept.
 */
#include <asm/acpi.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/string.h>

struct acpi_madt_info acpi_madt;

/* Past this many, duplicate APIC IDs are only counted, not each reported. */
#define MAX_DUP_REPORTS 4

bool acpi_madt_quiet;

#define madt_warn(fmt, ...)                                                \
    do {                                                                   \
        if ( !acpi_madt_quiet )                                            \
            printk(XENLOG_WARNING "ACPI: MADT: " fmt, ##__VA_ARGS__);      \
    } while ( 0 )

static void no_madt(struct acpi_madt_info *out)
{
    memset(out, 0, sizeof(*out));
    /* Every PC without a MADT predates the choice: assume the 8259s. */
    out->pcat_compat = true;
}

/* Bytes an entry of this type must have; 0 for types not used here. */
static unsigned int entry_size(uint8_t type)
{
    switch ( type )
    {
    case ACPI_MADT_TYPE_LOCAL_APIC:
        return sizeof(struct acpi_madt_local_apic);
    case ACPI_MADT_TYPE_IO_APIC:
        return sizeof(struct acpi_madt_io_apic);
    case ACPI_MADT_TYPE_INT_OVERRIDE:
        return sizeof(struct acpi_madt_int_override);
    case ACPI_MADT_TYPE_LAPIC_NMI:
        return sizeof(struct acpi_madt_lapic_nmi);
    case ACPI_MADT_TYPE_LAPIC_OVERRIDE:
        return sizeof(struct acpi_madt_lapic_override);
    case ACPI_MADT_TYPE_LOCAL_X2APIC:
        return sizeof(struct acpi_madt_local_x2apic);
    case ACPI_MADT_TYPE_X2APIC_NMI:
        return sizeof(struct acpi_madt_x2apic_nmi);
    }

    return 0;
}

static void add_cpu(struct acpi_madt_info *out, uint32_t apic_id,
                    uint32_t uid, uint32_t flags, bool x2apic)
{
    struct acpi_madt_cpu *c;
    unsigned int i;

    if ( out->nr_cpus == MADT_MAX_CPUS )
    {
        out->nr_cpus_dropped++;
        return;
    }

    /* Two CPUs cannot answer to one ID; the first listed is believed. */
    for ( i = 0; i < out->nr_cpus; i++ )
        if ( out->cpus[i].apic_id == apic_id )
        {
            if ( out->nr_cpus_duplicate++ < MAX_DUP_REPORTS )
                madt_warn("APIC ID %#x (UID %u) listed again; skipped\n",
                          apic_id, uid);
            return;
        }

    c = &out->cpus[out->nr_cpus++];
    c->apic_id = apic_id;
    c->acpi_uid = uid;
    c->enabled = flags & ACPI_MADT_ENABLED;
    c->online_capable = !c->enabled && (flags & ACPI_MADT_ONLINE_CAPABLE);
    c->x2apic = x2apic;
    out->nr_cpus_enabled += c->enabled;
}

static void add_nmi(struct acpi_madt_info *out, uint32_t uid,
                    uint16_t flags, uint8_t lint)
{
    struct acpi_madt_nmi *n;

    if ( out->nr_nmis == MADT_MAX_NMIS )
    {
        out->nr_nmis_dropped++;
        return;
    }

    n = &out->nmis[out->nr_nmis++];
    n->acpi_uid = uid;
    n->flags = flags;
    n->lint = lint;
}

/* e has at least entry_size(e->type) bytes, which is non-zero. */
static void parse_entry(struct acpi_madt_info *out,
                        const struct acpi_madt_entry *e)
{
    switch ( e->type )
    {
    case ACPI_MADT_TYPE_LOCAL_APIC:
    {
        const struct acpi_madt_local_apic *l = (const void *)e;

        add_cpu(out, l->apic_id, l->processor_uid, l->flags, false);
        break;
    }

    case ACPI_MADT_TYPE_LOCAL_X2APIC:
    {
        const struct acpi_madt_local_x2apic *x = (const void *)e;

        add_cpu(out, x->x2apic_id, x->processor_uid, x->flags, true);
        break;
    }

    case ACPI_MADT_TYPE_IO_APIC:
    {
        const struct acpi_madt_io_apic *a = (const void *)e;
        struct acpi_madt_ioapic *io;

        if ( out->nr_io_apics == MADT_MAX_IO_APICS )
        {
            out->nr_io_apics_dropped++;
            break;
        }
        io = &out->io_apics[out->nr_io_apics++];
        io->id = a->id;
        io->address = a->address;
        io->gsi_base = a->gsi_base;
        break;
    }

    case ACPI_MADT_TYPE_INT_OVERRIDE:
    {
        const struct acpi_madt_int_override *i = (const void *)e;
        struct acpi_madt_override *o;

        if ( out->nr_overrides == MADT_MAX_OVERRIDES )
        {
            out->nr_overrides_dropped++;
            break;
        }
        o = &out->overrides[out->nr_overrides++];
        o->bus = i->bus;
        o->source = i->source;
        o->gsi = i->gsi;
        o->flags = i->flags;
        break;
    }

    case ACPI_MADT_TYPE_LAPIC_NMI:
    {
        const struct acpi_madt_lapic_nmi *n = (const void *)e;

        /* One encoding of "every processor" for both entry types. */
        add_nmi(out, n->processor_uid == 0xff ? ACPI_MADT_NMI_ALL_CPUS
                                              : n->processor_uid,
                n->flags, n->lint);
        break;
    }

    case ACPI_MADT_TYPE_X2APIC_NMI:
    {
        const struct acpi_madt_x2apic_nmi *n = (const void *)e;

        add_nmi(out, n->processor_uid, n->flags, n->lint);
        break;
    }

    case ACPI_MADT_TYPE_LAPIC_OVERRIDE:
    {
        const struct acpi_madt_lapic_override *o = (const void *)e;

        if ( o->address )
            out->lapic_addr = o->address;
        else
            madt_warn("local APIC address override of 0 ignored\n");
        break;
    }
    }
}

static void report_dropped(const char *what, unsigned int n,
                           unsigned int max)
{
    if ( n )
        madt_warn("%u %s beyond the first %u ignored\n", n, what, max);
}

bool acpi_madt_parse(const void *table, size_t len,
                     struct acpi_madt_info *out)
{
    const struct acpi_madt *madt = table;
    const uint8_t *base = table;
    size_t off, elen;

    BUILD_BUG_ON(sizeof(struct acpi_madt) != 44);
    BUILD_BUG_ON(sizeof(struct acpi_madt_local_apic) != 8);
    BUILD_BUG_ON(sizeof(struct acpi_madt_io_apic) != 12);
    BUILD_BUG_ON(sizeof(struct acpi_madt_int_override) != 10);
    BUILD_BUG_ON(sizeof(struct acpi_madt_lapic_nmi) != 6);
    BUILD_BUG_ON(sizeof(struct acpi_madt_lapic_override) != 12);
    BUILD_BUG_ON(sizeof(struct acpi_madt_local_x2apic) != 16);
    BUILD_BUG_ON(sizeof(struct acpi_madt_x2apic_nmi) != 12);

    no_madt(out);
    if ( len < sizeof(*madt) || madt->header.length < sizeof(*madt) )
    {
        madt_warn("table of %lu bytes is shorter than its fixed part; "
                  "ignored\n", (unsigned long)(len < sizeof(*madt)
                                                ? len : madt->header.length));
        return false;
    }
    if ( madt->header.length > len )
        madt_warn("table claims %u bytes, only %lu are there\n",
                  madt->header.length, (unsigned long)len);
    else
        len = madt->header.length;

    out->present = true;
    out->lapic_addr = madt->lapic_address;
    out->pcat_compat = madt->flags & ACPI_MADT_PCAT_COMPAT;

    for ( off = sizeof(*madt); off < len; off += elen )
    {
        const struct acpi_madt_entry *e = (const void *)(base + off);
        unsigned int need;

        /* A bad length makes every later boundary a guess: stop here. */
        elen = len - off < sizeof(*e) ? 0 : e->length;
        if ( elen < sizeof(*e) || elen > len - off )
        {
            madt_warn("malformed entry at offset %#lx (length %lu, %lu "
                      "bytes left); ignoring the rest\n", (unsigned long)off,
                      (unsigned long)elen, (unsigned long)(len - off));
            out->truncated = true;
            break;
        }

        need = entry_size(e->type);
        if ( !need )
            out->nr_unknown++;
        else if ( elen < need )
        {
            madt_warn("type %u entry at offset %#lx has %lu bytes, %u "
                      "needed; skipped\n", e->type, (unsigned long)off,
                      (unsigned long)elen, need);
            out->nr_short++;
        }
        else
            parse_entry(out, e);
    }

    if ( out->nr_cpus_duplicate > MAX_DUP_REPORTS )
        madt_warn("%u duplicate APIC IDs skipped in all\n",
                  out->nr_cpus_duplicate);
    report_dropped("CPU entries", out->nr_cpus_dropped, MADT_MAX_CPUS);
    report_dropped("IO-APICs", out->nr_io_apics_dropped, MADT_MAX_IO_APICS);
    report_dropped("interrupt overrides", out->nr_overrides_dropped,
                   MADT_MAX_OVERRIDES);
    report_dropped("NMI entries", out->nr_nmis_dropped, MADT_MAX_NMIS);

    return true;
}

/*
 * "0-3 6 9-10": the APIC IDs of m's CPUs whose enabled flag is en, in
 * table order, consecutive runs joined; "..." ends a list cut short.
 */
static const char *__init id_list(char *buf, size_t size,
                                  const struct acpi_madt_info *m, bool en)
{
    unsigned int i, j;
    size_t n = 0;

    buf[0] = '\0';
    for ( i = 0; i < m->nr_cpus; i = j )
    {
        j = i + 1;
        if ( m->cpus[i].enabled != en )
            continue;
        while ( j < m->nr_cpus && m->cpus[j].enabled == en &&
                m->cpus[j].apic_id == m->cpus[j - 1].apic_id + 1 )
            j++;
        if ( j - i > 1 )
            n += scnprintf(buf + n, size - n, " %u-%u", m->cpus[i].apic_id,
                           m->cpus[j - 1].apic_id);
        else
            n += scnprintf(buf + n, size - n, " %u", m->cpus[i].apic_id);
    }
    if ( n + 1 >= size )
        memcpy(buf + size - 4, "...", 4);

    return buf;
}

static const char *plural(unsigned int n)
{
    return n == 1 ? "" : "s";
}

void __init acpi_madt_init(void)
{
    const struct acpi_table_header *h = acpi_find_table("APIC", 0);
    const struct acpi_madt_info *m = &acpi_madt;
    unsigned int i, capable = 0;
    char buf[320];
    size_t n = 0;

    if ( !h || !acpi_madt_parse(h, h->length, &acpi_madt) )
    {
        no_madt(&acpi_madt);
        printk(XENLOG_WARNING "ACPI: no usable MADT: only the boot CPU "
               "will run; 8259s assumed\n");
        return;
    }

    printk("ACPI: MADT: %u CPU%s (%u enabled), local APIC at %#lx, "
           "%u IO-APIC%s, %u interrupt override%s, %u NMI entr%s, %s\n",
           m->nr_cpus, plural(m->nr_cpus), m->nr_cpus_enabled,
           m->lapic_addr, m->nr_io_apics, plural(m->nr_io_apics),
           m->nr_overrides, plural(m->nr_overrides), m->nr_nmis,
           m->nr_nmis == 1 ? "y" : "ies",
           m->pcat_compat ? "PC-AT PICs present" : "no PC-AT PICs");

    printk("ACPI: MADT: APIC IDs%s\n", id_list(buf, sizeof(buf), m, true));
    if ( m->nr_cpus_enabled != m->nr_cpus )
    {
        for ( i = 0; i < m->nr_cpus; i++ )
            capable += m->cpus[i].online_capable;
        printk("ACPI: MADT: disabled APIC IDs%s (%u online capable)\n",
               id_list(buf, sizeof(buf), m, false), capable);
    }

    for ( i = 0; i < m->nr_overrides; i++ )
    {
        const struct acpi_madt_override *o = &m->overrides[i];
        unsigned int pol = o->flags & ACPI_MADT_POLARITY_MASK;
        unsigned int trig = o->flags & ACPI_MADT_TRIGGER_MASK;

        n += scnprintf(buf + n, sizeof(buf) - n, " %u->%u%s%s", o->source,
                       o->gsi,
                       trig == ACPI_MADT_TRIGGER_LEVEL ? " level"
                       : trig == ACPI_MADT_TRIGGER_EDGE ? " edge" : "",
                       pol == ACPI_MADT_POLARITY_LOW ? " low"
                       : pol == ACPI_MADT_POLARITY_HIGH ? " high" : "");
    }
    if ( n )
        printk(XENLOG_DEBUG "ACPI: MADT: ISA IRQ to GSI:%s\n", buf);
}
