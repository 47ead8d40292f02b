/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Remapping the image with 4 KiB pages and W^X permissions; see
 * asm/image.h. The L1 tables live in the image's BSS, so this needs no
 * allocator, and every table the walk below touches is image memory,
 * reachable at its image address.
 */
#include <asm/config.h>
#include <asm/extable.h>
#include <asm/image.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/selftest.h>

#define IMAGE_L1_TABLES (IMAGE_MAX_SIZE >> L2_PAGE_SHIFT)

extern char __image_start[], __rodata_start[], __data_start[], __image_end[];

static pgentry_t l1_image[IMAGE_L1_TABLES][PAGETABLE_ENTRIES]
    __aligned(PAGE_SIZE) __section(".bss.page_aligned");

/* _PAGE_NX if the CPU supports it (then EFER.NXE is on), else 0. */
static pgentry_t page_nx;
pgentry_t pte_flags_supported = ~_PAGE_NX;

/* The flags a page of the image must have, from the part it is in. */
static pgentry_t image_page_flags(unsigned long va)
{
    if ( va < (unsigned long)__rodata_start )
        return _PAGE_PRESENT;
    if ( va < (unsigned long)__data_start )
        return _PAGE_PRESENT | page_nx;
    return _PAGE_PRESENT | _PAGE_RW | page_nx;
}

static pgentry_t *image_l2(void)
{
    pgentry_t l3e = ((pgentry_t *)__va_image(
        idle_pg_table[l4_table_offset(XEN_VIRT_START)] & PTE_ADDR_MASK))
        [l3_table_offset(XEN_VIRT_START)];

    return __va_image(l3e & PTE_ADDR_MASK);
}

static void enable_nx(void)
{
    uint32_t eax, ebx, ecx, edx;

    cpuid(0x80000000, &eax, &ebx, &ecx, &edx);
    if ( eax < 0x80000001 )
        return;
    cpuid(0x80000001, &eax, &ebx, &ecx, &edx);
    if ( !(edx & CPUID_EXT_NX) )
    {
        printk(XENLOG_WARNING "CPU has no NX: image data stays executable\n");
        return;
    }
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    page_nx = _PAGE_NX;
    pte_flags_supported = ~0UL;
}

void __init image_map_init(void)
{
    unsigned long va, end = ROUNDUP((unsigned long)__image_end, PAGE_SIZE);
    pgentry_t *l2 = image_l2();
    unsigned int i;

    BUILD_BUG_ON(IMAGE_MAX_SIZE > (1UL << L3_PAGE_SHIFT));
    enable_nx();

    for ( va = XEN_VIRT_START; va < end; va += PAGE_SIZE )
    {
        unsigned long off = va - XEN_VIRT_START;

        l1_image[off >> L2_PAGE_SHIFT][l1_table_offset(va)] =
            (xen_phys_start + off) | image_page_flags(va);
    }

    /* Each L2 slot switches from a superpage to its L1 table at once. */
    for ( i = 0; i < DIV_ROUND_UP(end - XEN_VIRT_START, 1UL << L2_PAGE_SHIFT);
          i++ )
        l2[l2_table_offset(XEN_VIRT_START) + i] =
            __pa_image(l1_image[i]) | _PAGE_PRESENT | _PAGE_RW;

    /* No global pages yet: reloading CR3 flushes every translation. */
    write_cr3(read_cr3());
}

/* ------------------------------------------------------------------------
 * Self-test: walk the live tables and try a write to read-only data.
 */

static const char *check_image_page(unsigned long va)
{
    const pgentry_t *l2 = image_l2();
    pgentry_t l2e = l2[l2_table_offset(va)], l1e, want;

    if ( !(l2e & _PAGE_PRESENT) || (l2e & _PAGE_PSE) )
        return selftest_fail("%#lx: L2 entry %#lx is not an L1 table", va, l2e);
    l1e = ((const pgentry_t *)__va_image(l2e & PTE_ADDR_MASK))
        [l1_table_offset(va)];

    if ( va >= ROUNDUP((unsigned long)__image_end, PAGE_SIZE) )
        return (l1e & _PAGE_PRESENT)
               ? selftest_fail("%#lx past the image is mapped (%#lx)", va, l1e)
               : NULL;

    want = image_page_flags(va);
    if ( (l1e & (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX)) != want )
        return selftest_fail("%#lx: flags %#lx, want %#lx", va,
                             l1e & (_PAGE_PRESENT | _PAGE_RW | _PAGE_NX), want);
    if ( (l1e & PTE_ADDR_MASK) != __pa_image(va) )
        return selftest_fail("%#lx maps frame %#lx, want %#lx", va,
                             l1e & PTE_ADDR_MASK, __pa_image(va));

    return NULL;
}

static const unsigned long ro_canary = 0x5afe5afe5afe5afeUL;

static const char *selftest_image_mapping(void)
{
    unsigned long va, end = ROUNDUP((unsigned long)__image_end,
                                    1UL << L2_PAGE_SHIFT);
    const char *bad;

    for ( va = XEN_VIRT_START; va < end; va += PAGE_SIZE )
        if ( (bad = check_image_page(va)) )
            return bad;

    if ( !probe_write((volatile uint64_t *)&ro_canary, 0) )
        return selftest_fail("a write to .rodata did not fault");
    if ( extable_last_fault.vector != 14 ||
         extable_last_fault.cr2 != (unsigned long)&ro_canary ||
         (extable_last_fault.error_code & 3) != 3 )
        return selftest_fail("write to .rodata: vector %u error %#x cr2 %#lx",
                             extable_last_fault.vector,
                             extable_last_fault.error_code,
                             extable_last_fault.cr2);
    if ( *(volatile const unsigned long *)&ro_canary != 0x5afe5afe5afe5afeUL )
        return selftest_fail(".rodata changed under a faulting write");
    if ( !page_nx )
        printk(XENLOG_WARNING "image-mapping: no NX, not checked\n");

    return NULL;
}
REGISTER_SELFTEST("image-mapping", selftest_image_mapping);
