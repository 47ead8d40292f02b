/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/common/libelf on the host.
 *
 * Images come from two places: a small ELF writer here, which builds a
 * kernel with chosen notes and lets a test break any field on purpose,
 * and kernels the host toolchain assembled and linked from
 * libelf-kernel.S (embedded by libelf-images.S). Each image is parsed
 * from a heap block of exactly its size, so AddressSanitizer catches a
 * read past its end; elf_load() writes into a model of the kernel's
 * virtual range that refuses anything outside it.
 */
#include "harness.h"

#include <stdint.h>

#include <xen/elfstructs.h>
#include <xen/errno.h>
#include <xen/libelf.h>

#define KBASE   0xffffffff80000000ULL
#define KPHYS   0x1000000ULL            /* where the test kernels start */
#define PAGE    4096ULL

/* ------------------------------------------------------------------------
 * The ELF writer. An image is built in wbuf, then copied to a heap block
 * of its exact size. Offsets are fixed so tests can find what to break:
 * the file header, room for 8 program headers, then the contents.
 */
#define MAX_PHDRS 8
#define CONTENT   (sizeof(Elf64_Ehdr) + MAX_PHDRS * sizeof(Elf64_Phdr))

static union {
    uint8_t b[1 << 16];
    Elf64_Ehdr eh;
} w;
static size_t wlen;

static Elf64_Phdr *wphdr(unsigned int i)
{
    return (Elf64_Phdr *)(w.b + sizeof(Elf64_Ehdr)) + i;
}

static void w_start(void)
{
    memset(&w, 0, sizeof(w));
    memcpy(w.eh.e_ident, ELFMAG, SELFMAG);
    w.eh.e_ident[EI_CLASS] = ELFCLASS64;
    w.eh.e_ident[EI_DATA] = ELFDATA2LSB;
    w.eh.e_ident[EI_VERSION] = EV_CURRENT;
    w.eh.e_type = ET_EXEC;
    w.eh.e_machine = EM_X86_64;
    w.eh.e_version = EV_CURRENT;
    w.eh.e_entry = KBASE + KPHYS;
    w.eh.e_phoff = sizeof(Elf64_Ehdr);
    w.eh.e_ehsize = sizeof(Elf64_Ehdr);
    w.eh.e_phentsize = sizeof(Elf64_Phdr);
    w.eh.e_shentsize = sizeof(Elf64_Shdr);
    wlen = CONTENT;
}

/* Appends n bytes (zeros if data is NULL) at an aligned offset. */
static uint64_t w_put(const void *data, size_t n, size_t align)
{
    uint64_t off = (wlen + align - 1) & ~(uint64_t)(align - 1);

    CHECK(off + n <= sizeof(w.b));
    if ( data )
        memcpy(w.b + off, data, n);
    wlen = off + n;
    return off;
}

static Elf64_Phdr *w_seg(uint32_t type, uint32_t flags, uint64_t off,
                         uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
    Elf64_Phdr *ph;

    CHECK(w.eh.e_phnum < MAX_PHDRS);
    ph = wphdr(w.eh.e_phnum++);
    ph->p_type = type;
    ph->p_flags = flags;
    ph->p_offset = off;
    ph->p_paddr = paddr;
    ph->p_vaddr = paddr + KBASE;
    ph->p_filesz = filesz;
    ph->p_memsz = memsz;
    ph->p_align = type == PT_LOAD ? PAGE : 4;
    return ph;
}

/* A note: raw name and desc sizes, so they can lie about themselves. */
struct tnote {
    const char *name;
    uint32_t namesz;
    uint32_t type;
    const void *desc;
    uint32_t descsz;
};

#define XSTR(t, s)  { "Xen", 4, t, s, sizeof(s) }
#define XRAW(t, s)  { "Xen", 4, t, s, sizeof(s) - 1 }    /* like .ascii */
#define XU64(t, v)  { "Xen", 4, t, (const uint64_t[]){ v }, 8 }
#define XU32(t, v)  { "Xen", 4, t, (const uint32_t[]){ v }, 4 }

/* Appends the notes; returns the offset of the first, *len their size. */
static uint64_t w_notes(const struct tnote *n, unsigned int nr, uint64_t *len)
{
    uint64_t start = w_put(NULL, 0, 4);
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        Elf64_Nhdr nh = { n[i].namesz, n[i].descsz, n[i].type };

        w_put(&nh, sizeof(nh), 4);
        w_put(n[i].name, n[i].namesz, 1);
        w_put(n[i].desc, n[i].descsz, 4);
        w_put(NULL, 0, 4);
    }
    *len = wlen - start;
    return start;
}

/* Sections to write after everything else; index 0 is the null one. */
struct tsect {
    const char *name;
    uint32_t type;
    uint64_t off, size;
};

static void w_sections(const struct tsect *s, unsigned int nr)
{
    char names[512] = "";
    size_t nlen = 1, i;
    uint32_t name_off[16];
    Elf64_Shdr sh[16];
    uint64_t strtab;

    CHECK(nr + 2 <= 16);
    for ( i = 0; i < nr; i++ )
    {
        name_off[i] = nlen;
        strcpy(names + nlen, s[i].name);
        nlen += strlen(s[i].name) + 1;
    }
    name_off[nr] = nlen;
    strcpy(names + nlen, ".shstrtab");
    nlen += strlen(".shstrtab") + 1;
    strtab = w_put(names, nlen, 1);

    memset(sh, 0, sizeof(sh));
    for ( i = 0; i < nr; i++ )
    {
        sh[i + 1].sh_name = name_off[i];
        sh[i + 1].sh_type = s[i].type;
        sh[i + 1].sh_offset = s[i].off;
        sh[i + 1].sh_size = s[i].size;
    }
    sh[nr + 1].sh_name = name_off[nr];
    sh[nr + 1].sh_type = SHT_STRTAB;
    sh[nr + 1].sh_offset = strtab;
    sh[nr + 1].sh_size = nlen;

    w.eh.e_shoff = w_put(sh, (nr + 2) * sizeof(sh[0]), 8);
    w.eh.e_shnum = nr + 2;
    w.eh.e_shstrndx = nr + 1;
}

/* The bytes of the standard kernel's segments, made up but fixed. */
#define TEXT_SIZE 0x2000
#define DATA_FILE 0x123
#define DATA_MEM  0x3000

static uint8_t pattern(uint64_t i)
{
    return (uint8_t)(i * 131 + (i >> 8) * 7 + 1);
}

/* Offsets of the standard kernel's parts in the image. */
static uint64_t text_off, data_off, notes_off, notes_len;

/*
 * The standard kernel: text at KPHYS (RX, with the hypercall page at
 * +0x1000), data at KPHYS + 0x2000 with a bss tail, then the notes in a
 * PT_NOTE segment.
 */
