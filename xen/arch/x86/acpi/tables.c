/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI table discovery: the RSDP (the boot loader's copy, else the BIOS
 * areas), the XSDT or RSDT, every table they list, the FADT, the DSDT,
 * and the _S5_ package in the AML, which holds the sleep type value that
 * powers the machine off.
 *
 * Firmware tables are input like any other. A table whose length or
 * checksum does not verify is reported and skipped, and nothing is read
 * beyond a length that has been checked. There is no direct map: physical
 * memory is reached through the bootmap window, a bounded piece at a time.
 */
#include <asm/acpi.h>
#include <asm/bootmap.h>
#include <asm/config.h>
#include <asm/processor.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/selftest.h>
#include <xen/string.h>

#define ACPI_MAX_TABLES     128

/* Whatever its checksum says, a table claiming more than this is garbage. */
#define ACPI_TABLE_MAX_LEN  (16U << 20)

/*
 * The bootmap window is 2 MiB and shared with the rest of the boot, so
 * tables are checksummed and scanned ACPI_CHUNK bytes at a time, and one
 * is mapped whole (root tables, acpi_find_table()) only up to a quarter
 * of the window.
 */
#define ACPI_CHUNK          (64U << 10)
#define ACPI_MAP_MAX        (512U << 10)

/* Where an IA-PC BIOS puts the RSDP, for when no loader tells us. */
#define BDA_EBDA_SEGMENT    0x40e
#define EBDA_SEARCH_LEN     1024
#define EBDA_LIMIT          0xa0000
#define BIOS_ROM_START      0xe0000
#define BIOS_ROM_LEN        0x20000
#define RSDP_ALIGN          16

/* AML encodings needed to read "Name (_S5, Package () { a, b, ... })". */
#define AML_ZERO_OP         0x00
#define AML_ONE_OP          0x01
#define AML_NAME_OP         0x08
#define AML_BYTE_PREFIX     0x0a
#define AML_WORD_PREFIX     0x0b
#define AML_DWORD_PREFIX    0x0c
#define AML_QWORD_PREFIX    0x0e
#define AML_PACKAGE_OP      0x12
#define AML_ROOT_CHAR       '\\'
#define AML_PARENT_CHAR     '^'
#define AML_ONES_OP         0xff

/* SLP_TYP is a 3-bit field of the PM1 and sleep control registers. */
#define SLP_TYP_MAX         7

/*
 * After "_S5_" comes at most PackageOp, a 4-byte PkgLength, NumElements
 * and two 9-byte integers: a scan chunk overlaps the next by this much
 * so that a package straddling the boundary is still seen whole.
 */
#define S5_TAIL             64
/* Room before "_S5_" for NameOp and a '\' or a few '^'. */
#define S5_LOOKBACK         8

struct acpi_table_entry {
    char sig[4];
    paddr_t pa;
    uint32_t len;
    const struct acpi_table_header *va; /* once acpi_find_table() mapped it */
};

static struct acpi_table_entry tables[ACPI_MAX_TABLES];
static unsigned int nr_tables;

static struct acpi_rsdp rsdp;   /* the RSDP in use, zero beyond rsdp_size */
static size_t rsdp_size;        /* 0: none found */
static paddr_t rsdp_pa;         /* 0: the boot loader's copy */
static bool rsdp_ext_ok;        /* the extended checksum verified */

static struct acpi_fadt fadt;   /* zero beyond the firmware's length */
static bool have_fadt;
static uint8_t s5_typ[2];
static bool have_s5;

bool acpi_paddr_ok(paddr_t pa, uint64_t len)
{
    paddr_t end = pa + len;

    return len && end > pa && end <= (1UL << paddr_bits());
}

static uint8_t sum8(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while ( len-- )
        sum += *b++;

    return sum;
}

/* Byte sum of [pa, pa + len), mapped a chunk at a time. */
static uint8_t phys_sum(paddr_t pa, uint32_t len)
{
    uint8_t sum = 0;
    uint32_t off, n;

    for ( off = 0; off < len; off += n )
    {
        const void *p;

        n = min(len - off, ACPI_CHUNK);
        p = bootmap_map(pa + off, n);
        sum += sum8(p, n);
        bootmap_unmap(p, n);
    }

    return sum;
}

