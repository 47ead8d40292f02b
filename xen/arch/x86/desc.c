/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot CPU's descriptor tables: GDT, TSS and IDT, and the stacks the
 * TSS points at.
 *
 * head.S runs on a minimal GDT without a TSS, and with no IDT at all, so
 * any exception before trap_init() triple faults. trap_init() replaces
 * both with the tables the hypervisor keeps.
 */
#include <asm/config.h>
#include <asm/traps.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/string.h>

/* 64-bit TSS (SDM vol. 3, "Task Management in 64-bit Mode"). */
struct __packed tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

/* 16-byte gate of a 64-bit IDT. */
struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};

struct __packed desc_ptr {
    uint16_t limit;
    uint64_t base;
};

#define GDT_ENTRIES 5

/* Present, DPL 0, 64-bit interrupt gate: IF is cleared on entry. */
#define GATE_INTR64 0x8e
/* Present, DPL 0, available 64-bit TSS. */
#define DESC_TSS64  0x89

static uint64_t gdt[GDT_ENTRIES] __aligned(16);
static struct tss64 boot_tss __aligned(128);
static struct idt_gate idt[X86_NR_VECTORS] __aligned(4096);

/*
 * NMI, #DF and #MC can arrive when the current stack is unusable (a
 * #DF is often a stack overflow), so each switches to a stack of its own.
 */
static unsigned char ist_stacks[IST_MAX][STACK_SIZE] __aligned(4096);

extern unsigned char cpu0_stack[];                   /* head.S */
extern const unsigned long entry_stub_table[];       /* entry.S */

bool get_stack_bounds(unsigned long addr, unsigned long *lo,
                      unsigned long *hi)
{
    unsigned long base = (unsigned long)cpu0_stack;
    unsigned int i;

    if ( addr >= base && addr - base < STACK_SIZE )
    {
        *lo = base;
        *hi = base + STACK_SIZE;
        return true;
    }

    for ( i = 0; i < IST_MAX; i++ )
    {
        base = (unsigned long)ist_stacks[i];
        if ( addr >= base && addr - base < STACK_SIZE )
        {
            *lo = base;
            *hi = base + STACK_SIZE;
            return true;
        }
    }

    return false;
}

static void __init set_gate(unsigned int vec, unsigned long addr,
                            unsigned int ist)
{
    struct idt_gate *g = &idt[vec];

    g->offset_lo = addr & 0xffff;
    g->selector = __HYPERVISOR_CS;
    g->ist = ist;
    g->type_attr = GATE_INTR64;
    g->offset_mid = (addr >> 16) & 0xffff;
    g->offset_hi = addr >> 32;
    g->reserved = 0;
}

static void __init build_gdt(void)
{
    unsigned long base = (unsigned long)&boot_tss;
    unsigned long limit = sizeof(boot_tss) - 1;

    gdt[0] = 0;
    /* Long-mode code: L=1, D=0; present, DPL 0, execute/read. */
    gdt[__HYPERVISOR_CS >> 3] = 0x00af9a000000ffffUL;
    /* Flat data: present, DPL 0, read/write (base and limit ignored). */
    gdt[__HYPERVISOR_DS >> 3] = 0x00cf92000000ffffUL;

    /* The TSS descriptor's second half carries base bits 63:32. */
    gdt[TSS_SELECTOR >> 3] = (limit & 0xffff) |
                             ((base & 0xffffffUL) << 16) |
                             ((unsigned long)DESC_TSS64 << 40) |
                             (((limit >> 16) & 0xf) << 48) |
                             (((base >> 24) & 0xff) << 56);
    gdt[(TSS_SELECTOR >> 3) + 1] = base >> 32;
}

static void __init build_tss(void)
{
    unsigned int i;

    memset(&boot_tss, 0, sizeof(boot_tss));
    for ( i = 0; i < IST_MAX; i++ )
        boot_tss.ist[i] = (unsigned long)ist_stacks[i] + STACK_SIZE;
    /* A bitmap offset past the limit: no I/O bitmap, all ports closed. */
    boot_tss.iomap_base = sizeof(boot_tss);
}

static void __init build_idt(void)
{
    unsigned int vec;

    for ( vec = 0; vec < X86_NR_VECTORS; vec++ )
    {
        unsigned int ist = 0;

        if ( vec == X86_EXC_DF )
            ist = IST_DF;
        else if ( vec == X86_EXC_NMI )
            ist = IST_NMI;
        else if ( vec == X86_EXC_MC )
            ist = IST_MC;

        set_gate(vec, entry_stub_table[vec], ist);
    }
}

void __init trap_init(void)
{
    struct desc_ptr gdtr = {
        .limit = sizeof(gdt) - 1,
        .base = (unsigned long)gdt,
    };
    struct desc_ptr idtr = {
        .limit = sizeof(idt) - 1,
        .base = (unsigned long)idt,
    };
    unsigned long tmp;

    BUILD_BUG_ON(sizeof(struct tss64) != 104);
    BUILD_BUG_ON(sizeof(struct idt_gate) != 16);
    BUILD_BUG_ON((TSS_SELECTOR >> 3) + 2 > GDT_ENTRIES);

    build_gdt();
    build_tss();
    build_idt();

    /*
     * CS can only be reloaded by a far transfer; a far return to the next
     * instruction is the simplest. FS and GS stay as head.S left them
     * (null), so that their bases are not disturbed.
     */
    __asm__ __volatile__ (
        "    lgdt %[gdtr]\n"
        "    pushq %[cs]\n"
        "    leaq 1f(%%rip), %[tmp]\n"
        "    pushq %[tmp]\n"
        "    lretq\n"
        "1:  movl %[ds], %k[tmp]\n"
        "    movl %k[tmp], %%ds\n"
        "    movl %k[tmp], %%es\n"
        "    movl %k[tmp], %%ss\n"
        : [tmp] "=&r" (tmp)
        : [gdtr] "m" (gdtr), [cs] "i" (__HYPERVISOR_CS),
          [ds] "i" (__HYPERVISOR_DS)
        : "memory" );

    /* ltr marks the descriptor busy, so it only works once per TSS. */
    __asm__ __volatile__ ( "ltr %w0" :: "r" (TSS_SELECTOR) : "memory" );
    __asm__ __volatile__ ( "lidt %0" :: "m" (idtr) : "memory" );
}