static void w_kernel(const struct tnote *n, unsigned int nr)
{
    uint8_t bytes[TEXT_SIZE];
    unsigned int i;

    w_start();
    for ( i = 0; i < sizeof(bytes); i++ )
        bytes[i] = pattern(i);
    text_off = w_put(bytes, TEXT_SIZE, PAGE);
    data_off = w_put(bytes + 0x777, DATA_FILE, PAGE);
    w_seg(PT_LOAD, PF_R | PF_X, text_off, KPHYS, TEXT_SIZE, TEXT_SIZE);
    w_seg(PT_LOAD, PF_R | PF_W, data_off, KPHYS + TEXT_SIZE, DATA_FILE,
          DATA_MEM);
    if ( nr )
    {
        notes_off = w_notes(n, nr, &notes_len);
        w_seg(PT_NOTE, PF_R, notes_off, 0, notes_len, notes_len);
    }
}

#define KSTART (KBASE + KPHYS)
#define KEND   (KSTART + TEXT_SIZE + DATA_MEM)
#define HCALL  (KSTART + 0x1000)

/* What a 64-bit Linux kernel says, with a non-Xen note among them. */
static const struct tnote linux_notes[] = {
    XSTR(XEN_ELFNOTE_GUEST_OS, "linux"),
    XSTR(XEN_ELFNOTE_GUEST_VERSION, "2.6"),
    XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
    XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
    XU64(XEN_ELFNOTE_INIT_P2M, 0x8000000000ULL),
    XU64(XEN_ELFNOTE_ENTRY, KSTART + 0x40),
    XU64(XEN_ELFNOTE_HYPERCALL_PAGE, HCALL),
    { "GNU", 4, 3, "0123456789abcdefghij", 20 },
    XRAW(XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb"),
    XU32(XEN_ELFNOTE_SUPPORTED_FEATURES, (1 << 0) | (1 << 11) | (1 << 15)),
    XSTR(XEN_ELFNOTE_PAE_MODE, "yes"),
    XSTR(XEN_ELFNOTE_LOADER, "generic"),
    { "Xen", 4, XEN_ELFNOTE_L1_MFN_VALID,
      (const uint64_t[]){ 1, 1 }, 16 },
    XU32(XEN_ELFNOTE_SUSPEND_CANCEL, 1),
    XU32(XEN_ELFNOTE_MOD_START_PFN, 1),
    XU64(XEN_ELFNOTE_HV_START_LOW, 0xffff800000000000ULL),
    XU64(XEN_ELFNOTE_PADDR_OFFSET, 0),
    XU32(XEN_ELFNOTE_PHYS32_ENTRY, KPHYS + 0x40),
    XU32(99, 0x1234),          /* a type from the future: skipped */
};
#define NR_LINUX ARRAY_SIZE(linux_notes)

/* The least a kernel must say, with a default for everything else. */
static const struct tnote min_notes[] = {
    XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
    XSTR(XEN_ELFNOTE_LOADER, "generic"),
    XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
};

/* ------------------------------------------------------------------------
 * Parsing an image from an exactly sized heap block.
 */
static uint8_t *img;
static size_t img_len;
static struct elf_binary elf;
static struct elf_dom_parms parms;
static const char *why;

static void img_set(const void *data, size_t len)
{
    free(img);
    img = malloc(len ? len : 1);
    CHECK(img);
    memcpy(img, data, len);
    img_len = len;
}

/* elf_init() then elf_xen_parse() on data; returns the first failure. */
static int parse(const void *data, size_t len)
{
    int rc;

    img_set(data, len);
    why = NULL;
    rc = elf_init(&elf, img, img_len, &why);
    if ( !rc )
        rc = elf_xen_parse(&elf, &parms, &why);
    CHECK_MSG(rc ? why != NULL : why == NULL, "rc %d, why %s", rc,
              why ? why : "NULL");
    return rc;
}

static int parse_w(void)
{
    return parse(w.b, wlen);
}

/* The image must be refused with exactly this reason. */
#define REFUSED(call, reason)                                              \
    do {                                                                   \
        int rc_ = (call);                                                  \
        CHECK_MSG(rc_ == -EINVAL, "%s: rc %d, want -EINVAL", #call, rc_);  \
        CHECK_STR(why, reason);                                            \
    } while ( 0 )

#define ACCEPTED(call)                                                     \
    do {                                                                   \
        int rc_ = (call);                                                  \
        CHECK_MSG(rc_ == 0, "%s: rc %d (%s)", #call, rc_,                  \
                  why ? why : "");                                         \
    } while ( 0 )

/* ------------------------------------------------------------------------
 * Loading into a model of the kernel's range [kstart, kend).
 */
#define MAX_CALLS 16

struct guest {
    uint64_t base;
    uint8_t *mem;
    size_t size;
    unsigned int nr_calls;
    struct {
        bool clear;
        uint64_t vaddr;
        size_t len;
    } calls[MAX_CALLS];
    unsigned int fail_at;       /* 1-based call to fail, 0 for none */
};

static int guest_call(struct guest *g, bool clear, uint64_t vaddr,
                      size_t len)
{
    unsigned int n = g->nr_calls++;

    CHECK(n < MAX_CALLS);
    g->calls[n].clear = clear;
    g->calls[n].vaddr = vaddr;
    g->calls[n].len = len;
    CHECK_MSG(vaddr >= g->base && len <= g->size &&
              vaddr - g->base <= g->size - len,
              "call %u writes %#llx+%#zx outside %#llx+%#zx", n,
              (unsigned long long)vaddr, len, (unsigned long long)g->base,
              g->size);
    CHECK(len);
    return g->fail_at == n + 1 ? -EFAULT : 0;
}

static int guest_write(void *ctx, uint64_t vaddr, const void *src, size_t len)
{
    struct guest *g = ctx;
    int rc = guest_call(g, false, vaddr, len);

    /* The source must be the image's own bytes. */
    CHECK((const uint8_t *)src >= img &&
          (const uint8_t *)src + len <= img + img_len);
    if ( !rc )
        memcpy(g->mem + (vaddr - g->base), src, len);
    return rc;
}

static int guest_clear(void *ctx, uint64_t vaddr, size_t len)
{
    struct guest *g = ctx;
    int rc = guest_call(g, true, vaddr, len);

    if ( !rc )
        memset(g->mem + (vaddr - g->base), 0, len);
    return rc;
}

/* A guest range for the parsed kernel, filled with 0xaa. */
static void guest_init(struct guest *g)
{
    memset(g, 0, sizeof(*g));
    g->base = parms.virt_kstart;
    g->size = parms.virt_kend - parms.virt_kstart;
    g->mem = malloc(g->size);
    CHECK(g->mem);
    memset(g->mem, 0xaa, g->size);
}

/* ------------------------------------------------------------------------
 * The standard kernel, read in full.
 */
TEST(linux_notes_all_values)
{
    w_kernel(linux_notes, NR_LINUX);
    ACCEPTED(parse_w());

    CHECK_EQU(elf.pstart, KPHYS);
    CHECK_EQU(elf.pend, KPHYS + TEXT_SIZE + DATA_MEM);
    CHECK_EQ(elf.nr_load, 2);

    CHECK(!parms.legacy);
    CHECK_EQ(parms.nr_xen_notes, NR_LINUX - 1);
    CHECK_STR(parms.guest_os, "linux");
    CHECK_STR(parms.guest_ver, "2.6");
    CHECK_STR(parms.xen_ver, "xen-3.0");
    CHECK_STR(parms.loader, "generic");
    CHECK_EQU(parms.virt_base, KBASE);
    CHECK_EQU(parms.elf_paddr_offset, 0);
    CHECK_EQU(parms.virt_offset, KBASE);
    CHECK_EQU(parms.virt_entry, KSTART + 0x40);
    CHECK_EQU(parms.virt_hypercall, HCALL);
    CHECK_EQU(parms.p2m_base, 0x8000000000ULL);
    CHECK_EQU(parms.hv_start_low, 0xffff800000000000ULL);
    CHECK_EQU(parms.phys32_entry, KPHYS + 0x40);
    CHECK(parms.mod_start_pfn);
    CHECK(parms.suspend_cancel);
    CHECK(!parms.bsd_symtab);
    CHECK_EQ(parms.pae, XEN_PAE_EXTCR3);
    /* The string and the numeric note add up; '!' also means supported. */
    CHECK_EQU(parms.f_supported[0], (1u << XENFEAT_writable_page_tables) |
                                    (1u << XENFEAT_pae_pgdir_above_4gb) |
                                    (1u << XENFEAT_dom0) | (1u << 15));
    CHECK_EQU(parms.f_required[0], 1u << XENFEAT_writable_page_tables);
    CHECK_EQU(parms.virt_kstart, KSTART);
    CHECK_EQU(parms.virt_kend, KEND);

    CHECK_EQU(parms.present, (1u << XEN_ELFNOTE_GUEST_OS) |
              (1u << XEN_ELFNOTE_GUEST_VERSION) |
              (1u << XEN_ELFNOTE_XEN_VERSION) |
              (1u << XEN_ELFNOTE_VIRT_BASE) | (1u << XEN_ELFNOTE_INIT_P2M) |
              (1u << XEN_ELFNOTE_ENTRY) | (1u << XEN_ELFNOTE_HYPERCALL_PAGE) |
              (1u << XEN_ELFNOTE_FEATURES) |
              (1u << XEN_ELFNOTE_SUPPORTED_FEATURES) |
              (1u << XEN_ELFNOTE_PAE_MODE) | (1u << XEN_ELFNOTE_LOADER) |
              (1u << XEN_ELFNOTE_L1_MFN_VALID) |
              (1u << XEN_ELFNOTE_SUSPEND_CANCEL) |
              (1u << XEN_ELFNOTE_MOD_START_PFN) |
              (1u << XEN_ELFNOTE_HV_START_LOW) |
              (1u << XEN_ELFNOTE_PADDR_OFFSET) |
              (1u << XEN_ELFNOTE_PHYS32_ENTRY));
    CHECK(elf_dom0_capable(&parms));
    CHECK_STR(parms.detail, "");
}

TEST(defaults_from_minimal_notes)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    ACCEPTED(parse_w());

    CHECK_EQU(parms.elf_paddr_offset, 0);
    CHECK_EQU(parms.virt_entry, KBASE + KPHYS);         /* e_entry */
    CHECK_EQU(parms.virt_kstart, KSTART);
    CHECK_EQU(parms.virt_kend, KEND);
    CHECK(!elf_note_present(&parms, XEN_ELFNOTE_HYPERCALL_PAGE));
    CHECK(!elf_note_present(&parms, XEN_ELFNOTE_INIT_P2M));
    CHECK(!parms.mod_start_pfn);
    CHECK_EQ(parms.pae, XEN_PAE_NO);
    CHECK_EQU(parms.f_supported[0], 0);
    CHECK_EQU(parms.f_required[0], 0);
    CHECK(elf_dom0_capable(&parms));
}

TEST(virt_base_zero_and_absent)
{
    const struct tnote zero[] = {
        XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
        XSTR(XEN_ELFNOTE_GUEST_OS, "linux"),
        XU64(XEN_ELFNOTE_VIRT_BASE, 0),
        XU64(XEN_ELFNOTE_ENTRY, KPHYS + 0x10),
        XU64(XEN_ELFNOTE_HYPERCALL_PAGE, KPHYS + 0x1000),
    };

    w_kernel(zero, ARRAY_SIZE(zero));
    ACCEPTED(parse_w());
    CHECK_EQU(parms.virt_base, 0);
    CHECK_EQU(parms.virt_kstart, KPHYS);
    CHECK_EQU(parms.virt_kend, KPHYS + TEXT_SIZE + DATA_MEM);
    CHECK_EQU(parms.virt_entry, KPHYS + 0x10);

    /* The same without the VIRT_BASE note: 0 by default. */
    {
        struct tnote n[ARRAY_SIZE(zero) - 1] = { zero[0], zero[1], zero[3],
                                                 zero[4] };

        w_kernel(n, ARRAY_SIZE(n));
    }
    ACCEPTED(parse_w());
    CHECK(!elf_note_present(&parms, XEN_ELFNOTE_VIRT_BASE));
    CHECK_EQU(parms.virt_base, 0);
    CHECK_EQU(parms.virt_kstart, KPHYS);
}

TEST(paddr_offset_for_virtual_paddrs)
{
    /* Old kernels put virtual addresses in p_paddr and said so. */
    const struct tnote n[] = {
        XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
        XSTR(XEN_ELFNOTE_LOADER, "generic"),
        XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
        XU64(XEN_ELFNOTE_PADDR_OFFSET, KBASE),
    };

    w_kernel(n, ARRAY_SIZE(n));
    wphdr(0)->p_paddr += KBASE;
    wphdr(1)->p_paddr += KBASE;
    ACCEPTED(parse_w());
    CHECK_EQU(parms.virt_offset, 0);
    CHECK_EQU(parms.virt_kstart, KSTART);
    CHECK_EQU(parms.virt_kend, KEND);
}

TEST(paddr_offset_without_virt_base)
{
    const struct tnote n[] = {
        XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
        XSTR(XEN_ELFNOTE_LOADER, "generic"),
        XU64(XEN_ELFNOTE_PADDR_OFFSET, 0),
    };

    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "PADDR_OFFSET given without VIRT_BASE");
}

