/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen ELF notes: walks a run of notes, picks those named "Xen" and
 * records what each says in elf_dom_parms. Defaults and cross-checks are
 * libelf-dominfo.c's; this file only reads values.
 */
#include "libelf-private.h"

enum note_kind {
    NOTE_NUM,       /* little-endian integer of 1, 2, 4 or 8 bytes */
    NOTE_STR,       /* NUL-terminated text */
    NOTE_WORDS,     /* array of 32-bit words */
    NOTE_OPAQUE,    /* recorded as present; contents unused */
};

static const struct {
    const char *name;
    enum note_kind kind;
} note_types[] = {
    [XEN_ELFNOTE_INFO]               = { "INFO", NOTE_OPAQUE },
    [XEN_ELFNOTE_ENTRY]              = { "ENTRY", NOTE_NUM },
    [XEN_ELFNOTE_HYPERCALL_PAGE]     = { "HYPERCALL_PAGE", NOTE_NUM },
    [XEN_ELFNOTE_VIRT_BASE]          = { "VIRT_BASE", NOTE_NUM },
    [XEN_ELFNOTE_PADDR_OFFSET]       = { "PADDR_OFFSET", NOTE_NUM },
    [XEN_ELFNOTE_XEN_VERSION]        = { "XEN_VERSION", NOTE_STR },
    [XEN_ELFNOTE_GUEST_OS]           = { "GUEST_OS", NOTE_STR },
    [XEN_ELFNOTE_GUEST_VERSION]      = { "GUEST_VERSION", NOTE_STR },
    [XEN_ELFNOTE_LOADER]             = { "LOADER", NOTE_STR },
    [XEN_ELFNOTE_PAE_MODE]           = { "PAE_MODE", NOTE_STR },
    [XEN_ELFNOTE_FEATURES]           = { "FEATURES", NOTE_STR },
    [XEN_ELFNOTE_BSD_SYMTAB]         = { "BSD_SYMTAB", NOTE_STR },
    [XEN_ELFNOTE_HV_START_LOW]       = { "HV_START_LOW", NOTE_NUM },
    [XEN_ELFNOTE_L1_MFN_VALID]       = { "L1_MFN_VALID", NOTE_OPAQUE },
    [XEN_ELFNOTE_SUSPEND_CANCEL]     = { "SUSPEND_CANCEL", NOTE_NUM },
    [XEN_ELFNOTE_INIT_P2M]           = { "INIT_P2M", NOTE_NUM },
    [XEN_ELFNOTE_MOD_START_PFN]      = { "MOD_START_PFN", NOTE_NUM },
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = { "SUPPORTED_FEATURES", NOTE_WORDS },
    [XEN_ELFNOTE_PHYS32_ENTRY]       = { "PHYS32_ENTRY", NOTE_NUM },
    [XEN_ELFNOTE_PHYS32_RELOC]       = { "PHYS32_RELOC", NOTE_OPAQUE },
};

/* One Xen note's value, checked for its kind. */
struct note_value {
    uint64_t num;
    const char *str;    /* NOTE_STR: str[0..len) holds no NUL */
    size_t len;
    const uint8_t *desc;
    uint32_t descsz;
};

