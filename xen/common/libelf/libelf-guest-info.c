/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The legacy __xen_guest section: one string of comma-separated KEY=value
 * items, what kernels said before ELF notes existed. Each key stands for
 * one note (p->present records it under that note's number); keys this
 * loader does not know are skipped, as Xen skips them.
 */
#include "libelf-private.h"

/* strtoull() with base 0 over exactly len bytes: all digits, no wrap. */
static bool parse_number(const char *s, size_t len, uint64_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;
    size_t i = 0;

    if ( len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
    {
        base = 16;
        i = 2;
    }
    else if ( len > 1 && s[0] == '0' )
    {
        base = 8;
        i = 1;
    }
    if ( !len )
        return false;

    for ( ; i < len; i++ )
    {
        char c = s[i];
        unsigned int d;

        if ( c >= '0' && c <= '9' )
            d = c - '0';
        else if ( c >= 'a' && c <= 'f' )
            d = c - 'a' + 10;
        else if ( c >= 'A' && c <= 'F' )
            d = c - 'A' + 10;
        else
            return false;
        if ( d >= base || v > (UINT64_MAX - d) / base )
            return false;
        v = v * base + d;
    }

    *out = v;
    return true;
}

static bool key_is(const char *key, size_t klen, const char *want)
{
    return strlen(want) == klen && !memcmp(key, want, klen);
}

/* The note each numeric key stands for, and where its value goes. */
static uint64_t *numeric_key(const char *key, size_t klen,
                             struct elf_dom_parms *p, unsigned int *type)
{
    if ( key_is(key, klen, "VIRT_BASE") )
    {
        *type = XEN_ELFNOTE_VIRT_BASE;
        return &p->virt_base;
    }
    if ( key_is(key, klen, "VIRT_ENTRY") )
    {
        *type = XEN_ELFNOTE_ENTRY;
        return &p->virt_entry;
    }
    if ( key_is(key, klen, "ELF_PADDR_OFFSET") )
    {
        *type = XEN_ELFNOTE_PADDR_OFFSET;
        return &p->elf_paddr_offset;
    }
    if ( key_is(key, klen, "HYPERCALL_PAGE") )
    {
        /* A page number for now; made an address once VIRT_BASE is known. */
        *type = XEN_ELFNOTE_HYPERCALL_PAGE;
        return &p->virt_hypercall;
    }

    return NULL;
}

/* The note each string key stands for, and where its value goes. */
static char *string_key(const char *key, size_t klen,
                        struct elf_dom_parms *p, unsigned int *type)
{
    if ( key_is(key, klen, "LOADER") )
    {
        *type = XEN_ELFNOTE_LOADER;
        return p->loader;
    }
    if ( key_is(key, klen, "GUEST_OS") )
    {
        *type = XEN_ELFNOTE_GUEST_OS;
        return p->guest_os;
    }
    if ( key_is(key, klen, "GUEST_VER") )
    {
        *type = XEN_ELFNOTE_GUEST_VERSION;
        return p->guest_ver;
    }
    if ( key_is(key, klen, "XEN_VER") )
    {
        *type = XEN_ELFNOTE_XEN_VERSION;
        return p->xen_ver;
    }

    return NULL;
}

/* One KEY or KEY=value item; val is NULL when there is no '='. */
static int parse_item(const char *key, size_t klen, const char *val,
                      size_t vlen, struct elf_dom_parms *p, const char **why)
{
    unsigned int type;
    uint64_t *num;
    char *str;

    if ( (num = numeric_key(key, klen, p, &type)) != NULL )
    {
        if ( !val || !parse_number(val, vlen, num) )
        {
            elf_parm_str(p->detail, key, klen);
            return elf_fail(why, "__xen_guest: bad number");
        }
    }
    else if ( (str = string_key(key, klen, p, &type)) != NULL )
        elf_parm_str(str, val ?: "", val ? vlen : 0);
    else if ( key_is(key, klen, "PAE") )
    {
        type = XEN_ELFNOTE_PAE_MODE;
        if ( val && key_is(val, vlen, "yes[extended-cr3]") )
            p->pae = XEN_PAE_EXTCR3;
        else if ( val && vlen >= 3 && !memcmp(val, "yes", 3) )
            p->pae = XEN_PAE_YES;
    }
    else if ( key_is(key, klen, "BSD_SYMTAB") )
    {
        /* Here the key alone says yes, whatever its value. */
        type = XEN_ELFNOTE_BSD_SYMTAB;
        p->bsd_symtab = true;
    }
    else if ( key_is(key, klen, "FEATURES") )
    {
        int rc = elf_features_parse(val ?: "", val ? vlen : 0, p, why);

        if ( rc )
            return rc;
        type = XEN_ELFNOTE_FEATURES;
    }
    else
        return 0;

    p->present |= 1u << type;
    return 0;
}

int elf_guest_info_parse(const char *s, size_t len, struct elf_dom_parms *p,
                         const char **why)
{
    const char *nul = memchr(s, '\0', len);
    size_t pos = 0;
    int rc;

    if ( nul )
        len = nul - s;

    while ( pos < len )
    {
        const char *comma = memchr(s + pos, ',', len - pos);
        size_t end = comma ? (size_t)(comma - s) : len;
        const char *eq = memchr(s + pos, '=', end - pos);
        size_t klen = eq ? (size_t)(eq - s) - pos : end - pos;

        rc = parse_item(s + pos, klen, eq ? eq + 1 : NULL,
                        eq ? end - (size_t)(eq + 1 - s) : 0, p, why);
        if ( rc )
            return rc;
        pos = comma ? end + 1 : len;
    }

    /* Xen's meaning: a page number counted from VIRT_BASE. */
    if ( elf_note_present(p, XEN_ELFNOTE_HYPERCALL_PAGE) )
    {
        if ( p->virt_hypercall > (UINT64_MAX >> 12) )
        {
            elf_parm_str(p->detail, "HYPERCALL_PAGE", 14);
            return elf_fail(why, "__xen_guest: bad number");
        }
        p->virt_hypercall = (p->virt_hypercall << 12) + p->virt_base;
    }

    return 0;
}