TEST(load_copies_and_zero_fills)
{
    struct guest g;
    uint64_t i;

    w_kernel(linux_notes, NR_LINUX);
    ACCEPTED(parse_w());
    guest_init(&g);
    CHECK_EQ(elf_load(&elf, &parms, guest_write, guest_clear, &g), 0);

    CHECK_EQ(g.nr_calls, 3);
    CHECK(!g.calls[0].clear);
    CHECK_EQU(g.calls[0].vaddr, KSTART);
    CHECK_EQU(g.calls[0].len, TEXT_SIZE);
    CHECK(!g.calls[1].clear);
    CHECK_EQU(g.calls[1].vaddr, KSTART + TEXT_SIZE);
    CHECK_EQU(g.calls[1].len, DATA_FILE);
    CHECK(g.calls[2].clear);
    CHECK_EQU(g.calls[2].vaddr, KSTART + TEXT_SIZE + DATA_FILE);
    CHECK_EQU(g.calls[2].len, DATA_MEM - DATA_FILE);

    for ( i = 0; i < TEXT_SIZE; i++ )
        CHECK_MSG(g.mem[i] == pattern(i), "text byte %#llx",
                  (unsigned long long)i);
    for ( i = 0; i < DATA_FILE; i++ )
        CHECK_MSG(g.mem[TEXT_SIZE + i] == pattern(0x777 + i),
                  "data byte %#llx", (unsigned long long)i);
    for ( i = DATA_FILE; i < DATA_MEM; i++ )
        CHECK_MSG(g.mem[TEXT_SIZE + i] == 0, "bss byte %#llx",
                  (unsigned long long)i);
    free(g.mem);
}