/*
 * Firmware strings are fixed-size, not terminated, and sometimes padded
 * with NULs or holding junk: copy n of them into buf (n + 1 bytes) in a
 * form fit for the console.
 */
static const char *fw_str(char *buf, const char *s, size_t n)
{
    size_t i;

    for ( i = 0; i < n; i++ )
        buf[i] = !s[i] ? ' ' : (s[i] < 0x20 || s[i] > 0x7e) ? '?' : s[i];
    buf[n] = '\0';

    return buf;
}

/* Real signatures are printable; zeroes, 0xff fill or code are not. */
static bool sig_plausible(const char sig[4])
{
    unsigned int i;

    for ( i = 0; i < 4; i++ )
        if ( sig[i] <= 0x20 || sig[i] > 0x7e )
            return false;

    return true;
}

/*
 * Checks the table at pa: a header within reach, a plausible signature
 * (sig, if given), a sane length and a good checksum. *hdr receives the
 * header (zeroes if it could not be read). NULL if the table can be
 * trusted, else why not.
 */
static const char *check_table(paddr_t pa, const char *sig,
                               struct acpi_table_header *hdr)
{
    const struct acpi_table_header *h;

    memset(hdr, 0, sizeof(*hdr));
    if ( !pa )
        return "null address";
    if ( !acpi_paddr_ok(pa, sizeof(*hdr)) )
        return "address beyond the CPU's physical address width";

    h = bootmap_map(pa, sizeof(*h));
    memcpy(hdr, h, sizeof(*hdr));
    bootmap_unmap(h, sizeof(*h));

    if ( !sig_plausible(hdr->signature) )
        return "no table there (signature not printable)";
    if ( sig && memcmp(hdr->signature, sig, 4) )
        return "unexpected signature";
    if ( hdr->length < sizeof(*hdr) )
        return "length shorter than the header";
    if ( hdr->length > ACPI_TABLE_MAX_LEN )
        return "absurd length";
    if ( !acpi_paddr_ok(pa, hdr->length) )
        return "table runs beyond the CPU's physical address width";
    if ( phys_sum(pa, hdr->length) )
        return "bad checksum";

    return NULL;
}

static void report_bad(const char *what, paddr_t pa,
                       const struct acpi_table_header *hdr, const char *why)
{
    char sig[5];

    printk(XENLOG_WARNING
           "ACPI: %s at %#lx (signature '%s', length %#x) skipped: %s\n",
           what, pa, fw_str(sig, hdr->signature, 4), hdr->length, why);
}

static void __init log_table(paddr_t pa, const struct acpi_table_header *hdr)
{
    char sig[5], oem[7], id[9];

    printk("ACPI: %s %#lx len %#x rev %u OEM '%s' '%s'\n",
           fw_str(sig, hdr->signature, 4), pa, hdr->length, hdr->revision,
           fw_str(oem, hdr->oem_id, 6), fw_str(id, hdr->oem_table_id, 8));
}

/*
 * Checks, logs and records the table at pa, whose header ends up in *hdr;
 * false if it was unusable.
 */
static bool __init add_table(const char *what, paddr_t pa, const char *sig,
                             struct acpi_table_header *hdr)
{
    const char *why = check_table(pa, sig, hdr);
    struct acpi_table_entry *t;
    unsigned int i;

    if ( why )
    {
        report_bad(what, pa, hdr, why);
        return false;
    }

    /* Firmware does list a table twice now and then; once is enough. */
    for ( i = 0; i < nr_tables; i++ )
        if ( tables[i].pa == pa )
            return true;

    log_table(pa, hdr);
    if ( nr_tables == ACPI_MAX_TABLES )
    {
        printk(XENLOG_WARNING "ACPI: more than %u tables; %s not kept\n",
               ACPI_MAX_TABLES, what);
        return false;
    }

    t = &tables[nr_tables++];
    memcpy(t->sig, hdr->signature, 4);
    t->pa = pa;
    t->len = hdr->length;
    t->va = NULL;

