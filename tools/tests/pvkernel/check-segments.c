/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptor tables: set_gdt (frames with no writable mapping, every
 * descriptor valid) and update_descriptor (what check_descriptor lets a
 * 64-bit PV guest have: code and data segments, DPL raised to 3; call
 * gates to guest code, DPL forced to 0 so that their use traps; nothing
 * else), and a selector loaded from the new GDT.
 */
#include "pvkernel.h"

#define DESC_DATA_DPL3      0x00cff3000000ffffUL
#define DESC_CODE64_DPL3    0x00affb000000ffffUL
#define DESC_CODE64_DPL0    0x00af9b000000ffffUL
#define DESC_DATA_NP        0x00cf73000000ffffUL    /* not present */
#define DESC_TSS            0x0000890000000067UL
#define DESC_DPL_MASK       (3UL << 45)

/* A 64-bit call gate's first half: offset 0, DPL 3, present. */
static uint64_t call_gate(uint16_t sel)
{
    return (0xec00UL << 32) | ((uint64_t)sel << 16);
}

static uint16_t read_es(void)
{
    uint16_t sel;

    asm volatile ( "mov %%es, %0" : "=r" (sel) );
    return sel;
}

static void load_es(uint16_t sel)
{
    asm volatile ( "mov %0, %%es" :: "r" (sel) : "memory" );
}

PVTEST(set_gdt_writable_frame_refused)
{
    unsigned long gdt = scratch_page();
    unsigned long frame = va_to_mfn(gdt);

    ((uint64_t *)gdt)[1] = DESC_DATA_DPL3;
    EXPECT_ERR(HYPERVISOR_set_gdt(&frame, 512), EINVAL);
    /* More entries than the guest part of the GDT. */
    EXPECT_OK(remap_ro(gdt));
    EXPECT_ERR(HYPERVISOR_set_gdt(&frame, 14 * 512 + 1), EINVAL);
}

PVTEST(set_gdt_bad_descriptor_refused)
{
    unsigned long gdt = scratch_page();
    unsigned long frame = va_to_mfn(gdt);

    ((uint64_t *)gdt)[5] = DESC_TSS;
    EXPECT_OK(remap_ro(gdt));
    EXPECT_ERR(HYPERVISOR_set_gdt(&frame, 512), EINVAL);
}

PVTEST(set_gdt_load_and_update_descriptor)
{
    unsigned long gdt = scratch_page();
    unsigned long frame = va_to_mfn(gdt);
    uint64_t ma = frame << PAGE_SHIFT;
    volatile uint64_t *d = (volatile uint64_t *)gdt;

    d[1] = DESC_DATA_DPL3;
    d[2] = DESC_CODE64_DPL3;
    EXPECT_OK(remap_ro(gdt));
    EXPECT_OK(HYPERVISOR_set_gdt(&frame, 512));
    /* The frame is a descriptor table now: no writable mapping. */
    expect(remap_rw(gdt) < 0, "writable mapping of the GDT frame accepted");

    load_es(0x0b);
    EXPECT_EQ(read_es(), 0x0b);
    /* Xen's flat selectors still work beside the guest's. */
    load_es(FLAT_KERNEL_SS);
    EXPECT_EQ(read_es(), FLAT_KERNEL_SS);

    /* A new entry through update_descriptor, then loaded. */
    EXPECT_OK(HYPERVISOR_update_descriptor(ma + 3 * 8, DESC_DATA_DPL3));
    EXPECT_EQ(d[3], DESC_DATA_DPL3);
    load_es(0x1b);
    EXPECT_EQ(read_es(), 0x1b);

    /* Not present: accepted, and loading it faults #NP. */
    load_es(0);
    EXPECT_OK(HYPERVISOR_update_descriptor(ma + 3 * 8, DESC_DATA_NP));
    if ( !pv_setjmp(trap_catch()) )
    {
        load_es(0x1b);
        trap_catch_end();
        fail("loading a not-present descriptor did not fault");
    }
    else
    {
        EXPECT_EQ(caught.vector, 11);
        EXPECT_EQ(caught.error_code, 0x18);
    }

    /* A DPL-0 code segment is taken with its DPL raised to 3. */
    EXPECT_OK(HYPERVISOR_update_descriptor(ma + 4 * 8, DESC_CODE64_DPL0));
    EXPECT_EQ(d[4], DESC_CODE64_DPL3);
    /* A call gate to guest code: kept with DPL 0, so using it traps. */
    EXPECT_OK(HYPERVISOR_update_descriptor(ma + 6 * 8,
                                           call_gate(FLAT_KERNEL_CS)));
    EXPECT_EQ(d[6] & DESC_DPL_MASK, 0);
    /* Refused: a call gate into the hypervisor, a TSS, misalignment. */
    EXPECT_ERR(HYPERVISOR_update_descriptor(ma + 8 * 8, call_gate(0xe008)),
               EINVAL);
    EXPECT_ERR(HYPERVISOR_update_descriptor(ma + 8 * 8, DESC_TSS), EINVAL);
    EXPECT_ERR(HYPERVISOR_update_descriptor(ma + 8 * 8 + 4, DESC_DATA_DPL3),
               EINVAL);
    EXPECT_EQ(d[8], 0);

    /* Back to no GDT of our own; the frame is plain memory again. */
    load_es(0);
    EXPECT_OK(HYPERVISOR_set_gdt(NULL, 0));
    EXPECT_OK(remap_rw(gdt));
}

static long set_ldt(unsigned long va, unsigned int ents)
{
    struct mmuext_op op = {
        .cmd = MMUEXT_SET_LDT,
        .arg1.linear_addr = va,
        .arg2.nr_ents = ents,
    };

    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * An LDT: its page mapped read-only becomes a descriptor page, its
 * selectors then load; without it they fault. (Xen takes the page's
 * type at the first selector load, Xenon at SET_LDT, which refuses a
 * writable page at once: only what both do is checked.)
 */
PVTEST(set_ldt_load_selector)
{
    unsigned long ldt = scratch_page();

    ((uint64_t *)ldt)[0] = DESC_DATA_DPL3;
    ((uint64_t *)ldt)[1] = DESC_CODE64_DPL0;
    EXPECT_OK(remap_ro(ldt));
    EXPECT_ERR(set_ldt(ldt + 8, 2), EINVAL);    /* not page aligned */
    EXPECT_ERR(set_ldt(ldt, 8193), EINVAL);     /* too many entries */
    EXPECT_OK(set_ldt(ldt, 2));

    load_es(0x07);                              /* index 0, TI, RPL 3 */
    EXPECT_EQ(read_es(), 0x07);
    /* The page is a descriptor table in use: no writable mapping. */
    expect(remap_rw(ldt) < 0, "writable mapping of the LDT frame accepted");
    load_es(0);

    EXPECT_OK(set_ldt(0, 0));
    if ( !pv_setjmp(trap_catch()) )
    {
        load_es(0x07);
        trap_catch_end();
        fail("an LDT selector loaded with no LDT");
    }
    else
        EXPECT_EQ(caught.vector, 13);
    load_es(0);
    EXPECT_OK(remap_rw(ldt));
}
