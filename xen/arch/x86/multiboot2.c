/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The multiboot2 boot information: a header (total size, reserved) then
 * 8-byte-aligned tags, each starting with a type and a size, ending with a
 * tag of type 0. Tag numbers and layouts follow the Multiboot2
 * specification.
 */
#include <asm/bootinfo.h>
#include <asm/bootmap.h>
#include <asm/e820.h>
#include <xen/lib.h>
#include <xen/string.h>

#define MB2_TAG_END          0
#define MB2_TAG_CMDLINE      1
#define MB2_TAG_LOADER_NAME  2
#define MB2_TAG_MODULE       3
#define MB2_TAG_MMAP         6
#define MB2_TAG_EFI64        12
#define MB2_TAG_ACPI_OLD     14
#define MB2_TAG_ACPI_NEW     15
#define MB2_TAG_EFI_MMAP     17

#define MB2_INFO_MAX (1U << 20) /* sanity bound on total_size */

struct mb2_tag {
    uint32_t type, size;
};

struct mb2_tag_module {
    uint32_t type, size;
    uint32_t mod_start, mod_end;
    char cmdline[];
};

struct mb2_tag_mmap {
    uint32_t type, size;
    uint32_t entry_size, entry_version;
};

struct mb2_mmap_entry {
    uint64_t addr, len;
    uint32_t type, zero;
};

struct mb2_tag_efi_mmap {
    uint32_t type, size;
    uint32_t descr_size, descr_vers;
};

struct efi_memory_desc {
    uint32_t type, pad;
    uint64_t phys_start, virt_start, num_pages, attribute;
};

struct boot_info boot_info;

/* Copies a tag's string (not necessarily terminated within the tag). */
static void copy_tag_string(char *dst, size_t dst_size, const char *src,
                            size_t src_len)
{
    size_t n = strnlen(src, src_len);

    if ( n >= dst_size )
        n = dst_size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void add_raw_entry(uint64_t addr, uint64_t len, uint32_t type)
{
    if ( e820_raw.nr_map == E820_MAX )
    {
        printk(XENLOG_WARNING "Memory map has more than %u entries; "
               "ignoring the rest\n", E820_MAX);
        return;
    }
    e820_raw.map[e820_raw.nr_map++] = (struct e820entry){ addr, len, type };
}

static void parse_bios_mmap(const struct mb2_tag_mmap *t)
{
    const uint8_t *p = (const uint8_t *)(t + 1);
    const uint8_t *end = (const uint8_t *)t + t->size;

    if ( t->entry_size < sizeof(struct mb2_mmap_entry) )
        panic("multiboot2: memory map entry size %u too small", t->entry_size);
    for ( ; p + t->entry_size <= end; p += t->entry_size )
    {
        const struct mb2_mmap_entry *e = (const void *)p;

        add_raw_entry(e->addr, e->len, e->type);
    }
}

static void parse_efi_mmap(const struct mb2_tag_efi_mmap *t)
{
    const uint8_t *p = (const uint8_t *)(t + 1);
    const uint8_t *end = (const uint8_t *)t + t->size;

    if ( t->descr_size < sizeof(struct efi_memory_desc) )
        panic("multiboot2: EFI descriptor size %u too small", t->descr_size);
    for ( ; p + t->descr_size <= end; p += t->descr_size )
    {
        const struct efi_memory_desc *d = (const void *)p;

        add_raw_entry(d->phys_start, d->num_pages << 12,
                      efi_type_to_e820(d->type));
    }
}

static void parse_module(const struct mb2_tag_module *t)
{
    struct boot_module *m;

    if ( boot_info.nr_modules == BOOT_MODULES_MAX )
    {
        printk(XENLOG_WARNING "More than %u modules; ignoring the rest\n",
               BOOT_MODULES_MAX);
        return;
    }
    if ( t->mod_end < t->mod_start )
    {
        printk(XENLOG_WARNING "Module at %#x ends before it starts; ignored\n",
               t->mod_start);
        return;
    }
    m = &boot_info.modules[boot_info.nr_modules++];
    m->start = t->mod_start;
    m->end = t->mod_end;
    copy_tag_string(m->cmdline, sizeof(m->cmdline), t->cmdline,
                    t->size - sizeof(*t));
}

static void copy_rsdp(const struct mb2_tag *t)
{
    size_t len = t->size - sizeof(*t);

    /* The newer tag (ACPI 2.0+ RSDP) wins whatever the tag order. */
    if ( t->type == MB2_TAG_ACPI_OLD && boot_info.rsdp_len > 20 )
        return;
    if ( len > BOOT_RSDP_MAX )
        len = BOOT_RSDP_MAX;
    memcpy(boot_info.rsdp, t + 1, len);
    boot_info.rsdp_len = len;
}

void multiboot2_parse(paddr_t mbi_pa)
{
    const uint32_t *hdr = bootmap_map(mbi_pa, 8);
    uint32_t total = hdr[0];
    const uint8_t *mbi, *p, *end;
    const struct mb2_tag_mmap *bios_mmap = NULL;
    const struct mb2_tag_efi_mmap *efi_mmap = NULL;

    bootmap_unmap(hdr, 8);
    if ( total < 16 || total > MB2_INFO_MAX || (mbi_pa & 7) )
        panic("multiboot2: implausible boot information at %#lx (size %u)",
              mbi_pa, total);

    mbi = bootmap_map(mbi_pa, total);
    boot_info.mbi_start = mbi_pa;
    boot_info.mbi_end = mbi_pa + total;
    end = mbi + total;

    for ( p = mbi + 8; p + sizeof(struct mb2_tag) <= end; )
    {
        const struct mb2_tag *t = (const void *)p;

        if ( t->type == MB2_TAG_END )
            break;
        if ( t->size < sizeof(*t) || p + t->size > end )
            panic("multiboot2: tag %u at offset %lu has bad size %u",
                  t->type, (unsigned long)(p - mbi), t->size);

        switch ( t->type )
        {
        case MB2_TAG_CMDLINE:
            copy_tag_string(boot_info.cmdline, sizeof(boot_info.cmdline),
                            (const char *)(t + 1), t->size - sizeof(*t));
            break;
        case MB2_TAG_LOADER_NAME:
            copy_tag_string(boot_info.loader, sizeof(boot_info.loader),
                            (const char *)(t + 1), t->size - sizeof(*t));
            break;
        case MB2_TAG_MODULE:
            parse_module((const void *)t);
            break;
        case MB2_TAG_MMAP:
            bios_mmap = (const void *)t;
            break;
        case MB2_TAG_EFI_MMAP:
            efi_mmap = (const void *)t;
            break;
        case MB2_TAG_EFI64:
            boot_info.efi = true;
            if ( t->size >= sizeof(*t) + sizeof(uint64_t) )
                boot_info.efi_systab = *(const uint64_t *)(t + 1);
            break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW:
            copy_rsdp(t);
            break;
        }
        p += ROUNDUP(t->size, 8U);
    }

    /*
     * The EFI map is the firmware's own, as of ExitBootServices; GRUB's
     * BIOS-style map is derived from it. Prefer the original.
     */
    if ( efi_mmap )
    {
        parse_efi_mmap(efi_mmap);
        boot_info.mmap_source = "EFI memory map";
    }
    else if ( bios_mmap )
    {
        parse_bios_mmap(bios_mmap);
        boot_info.mmap_source = "multiboot2 memory map";
    }
    else
        panic("multiboot2: the boot loader gave no memory map");

    bootmap_unmap(mbi, total);
}