    return true;
}

static struct acpi_table_entry *find_entry(const char sig[4],
                                           unsigned int instance)
{
    unsigned int i;

    for ( i = 0; i < nr_tables; i++ )
        if ( !memcmp(tables[i].sig, sig, 4) && !instance-- )
            return &tables[i];

    return NULL;
}

/*
 * Checks an RSDP of size readable bytes. NULL if its ACPI 1.0 part can
 * be trusted, else why not; *ext says whether the XSDT address can be too.
 */
static const char *check_rsdp(const struct acpi_rsdp *r, size_t size,
                              bool *ext)
{
    *ext = false;
    if ( size < ACPI_RSDP_V1_LEN )
        return "too short";
    if ( memcmp(r->signature, ACPI_RSDP_SIG, 8) )
        return "bad signature";
    if ( sum8(r, ACPI_RSDP_V1_LEN) )
        return "bad checksum";

    *ext = r->revision >= 2 && size >= ACPI_RSDP_V2_LEN &&
           r->length >= ACPI_RSDP_V2_LEN && r->length <= size &&
           !sum8(r, r->length);

    return NULL;
}

/* Keeps the RSDP r (size readable bytes) found at pa (0: a copy). */
static void __init keep_rsdp(const struct acpi_rsdp *r, size_t size, bool ext,
                             paddr_t pa)
{
    char oem[7];

    memset(&rsdp, 0, sizeof(rsdp));
    rsdp_size = r->revision >= 2 && size >= ACPI_RSDP_V2_LEN
                ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;
    memcpy(&rsdp, r, rsdp_size);
    rsdp_ext_ok = ext;
    rsdp_pa = pa;

    if ( pa )
        printk("ACPI: RSDP %#lx rev %u OEM '%s'\n", pa, r->revision,
               fw_str(oem, r->oem_id, 6));
    else
        printk("ACPI: RSDP (boot loader's copy) rev %u OEM '%s'\n",
               r->revision, fw_str(oem, r->oem_id, 6));
    if ( r->revision >= 2 && rsdp_size < ACPI_RSDP_V2_LEN )
        printk("ACPI: only the ACPI 1.0 part of the RSDP was copied; "
               "XSDT not used\n");
    else if ( r->revision >= 2 && !ext )
        printk(XENLOG_WARNING
               "ACPI: RSDP extended part does not verify; XSDT not used\n");
}

/* Takes the RSDP at pa if it verifies. */
static bool __init rsdp_at(paddr_t pa)
{
    const struct acpi_rsdp *r = bootmap_map(pa, ACPI_RSDP_V2_LEN);
    bool ext;
    const char *why = check_rsdp(r, ACPI_RSDP_V2_LEN, &ext);

    if ( !why )
        keep_rsdp(r, ACPI_RSDP_V2_LEN, ext, pa);
    bootmap_unmap(r, ACPI_RSDP_V2_LEN);

    return !why;
}

/* First RSDP candidate (signature and checksum) in [start, start + len). */
static paddr_t __init scan_rsdp(paddr_t start, size_t len)
{
    const uint8_t *p = bootmap_map(start, len);
    paddr_t found = 0;
    size_t off;

    for ( off = 0; off + ACPI_RSDP_V1_LEN <= len; off += RSDP_ALIGN )
        if ( !memcmp(p + off, ACPI_RSDP_SIG, 8) &&
             !sum8(p + off, ACPI_RSDP_V1_LEN) )
        {
            found = start + off;
            break;
        }
    bootmap_unmap(p, len);

    return found;
}

