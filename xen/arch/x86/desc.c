/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptor tables: the shared IDT, and each CPU's GDT and TSS.
 *
 * head.S runs on a minimal GDT without a TSS, and with no IDT at all, so
 * any exception before trap_init() triple faults. trap_init() replaces
 * both with the tables the hypervisor keeps.
 */
#include <asm/config.h>
#include <asm/desc.h>
#include <asm/traps.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/mm.h>
#include <xen/percpu.h>
#include <asm/smp.h>
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

/* Present, DPL 0, 64-bit interrupt gate: IF is cleared on entry. */
#define GATE_INTR64 0x8e
/* Present, DPL 0, available 64-bit TSS. */
#define DESC_TSS64  0x89

/*
 * One IDT for all CPUs; a descriptor page (asm/desc.h) and a TSS per
 * CPU, since the TSS carries the CPU's own IST stacks (NMI, #DF and #MC
 * may arrive when the current stack is unusable, so each has a stack of
 * its own inside the CPU's stack block; see asm/config.h).
 */
static DEFINE_PER_CPU(struct tss64, cpu_tss) __aligned(128);
static struct idt_gate idt[X86_NR_VECTORS] __aligned(4096);
static uint64_t boot_gdt_page[PAGE_SIZE / 8] __aligned(PAGE_SIZE);

uint64_t *cpu_gdt_page[CONFIG_NR_CPUS] = { [0] = boot_gdt_page };

extern unsigned char cpu0_stack[];                   /* head.S */
extern const unsigned long entry_stub_table[];       /* entry.S */

void *stack_base[CONFIG_NR_CPUS] = { [0] = cpu0_stack };

bool get_stack_bounds(unsigned long addr, unsigned long *lo,
                      unsigned long *hi)
{
    unsigned long block = stack_block_of(addr);
    unsigned int cpu, page = (addr - block) >> PAGE_SHIFT;

    for ( cpu = 0; cpu < CONFIG_NR_CPUS; cpu++ )
        if ( (unsigned long)stack_base[cpu] == block )
            break;
    if ( cpu == CONFIG_NR_CPUS )
        return false;

    if ( page >= PRIMARY_STACK_PAGE )
    {
        *lo = block + PRIMARY_STACK_PAGE * PAGE_SIZE;
        *hi = block + STACK_SIZE;
        return true;
    }
    if ( page >= 1 && page < 1 + IST_MAX * IST_STACK_PAGES )
    {
        unsigned int ist = (page - 1) / IST_STACK_PAGES + 1;

        *hi = ist_stack_top(block, ist);
        *lo = *hi - IST_STACK_PAGES * PAGE_SIZE;
        return true;
    }

    return false; /* a guard page */
}

static void __init set_gate(unsigned int vec, unsigned long addr,
                            unsigned int ist, unsigned int dpl)
{
    struct idt_gate *g = &idt[vec];

    g->offset_lo = addr & 0xffff;
    g->selector = __HYPERVISOR_CS;
    g->ist = ist;
    g->type_attr = GATE_INTR64 | (dpl << 5);
    g->offset_mid = (addr >> 16) & 0xffff;
    g->offset_hi = addr >> 32;
    g->reserved = 0;
}

int gdt_page_alloc(unsigned int cpu)
{
    if ( !cpu_gdt_page[cpu] )
        cpu_gdt_page[cpu] = alloc_xenheap_page();

    return cpu_gdt_page[cpu] ? 0 : -ENOMEM;
}

static void build_gdt_page(uint64_t *gdt, const struct tss64 *tss)
{
    unsigned long base = (unsigned long)tss;
    unsigned long limit = sizeof(*tss) - 1;

    memset(gdt, 0, PAGE_SIZE);
    /* Long-mode code: L=1, D=0; present, DPL 0, execute/read. */
    gdt[GDT_PAGE_INDEX(__HYPERVISOR_CS)] = 0x00af9a000000ffffUL;
    /* Flat data: present, DPL 0, read/write (base and limit ignored). */
    gdt[GDT_PAGE_INDEX(__HYPERVISOR_DS)] = 0x00cf92000000ffffUL;
    /*
     * What 64-bit PV guests run on, all DPL 3: 32-bit code (only there
     * for SYSRET's selector arithmetic), flat data, long-mode code.
     */
    gdt[GDT_PAGE_INDEX(FLAT_RING3_CS32)] = 0x00cffa000000ffffUL;
    gdt[GDT_PAGE_INDEX(FLAT_RING3_SS)] = 0x00cff2000000ffffUL;
    gdt[GDT_PAGE_INDEX(FLAT_RING3_CS64)] = 0x00affa000000ffffUL;

    /* The TSS descriptor's second half carries base bits 63:32. */
    gdt[GDT_PAGE_INDEX(TSS_SELECTOR)] = (limit & 0xffff) |
                                        ((base & 0xffffffUL) << 16) |
                                        ((unsigned long)DESC_TSS64 << 40) |
                                        (((limit >> 16) & 0xf) << 48) |
                                        (((base >> 24) & 0xff) << 56);
    gdt[GDT_PAGE_INDEX(TSS_SELECTOR) + 1] = base >> 32;
}