TEST(load_stops_at_callback_error)
{
    struct guest g;

    w_kernel(linux_notes, NR_LINUX);
    ACCEPTED(parse_w());

    guest_init(&g);
    g.fail_at = 2;
    CHECK_EQ(elf_load(&elf, &parms, guest_write, guest_clear, &g), -EFAULT);
    CHECK_EQ(g.nr_calls, 2);
    free(g.mem);

    guest_init(&g);
    g.fail_at = 3;
    CHECK_EQ(elf_load(&elf, &parms, guest_write, guest_clear, &g), -EFAULT);
    CHECK_EQ(g.nr_calls, 3);
    free(g.mem);
}

TEST(segments_without_rights_or_size)
{
    struct guest g;

    /* Xen skips a PT_LOAD with no R, W or X; so does the range. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w_seg(PT_LOAD, 0, 0, 0x100000, 0x100, 0x100);
    /* An empty one counts for the range but is never passed on. */
    w_seg(PT_LOAD, PF_R, text_off, KPHYS + TEXT_SIZE + DATA_MEM, 0, 0);
    ACCEPTED(parse_w());
    CHECK_EQ(elf.nr_load, 3);
    CHECK_EQU(parms.virt_kstart, KSTART);
    CHECK_EQU(parms.virt_kend, KEND);

    guest_init(&g);
    CHECK_EQ(elf_load(&elf, &parms, guest_write, guest_clear, &g), 0);
    CHECK_EQ(g.nr_calls, 3);
    free(g.mem);
}

/* ------------------------------------------------------------------------
 * elf_init() refusals, one field at a time.
 */
TEST(refuses_not_elf)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.b[1] = 'e';
    REFUSED(parse_w(), "not an ELF image");
    REFUSED(parse("\177EL", 3), "not an ELF image");
    REFUSED(parse("", 0), "not an ELF image");
}

TEST(refuses_32bit)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_ident[EI_CLASS] = ELFCLASS32;
    REFUSED(parse_w(), "32-bit ELF: only 64-bit PV guests are supported");
    /* Even when too short to be a 64-bit header. */
    REFUSED(parse(w.b, 52), "32-bit ELF: only 64-bit PV guests are supported");
    w.eh.e_ident[EI_CLASS] = 3;
    REFUSED(parse_w(), "unknown ELF class");
}

TEST(refuses_short_header)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    REFUSED(parse(w.b, sizeof(Elf64_Ehdr) - 1), "ELF header truncated");
    REFUSED(parse(w.b, EI_NIDENT), "ELF header truncated");
}

TEST(refuses_big_endian)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    REFUSED(parse_w(),
            "big-endian ELF: only little-endian x86-64 is supported");
    w.eh.e_ident[EI_DATA] = 0;
    REFUSED(parse_w(), "unknown ELF data encoding");
}

TEST(refuses_wrong_version)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_version = 2;
    REFUSED(parse_w(), "unknown ELF version");
    w.eh.e_version = EV_CURRENT;
    w.eh.e_ident[EI_VERSION] = 0;
    REFUSED(parse_w(), "unknown ELF version");
}

TEST(refuses_wrong_machine)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_machine = EM_386;
    REFUSED(parse_w(), "not an x86-64 ELF (e_machine is not EM_X86_64)");
}

TEST(refuses_wrong_type)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_type = ET_DYN;
    REFUSED(parse_w(), "position-independent ELF (ET_DYN): the kernel must "
                       "be linked as ET_EXEC");
    w.eh.e_type = ET_REL;
    REFUSED(parse_w(), "not an executable ELF (e_type is not ET_EXEC)");
}

TEST(refuses_bad_phdr_table)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_phentsize = 32;
    REFUSED(parse_w(), "ELF program header size is not 56");

    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_phnum = 0;
    REFUSED(parse_w(), "ELF has no program headers");
    w.eh.e_phnum = PN_XNUM;
    REFUSED(parse_w(), "extended program header numbering is not supported");

    /* The table's last byte one past the end of the image. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_phoff = wlen - w.eh.e_phnum * sizeof(Elf64_Phdr) + 1;
    REFUSED(parse_w(), "ELF program headers outside the image");
    w.eh.e_phoff = UINT64_MAX - 8;      /* offset + size wraps */
    REFUSED(parse_w(), "ELF program headers outside the image");

    /* Exactly at the end is fine (the headers then read as zeros). */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    {
        size_t n = w.eh.e_phnum * sizeof(Elf64_Phdr);
        uint64_t off = w_put(wphdr(0), n, 8);

        w.eh.e_phoff = off;
    }
    ACCEPTED(parse_w());
}

TEST(refuses_segment_outside_image)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    wphdr(1)->p_offset = wlen - DATA_FILE + 1;
    REFUSED(parse_w(), "PT_LOAD segment outside the image");
    wphdr(1)->p_offset = wlen + 1;
    wphdr(1)->p_filesz = 0;
    REFUSED(parse_w(), "PT_LOAD segment outside the image");
    /* offset + filesz wraps to inside the image */
    wphdr(1)->p_offset = 0x100;
    wphdr(1)->p_filesz = UINT64_MAX - 0x80;
    wphdr(1)->p_memsz = UINT64_MAX;
    REFUSED(parse_w(), "PT_LOAD segment outside the image");
}

TEST(refuses_filesz_above_memsz)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    wphdr(1)->p_memsz = DATA_FILE - 1;
    REFUSED(parse_w(), "PT_LOAD segment has p_filesz > p_memsz");
}

TEST(refuses_wrapping_addresses)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    wphdr(1)->p_paddr = UINT64_MAX - 0x1000;
    REFUSED(parse_w(), "PT_LOAD segment wraps around the address space");

    /* Fine in p_paddr terms, but wraps once VIRT_BASE is added. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    wphdr(1)->p_paddr = 0x80000000ULL - DATA_MEM;
    wphdr(1)->p_memsz = DATA_MEM + 1;
    REFUSED(parse_w(), "kernel range wraps around the address space");
}

TEST(refuses_no_loadable_segment)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    wphdr(0)->p_type = PT_NULL;
    wphdr(1)->p_flags = 0;
    REFUSED(parse_w(), "ELF has no loadable segment");
}

/* ------------------------------------------------------------------------
 * Note refusals.
 */