static bool __init find_rsdp(const void *copy, size_t len)
{
    const uint16_t *bda;
    paddr_t ebda, pa = 0;
    const char *why;
    bool ext;

    if ( copy )
    {
        /* Revision 2 fields are only there if the loader copied them. */
        struct acpi_rsdp r = {};
        size_t size = min(len, sizeof(r));

        memcpy(&r, copy, size);
        why = check_rsdp(&r, size, &ext);
        if ( !why )
        {
            keep_rsdp(&r, size, ext, 0);
            return true;
        }
        printk(XENLOG_WARNING "ACPI: boot loader's RSDP copy (%lu bytes) "
               "unusable: %s; searching the BIOS areas\n",
               (unsigned long)len, why);
    }

    bda = bootmap_map(BDA_EBDA_SEGMENT, sizeof(*bda));
    ebda = (paddr_t)*bda << 4;
    bootmap_unmap(bda, sizeof(*bda));

    /* A segment of 0 or one at or above 640K is no EBDA pointer at all. */
    if ( ebda >= 0x400 && ebda < EBDA_LIMIT )
        pa = scan_rsdp(ebda, min((paddr_t)EBDA_SEARCH_LEN, EBDA_LIMIT - ebda));
    if ( !pa )
        pa = scan_rsdp(BIOS_ROM_START, BIOS_ROM_LEN);
    if ( pa && rsdp_at(pa) )
        return true;

    printk(XENLOG_WARNING "ACPI: no RSDP found\n");
    return false;
}

/* Records the root table and every table it lists; false if unusable. */
static bool __init parse_root(bool xsdt)
{
    const char *name = xsdt ? "XSDT" : "RSDT";
    paddr_t pa = xsdt ? rsdp.xsdt_address : rsdp.rsdt_address;
    size_t esize = xsdt ? sizeof(uint64_t) : sizeof(uint32_t);
    struct acpi_table_header hdr;
    const uint8_t *map;
    uint32_t len, n, i;

    if ( !add_table(name, pa, name, &hdr) )
        return false;

    len = hdr.length;
    if ( (len - sizeof(hdr)) % esize )
        printk(XENLOG_WARNING "ACPI: %s length %#x is not a whole number "
               "of entries; the partial one is ignored\n", name, len);
    if ( len > ACPI_MAP_MAX )
    {
        printk(XENLOG_WARNING "ACPI: %s of %#x bytes: only the first %#x "
               "are used\n", name, len, ACPI_MAP_MAX);
        len = ACPI_MAP_MAX;
    }
    n = (len - sizeof(hdr)) / esize;

    map = bootmap_map(pa, len);
    for ( i = 0; i < n; i++ )
    {
        uint64_t entry = 0;
        char what[24];

        /* XSDT entries are not 8-byte aligned: copy, do not dereference. */
        memcpy(&entry, map + sizeof(hdr) + i * esize, esize);
        snprintf(what, sizeof(what), "%s entry %u", name, i);
        add_table(what, entry, NULL, &hdr);
    }
    bootmap_unmap(map, len);

    return true;
}

static void __init load_fadt(void)
{
    const struct acpi_table_entry *t = find_entry("FACP", 0);
    const void *p;

    if ( !t )
    {
        printk(XENLOG_WARNING "ACPI: no valid FADT\n");
        return;
    }

    /* Fields the firmware's (older, shorter) table lacks stay zero. */
    p = bootmap_map(t->pa, min((size_t)t->len, sizeof(fadt)));
    memcpy(&fadt, p, min((size_t)t->len, sizeof(fadt)));
    bootmap_unmap(p, min((size_t)t->len, sizeof(fadt)));
    have_fadt = true;
}

static void __init load_dsdt(void)
{
    paddr_t x = fadt.x_dsdt, legacy = fadt.dsdt;
    struct acpi_table_header hdr;

    /* The 64-bit field wins when set; the other is a fallback. */
    if ( x && add_table("FADT X_DSDT", x, "DSDT", &hdr) )
        return;
    if ( legacy && legacy != x && add_table("FADT DSDT", legacy, "DSDT", &hdr) )
        return;
    if ( !x && !legacy )
        printk(XENLOG_WARNING "ACPI: FADT names no DSDT\n");
}

/*
 * Reads one integer constant of AML at *pp (before end): the encodings a
 * compiler emits for a literal. Advances *pp past it.
 */