void load_gdt(unsigned long base)
{
    struct desc_ptr gdtr = { .limit = GDT_LIMIT, .base = base };

    __asm__ __volatile__ ( "lgdt %0" :: "m" (gdtr) : "memory" );
}

void load_hypervisor_gdt(void)
{
    load_gdt((unsigned long)cpu_gdt_page[smp_processor_id()] -
             FIRST_RESERVED_GDT_BYTE);
}

static void build_tss(struct tss64 *tss, unsigned long block)
{
    unsigned int i;

    memset(tss, 0, sizeof(*tss));
    /*
     * Where an interrupt from guest mode (ring 3) starts pushing: the
     * guest's registers land in struct cpu_info (asm/current.h). Nothing
     * runs in ring 3 before the PV issues, but then nothing has to
     * change here.
     */
    tss->rsp[0] = guest_frame_top(block);
    for ( i = 1; i <= IST_MAX; i++ )
        tss->ist[i - 1] = ist_stack_top(block, i);
    /* A bitmap offset past the limit: no I/O bitmap, all ports closed. */
    tss->iomap_base = sizeof(*tss);
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

        /*
         * INT3 and INTO are what guests execute directly: DPL 3, so they
         * arrive as themselves. Any other INT n from a guest faults with
         * #GP and is judged against the guest's own trap table.
         */
        set_gate(vec, entry_stub_table[vec], ist,
                 vec == X86_EXC_BP || vec == X86_EXC_OF ? 3 : 0);
    }
}

void load_system_tables(void)
{
    struct tss64 *tss = &this_cpu(cpu_tss);
    uint64_t *gdt = cpu_gdt_page[smp_processor_id()];
    struct desc_ptr idtr = {
        .limit = sizeof(idt) - 1,
        .base = (unsigned long)idt,
    };
    unsigned long tmp;

    BUG_ON(!gdt);
    build_tss(tss, stack_block_of(get_cpu_info()));
    build_gdt_page(gdt, tss);
    load_hypervisor_gdt();

    /*
     * CS can only be reloaded by a far transfer; a far return to the next
     * instruction is the simplest. FS and GS stay null (as head.S and the
     * trampoline leave them), so that their bases are not disturbed.
     */
    __asm__ __volatile__ (
        "    pushq %[cs]\n"
        "    leaq 1f(%%rip), %[tmp]\n"
        "    pushq %[tmp]\n"
        "    lretq\n"
        "1:  movl %[ds], %k[tmp]\n"
        "    movl %k[tmp], %%ds\n"
        "    movl %k[tmp], %%es\n"
        "    movl %k[tmp], %%ss\n"
        : [tmp] "=&r" (tmp)
        : [cs] "i" (__HYPERVISOR_CS), [ds] "i" (__HYPERVISOR_DS)
        : "memory" );

    /* ltr marks the descriptor busy, so it only works once per TSS. */
    __asm__ __volatile__ ( "ltr %w0" :: "r" (TSS_SELECTOR) : "memory" );
    __asm__ __volatile__ ( "lidt %0" :: "m" (idtr) : "memory" );
}

void __init trap_init(void)
{
    BUILD_BUG_ON(sizeof(struct tss64) != 104);
    BUILD_BUG_ON(sizeof(struct idt_gate) != 16);
    BUILD_BUG_ON(GDT_PAGE_INDEX(TSS_SELECTOR) + 2 > RESERVED_GDT_ENTRIES);
    BUILD_BUG_ON(GDT_PAGE_INDEX(LDT_SELECTOR) + 2 > RESERVED_GDT_ENTRIES);
    BUILD_BUG_ON(sizeof(struct cpu_info) != CPUINFO_SIZE);
    BUILD_BUG_ON(1 + IST_MAX * IST_STACK_PAGES >= PRIMARY_STACK_PAGE);

    build_idt();
    load_system_tables();
}