TEST(refuses_missing_notes)
{
    const struct tnote other[] = {
        { "GNU", 4, 3, "0123456789abcdefghij", 20 },
        { "Xe", 3, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8 },
    };

    w_kernel(NULL, 0);
    REFUSED(parse_w(), "not a Xen PV kernel: no Xen ELF notes or __xen_guest "
                       "section");
    w_kernel(other, ARRAY_SIZE(other));
    REFUSED(parse_w(), "not a Xen PV kernel: no Xen ELF notes or __xen_guest "
                       "section");
}

TEST(refuses_truncated_note)
{
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    /* The last note's desc runs past its segment by one byte. */
    wphdr(2)->p_filesz -= 4 + 1;
    REFUSED(parse_w(), "ELF note truncated");
    /* Only its header's first bytes are left. */
    wphdr(2)->p_filesz -= 8 + 8 - 1 + 2;
    REFUSED(parse_w(), "ELF note truncated");

    /* A desc size that would wrap a 32-bit sum. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    ((Elf64_Nhdr *)(w.b + notes_off))->n_descsz = UINT32_MAX;
    REFUSED(parse_w(), "ELF note truncated");
    ((Elf64_Nhdr *)(w.b + notes_off))->n_descsz = 8;
    ((Elf64_Nhdr *)(w.b + notes_off))->n_namesz = UINT32_MAX - 1;
    REFUSED(parse_w(), "ELF note truncated");

    /* The note segment itself reaching past the image. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    wphdr(2)->p_filesz += 4;
    REFUSED(parse_w(), "ELF note segment outside the image");
    wphdr(2)->p_filesz = UINT64_MAX;
    REFUSED(parse_w(), "ELF note segment outside the image");
}

TEST(note_padding_at_segment_end)
{
    /* Zeros after the last note are padding; the last desc may be cut. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w_put("\0\0\0\0\0\0\0", 7, 1);
    wphdr(2)->p_filesz += 7;
    ACCEPTED(parse_w());
    w.b[wlen - 1] = 1;
    REFUSED(parse_w(), "ELF note truncated");

    {
        const struct tnote n[] = {
            XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
            XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
            XSTR(XEN_ELFNOTE_LOADER, "generic!"),
        };

        w_kernel(n, ARRAY_SIZE(n));
        wphdr(2)->p_filesz -= 3;        /* "generic!\0" loses its padding */
        ACCEPTED(parse_w());
        CHECK_STR(parms.loader, "generic!");
    }
}

TEST(refuses_unterminated_string)
{
    const struct tnote n[] = {
        XSTR(XEN_ELFNOTE_LOADER, "generic"),
        XRAW(XEN_ELFNOTE_XEN_VERSION, "xen-3.0!"),  /* 8 bytes, no NUL */
        XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
    };

    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "Xen ELF note string not NUL-terminated");
    CHECK_STR(parms.detail, "XEN_VERSION");

    /* Its NUL in the padding, as Linux writes FEATURES: accepted. */
    {
        struct tnote m[ARRAY_SIZE(n)] = { n[0], n[1], n[2] };

        m[1].desc = "xen-3.0";
        m[1].descsz = 7;
        w_kernel(m, ARRAY_SIZE(m));
        ACCEPTED(parse_w());
        CHECK_STR(parms.xen_ver, "xen-3.0");
    }
}

TEST(refuses_wrong_numeric_size)
{
    const struct tnote n[] = {
        XSTR(XEN_ELFNOTE_LOADER, "generic"),
        XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
        XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
        { "Xen", 4, XEN_ELFNOTE_VIRT_BASE, "\0\0\0", 3 },
    };
    struct tnote m[ARRAY_SIZE(n)] = { n[0], n[1], n[2], n[3] };

    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "Xen ELF note value of a wrong size");
    CHECK_STR(parms.detail, "VIRT_BASE");

    m[3].type = XEN_ELFNOTE_SUPPORTED_FEATURES;
    m[3].descsz = 2;
    w_kernel(m, ARRAY_SIZE(m));
    REFUSED(parse_w(), "Xen ELF note value of a wrong size");
    CHECK_STR(parms.detail, "SUPPORTED_FEATURES");

    /* 1, 2, 4 and 8 bytes are all numbers, little-endian. */
    m[3].type = XEN_ELFNOTE_HV_START_LOW;
    m[3].desc = "\x01\x02";
    m[3].descsz = 2;
    w_kernel(m, ARRAY_SIZE(m));
    ACCEPTED(parse_w());
    CHECK_EQU(parms.hv_start_low, 0x0201);
}

TEST(refuses_wrong_identity)
{
    const struct tnote n[] = {
        XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-4.0"),
        XSTR(XEN_ELFNOTE_LOADER, "generic"),
        XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
    };
    struct tnote m[ARRAY_SIZE(n)] = { n[0], n[1], n[2] };

    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "XEN_VERSION is not \"xen-3.0\"");

    w_kernel(n + 1, 2);
    REFUSED(parse_w(), "no XEN_VERSION: the kernel must be built for "
                       "\"xen-3.0\"");

    m[0].desc = "xen-3.0";
    m[0].descsz = 8;
    m[1].desc = "elf";
    m[1].descsz = 4;
    w_kernel(m, ARRAY_SIZE(m));
    REFUSED(parse_w(), "LOADER is not \"generic\" and GUEST_OS is not "
                       "\"linux\"");

    /* GUEST_OS "linux" stands in for LOADER; Xen compares prefixes. */
    m[1].type = XEN_ELFNOTE_GUEST_OS;
    m[1].desc = "linux-6.1";
    m[1].descsz = 10;
    w_kernel(m, ARRAY_SIZE(m));
    ACCEPTED(parse_w());
    CHECK_STR(parms.loader, "");
    m[0].desc = "xen-3.0-unstable";
    m[0].descsz = 17;
    w_kernel(m, ARRAY_SIZE(m));
    ACCEPTED(parse_w());
}

TEST(long_strings_are_cut)
{
    const struct tnote n[] = {
        XSTR(XEN_ELFNOTE_XEN_VERSION, "xen-3.0"),
        XSTR(XEN_ELFNOTE_LOADER, "generic"),
        XSTR(XEN_ELFNOTE_GUEST_VERSION,
             "0123456789abcdef0123456789abcdef0123456789"),
        XU64(XEN_ELFNOTE_VIRT_BASE, KBASE),
    };

    w_kernel(n, ARRAY_SIZE(n));
    ACCEPTED(parse_w());
    CHECK_STR(parms.guest_ver, "0123456789abcdef0123456789abcde");
}