static bool aml_integer(const uint8_t **pp, const uint8_t *end, uint64_t *val)
{
    const uint8_t *p = *pp;
    unsigned int size, i;

    if ( p >= end )
        return false;

    switch ( *p++ )
    {
    case AML_ZERO_OP:
        *val = 0;
        *pp = p;
        return true;
    case AML_ONE_OP:
        *val = 1;
        *pp = p;
        return true;
    case AML_ONES_OP:
        *val = ~0UL;
        *pp = p;
        return true;
    case AML_BYTE_PREFIX:
        size = 1;
        break;
    case AML_WORD_PREFIX:
        size = 2;
        break;
    case AML_DWORD_PREFIX:
        size = 4;
        break;
    case AML_QWORD_PREFIX:
        size = 8;
        break;
    default:
        return false;
    }

    if ( end - p < size )
        return false;
    for ( *val = 0, i = 0; i < size; i++ )
        *val |= (uint64_t)p[i] << (8 * i);
    *pp = p + size;

    return true;
}

/*
 * name points at "_S5_" in the AML [start, end). True, with the first two
 * package elements in typ, if those four bytes name a Name() whose value
 * is a Package of small integers. Otherwise *why says what was wrong with
 * the package, or is NULL if this was no Name() at all (the bytes can be
 * part of anything: a string, a reference from a method).
 */
static bool aml_parse_s5(const uint8_t *start, const uint8_t *name,
                         const uint8_t *end, uint8_t typ[2], const char **why)
{
    const uint8_t *p = name, *pkg, *lim;
    unsigned int follow, i;
    uint32_t pkglen;

    *why = NULL;

    /* NameOp, then the NameString: "_S5_", "\_S5_" or "^...^_S5_". */
    if ( p > start && p[-1] == AML_ROOT_CHAR )
        p--;
    else
        while ( p > start && p[-1] == AML_PARENT_CHAR )
            p--;
    if ( p == start || p[-1] != AML_NAME_OP )
        return false;

    p = name + 4;
    if ( p >= end || *p != AML_PACKAGE_OP )
    {
        *why = "not a Package";
        return false;
    }

    /*
     * PkgLength: bits 7-6 of the lead byte count the bytes that follow.
     * Alone, the lead holds 6 bits of length; with followers it holds the
     * low 4 bits (bits 5-4 must be 0) and each follower 8 more.
     */
    pkg = ++p;
    if ( p >= end )
    {
        *why = "truncated PkgLength";
        return false;
    }
    follow = *p >> 6;
    if ( follow && (*p & 0x30) )
    {
        *why = "malformed PkgLength";
        return false;
    }
    if ( end - p < 1 + follow )
    {
        *why = "truncated PkgLength";
        return false;
    }
    pkglen = *p & (follow ? 0x0f : 0x3f);
    for ( i = 1; i <= follow; i++ )
        pkglen |= (uint32_t)p[i] << (4 + 8 * (i - 1));
    p += 1 + follow;

    /* The length counts itself; the elements must lie inside it. */
    if ( pkglen < 1 + follow + 1 )
    {
        *why = "Package too short";
        return false;
    }
    lim = (size_t)(end - pkg) < pkglen ? end : pkg + pkglen;

    /* NumElements. */
    if ( p >= lim )
    {
        *why = "truncated Package";
        return false;
    }
    if ( *p++ < 2 )
    {
        *why = "Package has fewer than two elements";
        return false;
    }

    for ( i = 0; i < 2; i++ )
    {
        uint64_t val;

        if ( !aml_integer(&p, lim, &val) )
        {
            *why = "element is not an integer constant";
            return false;
        }
        if ( val > SLP_TYP_MAX )
        {
            *why = "SLP_TYP value out of range";
            return false;
        }
        typ[i] = val;
    }

    return true;
}

