/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU's physical address width. A page-table entry with an address
 * bit above it faults on use (a reserved-bit #PF), so every address that
 * comes from outside (firmware tables, a guest's I/O mappings) is checked
 * against it before it is mapped.
 */
#include <xen/lib.h>
#include <asm/processor.h>

unsigned int paddr_bits(void)
{
    static unsigned int bits;
    uint32_t eax, ebx, ecx, edx;

    if ( bits )
        return bits;

    cpuid(0x80000000, &eax, &ebx, &ecx, &edx);
    if ( eax >= 0x80000008 )
    {
        cpuid(0x80000008, &eax, &ebx, &ecx, &edx);
        bits = eax & 0xff;
    }
    /* Without the leaf the architecture promises 36 bits; so does sanity. */
    if ( bits < 32 || bits > 52 )
        bits = 36;

    return bits;
}