TEST(refuses_entry_outside_kernel)
{
    struct tnote n[ARRAY_SIZE(min_notes) + 1];

    memcpy(n, min_notes, sizeof(min_notes));
    n[3] = (struct tnote)XU64(XEN_ELFNOTE_ENTRY, KEND);
    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "entry point outside the kernel");

    n[3].desc = (const uint64_t[]){ KSTART - 1 };
    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "entry point outside the kernel");

    n[3].desc = (const uint64_t[]){ KEND - 1 };
    w_kernel(n, ARRAY_SIZE(n));
    ACCEPTED(parse_w());

    /* The default, e_entry, is checked too. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_entry = KPHYS;
    REFUSED(parse_w(), "entry point outside the kernel");
}

TEST(refuses_hypercall_page_outside_kernel)
{
    struct tnote n[ARRAY_SIZE(min_notes) + 1];

    memcpy(n, min_notes, sizeof(min_notes));
    n[3] = (struct tnote)XU64(XEN_ELFNOTE_HYPERCALL_PAGE, KEND);
    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "hypercall page outside the kernel");

    n[3].desc = (const uint64_t[]){ KSTART - PAGE };
    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "hypercall page outside the kernel");

    n[3].desc = (const uint64_t[]){ HCALL + 8 };
    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "hypercall page not page-aligned");

    /* The last whole page of the kernel. */
    n[3].desc = (const uint64_t[]){ KEND - PAGE };
    w_kernel(n, ARRAY_SIZE(n));
    ACCEPTED(parse_w());
}

TEST(refuses_p2m_inside_kernel)
{
    struct tnote n[ARRAY_SIZE(min_notes) + 1];

    memcpy(n, min_notes, sizeof(min_notes));
    n[3] = (struct tnote)XU64(XEN_ELFNOTE_INIT_P2M, KEND - 1);
    w_kernel(n, ARRAY_SIZE(n));
    REFUSED(parse_w(), "INIT_P2M inside the kernel");
    n[3].desc = (const uint64_t[]){ KEND };
    w_kernel(n, ARRAY_SIZE(n));
    ACCEPTED(parse_w());
}

TEST(refuses_kernel_below_virt_base)
{
    struct tnote n[ARRAY_SIZE(min_notes) + 1];

    memcpy(n, min_notes, sizeof(min_notes));
    n[3] = (struct tnote)XU64(XEN_ELFNOTE_PADDR_OFFSET, KPHYS + 1);
    w_kernel(n, ARRAY_SIZE(n));
    w.eh.e_entry = KBASE + 0x10;
    REFUSED(parse_w(), "kernel starts below VIRT_BASE");
}

/* ------------------------------------------------------------------------
 * Features.
 */
static void features_note(const char *list, size_t len)
{
    struct tnote n[ARRAY_SIZE(min_notes) + 1];

    memcpy(n, min_notes, sizeof(min_notes));
    n[3] = (struct tnote){ "Xen", 4, XEN_ELFNOTE_FEATURES, list, len };
    w_kernel(n, ARRAY_SIZE(n));
}

TEST(features_list)
{
    static const char all[] = "writable_page_tables|writable_descriptor_tables"
        "|!auto_translated_physmap|supervisor_mode_kernel|pae_pgdir_above_4gb"
        "|hvm_callback_vector|!dom0";

    features_note(all, sizeof(all));
    ACCEPTED(parse_w());
    CHECK_EQU(parms.f_supported[0], 0x91f);
    CHECK_EQU(parms.f_required[0], (1u << 2) | (1u << 11));

    /* Unknown names Xen ignores unless required; empty items too. */
    features_note("bogus||hvm_safe_pvclock|dom0|", 30);
    ACCEPTED(parse_w());
    CHECK_EQU(parms.f_supported[0], 1u << XENFEAT_dom0);
    CHECK_EQU(parms.f_required[0], 0);
}

TEST(refuses_unknown_required_feature)
{
    features_note("dom0|!bogus_feature|writable_page_tables", 41);
    REFUSED(parse_w(), "FEATURES requires a feature unknown to the loader");
    CHECK_STR(parms.detail, "bogus_feature");

    /* Known to features.h but not to Xen's note parser. */
    features_note("!hvm_safe_pvclock", 18);
    REFUSED(parse_w(), "FEATURES requires a feature unknown to the loader");
    CHECK_STR(parms.detail, "hvm_safe_pvclock");

    /* A prefix of a known name is not that name. */
    features_note("!dom", 5);
    REFUSED(parse_w(), "FEATURES requires a feature unknown to the loader");
    CHECK_STR(parms.detail, "dom");
}

TEST(features_check_and_names)
{
    uint32_t hv[XENFEAT_NR_SUBMAPS] = { 0 };
    unsigned int missing = 0;

    features_note("!writable_page_tables|!dom0|pae_pgdir_above_4gb", 48);
    ACCEPTED(parse_w());

    CHECK_EQ(elf_features_check(&parms, hv, &missing), -EINVAL);
    CHECK_EQ(missing, XENFEAT_writable_page_tables);
    hv[0] = 1u << XENFEAT_writable_page_tables;
    CHECK_EQ(elf_features_check(&parms, hv, &missing), -EINVAL);
    CHECK_EQ(missing, XENFEAT_dom0);
    hv[0] |= 1u << XENFEAT_dom0;
    CHECK_EQ(elf_features_check(&parms, hv, &missing), 0);

    CHECK_STR(xen_feature_name(0), "writable_page_tables");
    CHECK_STR(xen_feature_name(4), "pae_pgdir_above_4gb");
    CHECK_STR(xen_feature_name(8), "hvm_callback_vector");
    CHECK_STR(xen_feature_name(11), "dom0");
    CHECK_STR(xen_feature_name(15), "linux_rsdp_unrestricted");
    CHECK_STR(xen_feature_name(20), "dm_msix_all_writes");
    CHECK_STR(xen_feature_name(21), NULL);
    CHECK_STR(xen_feature_name(1000), NULL);
}

TEST(dom0_capability)
{
    struct tnote n[ARRAY_SIZE(min_notes) + 1];

    memcpy(n, min_notes, sizeof(min_notes));
    n[3] = (struct tnote)XU32(XEN_ELFNOTE_SUPPORTED_FEATURES, 1);
    w_kernel(n, ARRAY_SIZE(n));
    ACCEPTED(parse_w());
    CHECK(!elf_dom0_capable(&parms));

    n[3].desc = (const uint32_t[]){ 1u << XENFEAT_dom0 };
    w_kernel(n, ARRAY_SIZE(n));
    ACCEPTED(parse_w());
    CHECK(elf_dom0_capable(&parms));

    /* Words beyond XENFEAT_NR_SUBMAPS are ignored. */
    n[3].desc = (const uint32_t[]){ 1u << XENFEAT_dom0, 0xffffffff };
    n[3].descsz = 8;
    w_kernel(n, ARRAY_SIZE(n));
    ACCEPTED(parse_w());
    CHECK_EQU(parms.f_supported[0], 1u << XENFEAT_dom0);
}