/* Searches a table's AML for a well-formed _S5_, a chunk at a time. */
static bool __init scan_s5(const struct acpi_table_entry *t)
{
    uint32_t off, body = sizeof(struct acpi_table_header);

    for ( off = body; off < t->len; off += ACPI_CHUNK )
    {
        uint32_t ws = off == body ? body : off - S5_LOOKBACK;
        uint32_t we = min(t->len, off + ACPI_CHUNK + S5_TAIL);
        uint32_t stop = min(t->len, off + ACPI_CHUNK);
        const uint8_t *map = bootmap_map(t->pa + ws, we - ws);
        const uint8_t *end = map + (we - ws), *p;
        bool found = false;

        for ( p = map + (off - ws); p < map + (stop - ws) && end - p >= 4;
              p++ )
        {
            const char *why;
            char sig[5];

            if ( memcmp(p, "_S5_", 4) )
                continue;
            if ( aml_parse_s5(map, p, end, s5_typ, &why) )
            {
                found = true;
                break;
            }
            if ( why )
                printk(XENLOG_WARNING
                       "ACPI: %s: _S5_ at offset %#lx ignored: %s\n",
                       fw_str(sig, t->sig, 4),
                       (unsigned long)(p - map) + ws, why);
        }
        bootmap_unmap(map, we - ws);

        if ( found )
            return true;
    }

    return false;
}

/* _S5_ is normally in the DSDT, but firmware may put it in an SSDT. */
static void __init find_s5(void)
{
    const struct acpi_table_entry *t;
    unsigned int i;

    t = find_entry("DSDT", 0);
    if ( t && scan_s5(t) )
    {
        have_s5 = true;
        return;
    }

    for ( i = 0; (t = find_entry("SSDT", i)) != NULL; i++ )
        if ( scan_s5(t) )
        {
            printk("ACPI: _S5_ found in SSDT %#lx\n", t->pa);
            have_s5 = true;
            return;
        }

    printk(XENLOG_WARNING "ACPI: no _S5_ package in the DSDT or SSDTs\n");
}

void __init acpi_boot_init(const void *rsdp_copy, size_t len)
{
    bool root = false;

    if ( find_rsdp(rsdp_copy, len) )
    {
        if ( rsdp_ext_ok && rsdp.xsdt_address )
        {
            root = parse_root(true);
            if ( !root )
                printk(XENLOG_WARNING "ACPI: falling back to the RSDT\n");
        }
        if ( !root )
            root = parse_root(false);
        if ( !root )
            printk(XENLOG_WARNING "ACPI: no usable root table\n");
    }

    if ( root )
        load_fadt();
    if ( have_fadt )
    {
        load_dsdt();
        find_s5();
    }

    acpi_power_init(have_fadt ? &fadt : NULL, have_s5 ? s5_typ : NULL);

    acpi_madt_init();
    acpi_hpet_init();
}

const struct acpi_table_header *acpi_find_table(const char sig[4],
                                                unsigned int instance)
{
    struct acpi_table_entry *t = find_entry(sig, instance);
    const struct acpi_table_header *h;
    char name[5];

    if ( !t )
        return NULL;
    if ( t->va )
        return t->va;

    if ( t->len > ACPI_MAP_MAX )
    {
        printk(XENLOG_WARNING "ACPI: %s at %#lx is too large to map (%#x "
               "bytes)\n", fw_str(name, t->sig, 4), t->pa, t->len);
        return NULL;
    }

    /* It verified at boot; make sure nothing has overwritten it since. */
    h = bootmap_map(t->pa, t->len);
    if ( memcmp(h->signature, t->sig, 4) || h->length != t->len ||
         sum8(h, t->len) )
    {
        printk(XENLOG_WARNING "ACPI: %s at %#lx changed since boot; "
               "not used\n", fw_str(name, t->sig, 4), t->pa);
        bootmap_unmap(h, t->len);
        return NULL;
    }
    t->va = h;

    return h;
}

/* ---- self-test ---------------------------------------------------------- */