void elf_parm_str(char dst[ELF_PARM_STR_SIZE], const char *src, size_t len)
{
    if ( len > ELF_PARM_STR_SIZE - 1 )
        len = ELF_PARM_STR_SIZE - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static uint64_t read_le(const uint8_t *b, unsigned int n)
{
    uint64_t v = 0;

    while ( n-- )
        v = (v << 8) | b[n];

    return v;
}

/*
 * Decodes desc for its kind. room is how much of the padded desc the
 * note area holds (at least descsz): Linux writes FEATURES with .ascii,
 * so its NUL is the first padding byte, outside descsz. Xen accepts
 * that, and so must this.
 */
static int decode(unsigned int type, const uint8_t *desc, uint32_t descsz,
                  uint64_t room, struct note_value *v,
                  struct elf_dom_parms *p, const char **why)
{
    const uint8_t *nul;

    v->desc = desc;
    v->descsz = descsz;

    switch ( note_types[type].kind )
    {
    case NOTE_NUM:
        if ( descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8 )
            break;
        v->num = read_le(desc, descsz);
        return 0;

    case NOTE_STR:
        nul = memchr(desc, '\0', room);
        if ( !nul )
        {
            elf_parm_str(p->detail, note_types[type].name,
                         strlen(note_types[type].name));
            return elf_fail(why, "Xen ELF note string not NUL-terminated");
        }
        v->str = (const char *)desc;
        v->len = nul - desc;
        return 0;

    case NOTE_WORDS:
        if ( !descsz || descsz % 4 )
            break;
        return 0;

    case NOTE_OPAQUE:
        return 0;
    }

    elf_parm_str(p->detail, note_types[type].name,
                 strlen(note_types[type].name));
    return elf_fail(why, "Xen ELF note value of a wrong size");
}

/* Records one decoded note; a note given twice keeps its last value. */
static int record(unsigned int type, const struct note_value *v,
                  struct elf_dom_parms *p, const char **why)
{
    unsigned int i;

    p->present |= 1u << type;

    switch ( type )
    {
    case XEN_ELFNOTE_ENTRY:
        p->virt_entry = v->num;
        break;
    case XEN_ELFNOTE_HYPERCALL_PAGE:
        p->virt_hypercall = v->num;
        break;
    case XEN_ELFNOTE_VIRT_BASE:
        p->virt_base = v->num;
        break;
    case XEN_ELFNOTE_PADDR_OFFSET:
        p->elf_paddr_offset = v->num;
        break;
    case XEN_ELFNOTE_HV_START_LOW:
        p->hv_start_low = v->num;
        break;
    case XEN_ELFNOTE_INIT_P2M:
        p->p2m_base = v->num;
        break;
    case XEN_ELFNOTE_SUSPEND_CANCEL:
        p->suspend_cancel = v->num;
        break;
    case XEN_ELFNOTE_MOD_START_PFN:
        p->mod_start_pfn = v->num;
        break;
    case XEN_ELFNOTE_PHYS32_ENTRY:
        p->phys32_entry = v->num;
        break;

    case XEN_ELFNOTE_XEN_VERSION:
        elf_parm_str(p->xen_ver, v->str, v->len);
        break;
    case XEN_ELFNOTE_GUEST_OS:
        elf_parm_str(p->guest_os, v->str, v->len);
        break;
    case XEN_ELFNOTE_GUEST_VERSION:
        elf_parm_str(p->guest_ver, v->str, v->len);
        break;
    case XEN_ELFNOTE_LOADER:
        elf_parm_str(p->loader, v->str, v->len);
        break;
    case XEN_ELFNOTE_PAE_MODE:
        /* As Xen reads it: "yes" exactly, or "bimodal" anywhere. */
        if ( v->len == 3 && !memcmp(v->str, "yes", 3) )
            p->pae = XEN_PAE_EXTCR3;
        for ( i = 0; i + 7 <= v->len; i++ )
            if ( !memcmp(v->str + i, "bimodal", 7) )
                p->pae = XEN_PAE_BIMODAL;
        break;
    case XEN_ELFNOTE_BSD_SYMTAB:
        p->bsd_symtab = v->len == 3 && !memcmp(v->str, "yes", 3);
        break;

    case XEN_ELFNOTE_FEATURES:
        return elf_features_parse(v->str, v->len, p, why);

    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        /* Words beyond what this build knows are features it lacks. */
        for ( i = 0; i < XENFEAT_NR_SUBMAPS && i < v->descsz / 4; i++ )
            p->f_supported[i] |= read_le(v->desc + 4 * i, 4);
        break;
    }

    return 0;
}

/* True for the name "Xen", NUL included, as Xen's tools write it. */
static bool is_xen_name(const uint8_t *name, uint32_t namesz)
{
    return namesz == 4 && !memcmp(name, "Xen", 4);
}

int elf_notes_parse(const struct elf_binary *elf, uint64_t off, uint64_t len,
                    struct elf_dom_parms *p, const char **why)
{
    const uint8_t *area;
    uint64_t pos = 0;
    int found = 0;

    if ( !elf_range_ok(elf, off, len) )
        return elf_fail(why, "ELF note segment outside the image");
    area = elf->image + off;

    while ( len - pos >= sizeof(Elf64_Nhdr) )
    {
        const uint8_t *name, *desc;
        uint64_t rest, name_room, room;
        struct note_value v = { 0 };
        Elf64_Nhdr nh;
        int rc;

        memcpy(&nh, area + pos, sizeof(nh));
        rest = len - pos - sizeof(nh);
        name_room = NOTE_PAD(nh.n_namesz);

        /* The desc's own padding may be cut off by the area's end. */
        if ( name_room > rest || nh.n_descsz > rest - name_room )
            return elf_fail(why, "ELF note truncated");
        room = NOTE_PAD(nh.n_descsz);
        if ( room > rest - name_room )
            room = rest - name_room;

        name = area + pos + sizeof(nh);
        desc = name + name_room;
        pos += sizeof(nh) + name_room + room;

        if ( !is_xen_name(name, nh.n_namesz) )
            continue;
        found++;

        /* Xen skips types it does not know; newer kernels may add some. */
        if ( nh.n_type >= ARRAY_SIZE(note_types) ||
             !note_types[nh.n_type].name )
            continue;

        rc = decode(nh.n_type, desc, nh.n_descsz, room, &v, p, why);
        if ( !rc )
            rc = record(nh.n_type, &v, p, why);
        if ( rc )
            return rc;
    }

    /* Padding after the last note is harmless; anything else is not. */
    for ( ; pos < len; pos++ )
        if ( area[pos] )
            return elf_fail(why, "ELF note truncated");

    return found;
}