/* ------------------------------------------------------------------------
 * Sections: notes found only there, and the legacy __xen_guest string.
 */
TEST(notes_from_sections_only)
{
    w_kernel(NULL, 0);
    notes_off = w_notes(linux_notes, NR_LINUX, &notes_len);
    w_sections((const struct tsect[]){
                   { ".text", SHT_PROGBITS, text_off, TEXT_SIZE },
                   { ".notes", SHT_NOTE, notes_off, notes_len },
               }, 2);
    ACCEPTED(parse_w());
    CHECK_EQ(parms.nr_xen_notes, NR_LINUX - 1);
    CHECK_EQU(parms.virt_hypercall, HCALL);
    CHECK_EQU(parms.elf_paddr_offset, 0);
}

static void w_legacy(const char *s)
{
    uint64_t off;

    w_kernel(NULL, 0);
    off = w_put(s, strlen(s), 1);
    w_sections((const struct tsect[]){
                   { ".text", SHT_PROGBITS, text_off, TEXT_SIZE },
                   { "__xen_guest", SHT_PROGBITS, off, strlen(s) },
               }, 2);
}

TEST(legacy_xen_guest)
{
    /* Old style: p_paddr virtual, ELF_PADDR_OFFSET defaulting to it. */
    w_legacy("GUEST_OS=linux,GUEST_VER=2.6,XEN_VER=xen-3.0,"
             "VIRT_BASE=0xffffffff80000000,HYPERCALL_PAGE=0x1001,"
             "LOADER=generic,PAE=yes[extended-cr3],BSD_SYMTAB,"
             "SOMETHING_NEW=1,"
             "FEATURES=writable_page_tables|!pae_pgdir_above_4gb");
    wphdr(0)->p_paddr += KBASE;
    wphdr(1)->p_paddr += KBASE;
    ACCEPTED(parse_w());

    CHECK(parms.legacy);
    CHECK_EQ(parms.nr_xen_notes, 0);
    CHECK_STR(parms.guest_os, "linux");
    CHECK_STR(parms.guest_ver, "2.6");
    CHECK_STR(parms.xen_ver, "xen-3.0");
    CHECK_STR(parms.loader, "generic");
    CHECK_EQ(parms.pae, XEN_PAE_EXTCR3);
    CHECK(parms.bsd_symtab);
    CHECK_EQU(parms.virt_base, KBASE);
    CHECK_EQU(parms.elf_paddr_offset, KBASE);
    CHECK_EQU(parms.virt_offset, 0);
    CHECK_EQU(parms.virt_hypercall, KBASE + 0x1001000);
    CHECK_EQU(parms.virt_entry, KBASE + KPHYS);
    CHECK_EQU(parms.virt_kstart, KSTART);
    CHECK_EQU(parms.virt_kend, KEND);
    CHECK_EQU(parms.f_supported[0], (1u << 0) | (1u << 4));
    CHECK_EQU(parms.f_required[0], 1u << 4);
    CHECK(elf_note_present(&parms, XEN_ELFNOTE_HYPERCALL_PAGE));
    CHECK(!elf_note_present(&parms, XEN_ELFNOTE_PADDR_OFFSET));

    /* Explicit keys, decimal and octal numbers, the string's NUL. */
    w_legacy("XEN_VER=xen-3.0,GUEST_OS=linux,VIRT_BASE=0,"
             "ELF_PADDR_OFFSET=0,VIRT_ENTRY=16777232,HYPERCALL_PAGE=010001,"
             "PAE=yes\0LOADER=ignored");
    ACCEPTED(parse_w());
    CHECK_EQU(parms.virt_base, 0);
    CHECK_EQU(parms.virt_entry, KPHYS + 0x10);
    CHECK_EQU(parms.virt_hypercall, KPHYS + 0x1000);
    CHECK_EQ(parms.pae, XEN_PAE_YES);
    CHECK_STR(parms.loader, "");
}

TEST(refuses_bad_legacy_strings)
{
    w_legacy("XEN_VER=xen-3.0,LOADER=generic,VIRT_BASE=0xffffffff8000000g");
    REFUSED(parse_w(), "__xen_guest: bad number");
    CHECK_STR(parms.detail, "VIRT_BASE");

    w_legacy("XEN_VER=xen-3.0,LOADER=generic,VIRT_ENTRY=");
    REFUSED(parse_w(), "__xen_guest: bad number");
    w_legacy("XEN_VER=xen-3.0,LOADER=generic,VIRT_ENTRY");
    REFUSED(parse_w(), "__xen_guest: bad number");
    w_legacy("XEN_VER=xen-3.0,VIRT_BASE=0x10000000000000000");
    REFUSED(parse_w(), "__xen_guest: bad number");
    w_legacy("XEN_VER=xen-3.0,HYPERCALL_PAGE=0x10000000000000");
    REFUSED(parse_w(), "__xen_guest: bad number");
    CHECK_STR(parms.detail, "HYPERCALL_PAGE");

    w_legacy("XEN_VER=xen-3.0,LOADER=generic,FEATURES=!nope");
    REFUSED(parse_w(), "FEATURES requires a feature unknown to the loader");
    CHECK_STR(parms.detail, "nope");

    w_legacy("XEN_VER=xen-2.0,LOADER=generic");
    REFUSED(parse_w(), "XEN_VERSION is not \"xen-3.0\"");
}

TEST(refuses_bad_section_table)
{
    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    w.eh.e_shentsize = 40;
    REFUSED(parse_w(), "ELF section header size is not 64");

    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    w.eh.e_shoff = wlen - 64;
    REFUSED(parse_w(), "ELF section headers outside the image");
    w.eh.e_shoff = UINT64_MAX - 64;
    REFUSED(parse_w(), "ELF section headers outside the image");

    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    w.eh.e_shstrndx = w.eh.e_shnum;
    REFUSED(parse_w(), "ELF section name table index out of range");
    w.eh.e_shstrndx = SHN_XINDEX;
    REFUSED(parse_w(), "ELF section name table index out of range");

    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[3].sh_size = wlen;
    REFUSED(parse_w(), "ELF section name table outside the image");

    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[1].sh_name = 0x10000;
    REFUSED(parse_w(), "ELF section name outside the name table");

    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[2].sh_offset = wlen;
    REFUSED(parse_w(), "ELF section outside the image");
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[2].sh_offset = 0x100;
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[2].sh_size = UINT64_MAX;
    REFUSED(parse_w(), "ELF section outside the image");

    /* A SHT_NOTE section outside the image. */
    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[1].sh_type = SHT_NOTE;
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[1].sh_size = wlen;
    REFUSED(parse_w(), "ELF note segment outside the image");

    /*
     * A name cut by the end of the name table is a different name: the
     * search goes on, to the table's own name, now outside it.
     */
    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[3].sh_size =
        ((Elf64_Shdr *)(w.b + w.eh.e_shoff))[2].sh_name + 5;
    REFUSED(parse_w(), "ELF section name outside the name table");

    /* No section name table: nothing can be called __xen_guest. */
    w_legacy("XEN_VER=xen-3.0,LOADER=generic");
    w.eh.e_shstrndx = SHN_UNDEF;
    REFUSED(parse_w(), "not a Xen PV kernel: no Xen ELF notes or __xen_guest "
                       "section");

    /* With notes in a segment, the section table is never read. */
    w_kernel(min_notes, ARRAY_SIZE(min_notes));
    w.eh.e_shoff = UINT64_MAX;
    w.eh.e_shnum = 100;
    w.eh.e_shentsize = 1;
    ACCEPTED(parse_w());
}