static const struct {
    const char *what;
    uint8_t len;
    uint8_t aml[20];
    int8_t typ[2];  /* -1: must be rejected */
} aml_cases[] = {
    { "BytePrefix values", 14,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x08, 0x04,
        AML_BYTE_PREFIX, 0x05, AML_BYTE_PREFIX, 0x06, 0x00, 0x00 },
      { 5, 6 } },
    { "root prefix, ZeroOp and OneOp", 13,
      { AML_NAME_OP, '\\', '_', 'S', '5', '_', AML_PACKAGE_OP, 0x06, 0x04,
        AML_ZERO_OP, AML_ONE_OP, AML_ZERO_OP, AML_ZERO_OP },
      { 0, 1 } },
    { "parent prefix", 12,
      { AML_NAME_OP, '^', '_', 'S', '5', '_', AML_PACKAGE_OP, 0x05, 0x02,
        AML_BYTE_PREFIX, 0x01, AML_ONE_OP },
      { 1, 1 } },
    { "2-byte PkgLength, Word and DWord", 17,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x4b, 0x00, 0x02,
        AML_WORD_PREFIX, 0x07, 0x00, AML_DWORD_PREFIX, 0x03, 0x00, 0x00,
        0x00 },
      { 7, 3 } },
    { "4-byte PkgLength", 15,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0xc9, 0x00, 0x00,
        0x00, 0x02, AML_BYTE_PREFIX, 0x02, AML_BYTE_PREFIX, 0x03 },
      { 2, 3 } },
    { "no NameOp", 10,
      { 0x10, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x04, 0x02, AML_ZERO_OP,
        AML_ZERO_OP },
      { -1, -1 } },
    { "not a Package", 7,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_BYTE_PREFIX, 0x05 },
      { -1, -1 } },
    { "PkgLength reserved bits", 12,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x76, 0x00, 0x02,
        AML_ZERO_OP, AML_ZERO_OP, 0x00 },
      { -1, -1 } },
    { "truncated element", 10,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x06, 0x02,
        AML_BYTE_PREFIX, 0x05 },
      { -1, -1 } },
    { "element beyond PkgLength", 12,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x04, 0x02,
        AML_BYTE_PREFIX, 0x05, AML_BYTE_PREFIX, 0x05 },
      { -1, -1 } },
    { "one element", 11,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x05, 0x01,
        AML_BYTE_PREFIX, 0x05, 0x00 },
      { -1, -1 } },
    { "value out of range", 13,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x06, 0x02,
        AML_BYTE_PREFIX, 0x09, AML_ZERO_OP, 0x00, 0x00 },
      { -1, -1 } },
    { "method call, not a constant", 14,
      { AML_NAME_OP, '_', 'S', '5', '_', AML_PACKAGE_OP, 0x0a, 0x02,
        'F', 'O', 'O', '_', AML_ZERO_OP, 0x00 },
      { -1, -1 } },
};

static const char *selftest_aml(void)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(aml_cases); i++ )
    {
        const uint8_t *aml = aml_cases[i].aml;
        const uint8_t *end = aml + aml_cases[i].len, *name;
        uint8_t typ[2] = { 0xff, 0xff };
        const char *why;
        bool ok;

        for ( name = aml; end - name >= 4; name++ )
            if ( !memcmp(name, "_S5_", 4) )
                break;
        ok = end - name >= 4 && aml_parse_s5(aml, name, end, typ, &why);

        if ( aml_cases[i].typ[0] < 0 ? ok
                                     : !ok || typ[0] != aml_cases[i].typ[0] ||
                                       typ[1] != aml_cases[i].typ[1] )
            return selftest_fail("AML case '%s': %s %u/%u", aml_cases[i].what,
                                 ok ? "parsed as" : "rejected", typ[0],
                                 typ[1]);
    }

    return NULL;
}

/* A fake table in the image, so that bad ones can be fed to check_table(). */
static struct acpi_table_header fake_table[4];

static void fake_checksum(void)
{
    fake_table[0].checksum = 0;
    fake_table[0].checksum = -sum8(fake_table, sizeof(fake_table));
}

static const char *fake_check(const char *sig)
{
    struct acpi_table_header hdr;

    return check_table(__pa_image(fake_table), sig, &hdr);
}