/* ------------------------------------------------------------------------
 * Kernels made by the host toolchain (libelf-kernel.S).
 */
extern const uint8_t kernel_high_start[], kernel_high_end[];
extern const uint8_t kernel_zero_start[], kernel_zero_end[];
extern const uint8_t kernel_legacy_start[], kernel_legacy_end[];

/* Parses and loads one; checks the loaded bytes at known places. */
static void check_built(const uint8_t *start, const uint8_t *end,
                        uint64_t kbase, uint64_t data)
{
    uint64_t kstart = kbase + KPHYS;
    struct guest g;
    uint64_t i, hc;

    ACCEPTED(parse(start, end - start));
    CHECK_EQU(parms.virt_base, kbase);
    CHECK_EQU(parms.virt_kstart, kstart);
    /* text, notes, data from the next page, bss: as the .lds has it */
    CHECK_EQU(parms.virt_kend, kstart + data + 23 + 0x2345);
    CHECK_EQU(parms.virt_entry, kstart + 0x40);
    CHECK_EQU(elf.entry, kstart);
    hc = kstart + 0x1000;
    CHECK_EQU(parms.virt_hypercall, hc);
    CHECK_STR(parms.xen_ver, "xen-3.0");
    CHECK_STR(parms.loader, "generic");

    guest_init(&g);
    CHECK_EQ(elf_load(&elf, &parms, guest_write, guest_clear, &g), 0);
    for ( i = 0; i < 0x40; i++ )
        CHECK(g.mem[i] == 0x90);
    CHECK(g.mem[0x40] == 0xf4);                     /* hlt */
    for ( i = 0; i < PAGE; i++ )
        CHECK(g.mem[hc - kstart + i] == 0xcc);
    CHECK_MEM(g.mem + data, "libelf test kernel data", 23);
    for ( i = data + 23; i < g.size; i++ )
        CHECK_MSG(g.mem[i] == 0, "bss byte %#llx", (unsigned long long)i);
    free(g.mem);
}

TEST(toolchain_kernel_high)
{
    check_built(kernel_high_start, kernel_high_end, KBASE, 0x3000);
    CHECK(!parms.legacy);
    CHECK_STR(parms.guest_os, "linux");
    CHECK_STR(parms.guest_ver, "2.6");
    CHECK_EQU(parms.elf_paddr_offset, 0);
    CHECK_EQU(parms.p2m_base, 0x8000000000ULL);
    CHECK_EQU(parms.hv_start_low, 0xffff800000000000ULL);
    CHECK_EQU(parms.phys32_entry, KPHYS + 0x40);
    CHECK(parms.mod_start_pfn);
    CHECK(parms.suspend_cancel);
    CHECK_EQ(parms.pae, XEN_PAE_EXTCR3);
    CHECK_EQU(parms.f_supported[0], (1u << 0) | (1u << 4) | (1u << 11) |
                                    (1u << 15));
    CHECK_EQU(parms.f_required[0], 1u << XENFEAT_writable_page_tables);
    CHECK(elf_dom0_capable(&parms));
    CHECK(elf_note_present(&parms, XEN_ELFNOTE_L1_MFN_VALID));
    CHECK_EQ(parms.nr_xen_notes, 17);
}

TEST(toolchain_kernel_zero)
{
    check_built(kernel_zero_start, kernel_zero_end, 0, 0x3000);
    CHECK_EQU(parms.virt_offset, 0);
    CHECK_EQU(parms.phys32_entry, KPHYS + 0x40);
    CHECK_EQU(parms.f_required[0], 1u << XENFEAT_writable_page_tables);
}

TEST(toolchain_kernel_legacy)
{
    /* No notes after the text: the data follows it at once. */
    check_built(kernel_legacy_start, kernel_legacy_end, KBASE, 0x2000);
    CHECK(parms.legacy);
    CHECK_EQU(parms.elf_paddr_offset, KBASE);
    CHECK_EQU(parms.virt_offset, 0);
    CHECK_EQ(parms.pae, XEN_PAE_EXTCR3);
    CHECK_EQU(parms.f_supported[0], (1u << 0) | (1u << 4));
    CHECK_EQU(parms.f_required[0], 1u << 4);
}

/* ------------------------------------------------------------------------
 * Damaged images: whatever the bytes, no read outside the block (ASan)
 * and no write outside [virt_kstart, virt_kend) (guest_call()).
 */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(uint64_t bound)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng % bound;
}

static void damage_and_parse(const uint8_t *orig, size_t len,
                             unsigned int rounds)
{
    static uint8_t buf[1 << 16];
    unsigned int r, k, accepted = 0;

    CHECK(len <= sizeof(buf));
    for ( r = 0; r < rounds; r++ )
    {
        size_t cut = rnd(4) ? len : rnd(len + 1);
        unsigned int flips = 1 + rnd(4);

        memcpy(buf, orig, len);
        for ( k = 0; k < flips; k++ )
        {
            /* Mostly the headers and notes, where the parsing happens. */
            size_t at = rnd(3) ? rnd(len < 0x200 ? len : 0x200) : rnd(len);

            buf[at] = rnd(3) ? rnd(256) : buf[at] ^ (1u << rnd(8));
        }
        if ( !parse(buf, cut) )
        {
            struct guest g;

            accepted++;
            CHECK(parms.virt_kstart < parms.virt_kend);
            CHECK(parms.virt_entry >= parms.virt_kstart &&
                  parms.virt_entry < parms.virt_kend);
            /* Only ranges the test can afford to model. */
            if ( parms.virt_kend - parms.virt_kstart <= (1u << 24) )
            {
                guest_init(&g);
                CHECK_EQ(elf_load(&elf, &parms, guest_write, guest_clear,
                                  &g), 0);
                free(g.mem);
            }
        }
    }
    /* Damage must not always be fatal, or the loads above never ran. */
    CHECK(accepted > 0);
}

TEST(damaged_images_stay_in_bounds)
{
    w_kernel(linux_notes, NR_LINUX);
    {
        uint8_t copy[sizeof(w.b)];
        size_t len = wlen;

        memcpy(copy, w.b, len);
        damage_and_parse(copy, len, 20000);
    }
    damage_and_parse(kernel_high_start, kernel_high_end - kernel_high_start,
                     20000);
    damage_and_parse(kernel_legacy_start,
                     kernel_legacy_end - kernel_legacy_start, 20000);
}