static const char *selftest_bad_tables(void)
{
    struct acpi_table_header *h = fake_table;
    struct acpi_table_header hdr;
    const char *why;

    memset(fake_table, 0, sizeof(fake_table));
    memcpy(h->signature, "TEST", 4);
    h->length = sizeof(fake_table);
    fake_checksum();
    if ( (why = fake_check("TEST")) != NULL )
        return selftest_fail("a good table was refused: %s", why);
    if ( !fake_check("FACP") )
        return selftest_fail("a table with the wrong signature was accepted");

    h->oem_revision ^= 1;
    if ( !fake_check(NULL) )
        return selftest_fail("a table with a bad checksum was accepted");
    h->oem_revision ^= 1;

    /* The checksum stays right: only the length is wrong. */
    h->length = sizeof(*h) - 1;
    fake_checksum();
    if ( !fake_check(NULL) )
        return selftest_fail("a table shorter than its header was accepted");
    h->length = 64U << 20;
    fake_checksum();
    if ( !fake_check(NULL) )
        return selftest_fail("a table of 64 MiB was accepted");

    memset(fake_table, 0xff, sizeof(fake_table));
    if ( !fake_check(NULL) )
        return selftest_fail("0xff fill was taken for a table");
    if ( !check_table(1UL << 52, NULL, &hdr) ||
         !check_table(~0UL - 8, NULL, &hdr) || !check_table(0, NULL, &hdr) )
        return selftest_fail("an impossible table address was accepted");

    return NULL;
}

static const char *selftest_acpi_tables(void)
{
    struct acpi_table_header hdr;
    const struct acpi_table_header *h;
    unsigned int i, used;
    const char *why;
    char sig[5];
    bool ext;

    if ( !rsdp_size )
        return selftest_fail("no RSDP found");
    if ( (why = check_rsdp(&rsdp, rsdp_size, &ext)) != NULL )
        return selftest_fail("RSDP in use: %s", why);
    if ( ext != rsdp_ext_ok )
        return selftest_fail("RSDP extended checksum: %d now, %d at boot",
                             ext, rsdp_ext_ok);
    if ( rsdp_pa )
    {
        const struct acpi_rsdp *r = bootmap_map(rsdp_pa, rsdp_size);

        why = check_rsdp(r, rsdp_size, &ext);
        if ( !why && memcmp(r, &rsdp, rsdp_size) )
            why = "differs from the copy taken at boot";
        bootmap_unmap(r, rsdp_size);
        if ( why )
            return selftest_fail("RSDP at %#lx: %s", rsdp_pa, why);
    }

    if ( !nr_tables )
        return selftest_fail("no ACPI tables recorded");
    for ( i = 0; i < nr_tables; i++ )
    {
        const struct acpi_table_entry *t = &tables[i];

        why = check_table(t->pa, t->sig, &hdr);
        if ( !why && hdr.length != t->len )
            why = "length changed";
        if ( why )
            return selftest_fail("%s at %#lx: %s", fw_str(sig, t->sig, 4),
                                 t->pa, why);
    }

    if ( !have_fadt )
        return selftest_fail("no FADT");
    if ( !fadt.pm1a_cnt_blk && !fadt.x_pm1a_cnt_blk.address &&
         !(fadt.flags & ACPI_FADT_HW_REDUCED_ACPI) )
        return selftest_fail("FADT has no PM1a_CNT_BLK");
    if ( !find_entry("DSDT", 0) )
        return selftest_fail("no DSDT");
    if ( !have_s5 )
        return selftest_fail("no _S5_ package found");
    if ( !acpi_power_off_ready() )
        return selftest_fail("power-off registers not resolved");

    h = acpi_find_table("FACP", 0);
    if ( !h || memcmp(h->signature, "FACP", 4) ||
         acpi_find_table("FACP", 0) != h )
        return selftest_fail("acpi_find_table(FACP) gave %#lx",
                             (unsigned long)h);
    if ( acpi_find_table("FACP", nr_tables) ||
         acpi_find_table("\xff\xff\xff\xff", 0) )
        return selftest_fail("acpi_find_table() found what is not there");

    /* Everything below maps and unmaps; the window must end as it began. */
    used = bootmap_slots_used();
    if ( (why = selftest_aml()) != NULL ||
         (why = selftest_bad_tables()) != NULL )
        return why;
    if ( bootmap_slots_used() != used )
        return selftest_fail("bootmap slots in use: %u before, %u after",
                             used, bootmap_slots_used());

    return NULL;
}
REGISTER_SELFTEST("acpi-tables", selftest_acpi_tables);
