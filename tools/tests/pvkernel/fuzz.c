/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz=<n>: n hypercalls with random numbers and arguments, before the
 * checks run. The hypervisor must survive them all and leave the kernel
 * as it was: its text and the data it lives on are checksummed before
 * and after, and the checks that follow must all still pass.
 *
 * Arguments come from pools of interesting values, never from plain
 * random bits, so that the fuzzer can tell what a call may touch:
 *
 *   own frames     the fuzz area's 16 frames and the boot page tables
 *   other frames   M2P frames (XENMEM_machphys_mfn_list), MFN 0, the
 *                  first MFN past RAM, absurd MFNs
 *   addresses      the fuzz area (any offset, up to its end guard),
 *                  the hypervisor's range, non-canonical ones, NULL, the
 *                  read-only M2P and page-table mappings
 *   PTE addresses  the area's own L1 entries, one empty L4 slot, the
 *                  hypervisor's L4 slots
 *   counts         0, 1, small, 512, 0x7fffffff, 0x80000000|n, ~0
 *
 * The fuzz area is 14 usable pages between two unmapped guard pages:
 * every pointer the hypervisor may write through lands there or faults,
 * and an array passed with a huge count is laid against the end guard,
 * so the hypervisor reads off its end into the guard, never into stale
 * data. The kernel's own frames (text, data, p2m, stacks) are in no
 * pool, so nothing the fuzzer asks for may change them.
 *
 * What a call may change in the kernel's state is noted while its
 * arguments are built ("touched" frames and VAs, "dirty" classes) and
 * undone right after it: the area remapped writable, frames unpinned,
 * M2P entries put back, the trap table and callbacks reinstalled, and
 * so on. Calls that would end or wedge the fuzzer are never built (the
 * deny-list below says which and why).
 *
 * A trap the fuzzer did not ask for ends the run with the last call
 * printed (number, hypercall, arguments); with the seed it replays.
 */
#include "pvkernel.h"

#include <public/grant_table.h>
#include <public/nmi.h>

/*
 * Deny-list: calls the generators never build, because they end or
 * wedge the fuzzer itself, or change what the checks after the fuzz
 * rely on with no way to undo it. Each generator enforces its lines.
 *
 *  iret (23)                  replaces our frame: returns wherever the
 *                             stack says
 *  sched_op shutdown,         end the domain (or arm a watchdog that
 *    remote_shutdown,         will); shutdown_code would turn the final
 *    shutdown_code, watchdog  poweroff into a crash
 *  sched_op block in a        blocks with no timer armed; at top level
 *    multicall                a timer is armed on the fuzzer's own port
 *  sched_op poll with no      waits forever: the timeout is always set;
 *    timeout, or in a         in a multicall an earlier entry may remap
 *    multicall                its arguments' page, timeout included
 *  sched_op_compat (6)        only yield (it takes shutdown in a register)
 *  vcpu_op initialise, up,    on an existing vCPU: runs junk on it, or
 *    down, send_nmi,          stops vCPU 0, or maps a frame for good;
 *    register_vcpu_info,      only ids past the last vCPU are used
 *    runstate/time phys area
 *  event_channel_op           bind_virq VIRQ_TIMER and bind_vcpu of the
 *                             fuzzer's timer port (the block wake-up);
 *                             init_control (one-way switch to FIFO)
 *  memory_op decrease,        only frames we do not own: giving back a
 *    exchange (in extents)    frame we own loses a page we are using
 *  grant_table_op             set_version only to 1; transfer only of
 *                             frames we do not own
 *  set_trap_table NULL        clears every handler (restored after each
 *                             set_trap_table call anyway)
 *  mmuext NEW_BASEPTR         only to the current root or frames we do
 *                             not own (a fresh empty L4 would unmap us)
 *  mmu_update / va mapping    never the PTEs that map the kernel; values
 *                             map only area, page-table or other frames
 *  physdev_op apic_write      reprograms the IO-APIC under the hypervisor
 *  physdev_op pirq_eoi_gmfn   only frames we do not own (the hypervisor
 *                             keeps writing to a registered one)
 *  platform_op                the memtype, microcode, ACPI sleep, EFI
 *                             runtime, frequency, CPU and memory hotplug,
 *                             core parking and MSR (resource_op) calls
 *  domctl, sysctl, kexec_op   toolstack and kexec interfaces: pointer
 *                             arguments only that fault
 *  event_channel_op_compat,   likewise (they carry a command inside)
 *    physdev_op_compat
 *  console_io write           from a fixed message (or a faulting
 *                             pointer): area junk on the serial line
 *                             could read as a failure
 */

#define AREA_PAGES      16              /* guard, 14 usable, guard */
#define NR_OWN          32              /* area frames + page tables */
#define PT_OWN_FIRST    AREA_PAGES      /* index of the root in own[] */
#define FUZZ_L4_SLOT    5               /* an L4 slot nothing else uses */
#define MAX_M2P_FRAMES  8

/* Classes of state a call may change, undone after it. */
enum {
    DIRTY_TRAPS     = 1u << 0,
    DIRTY_GDT       = 1u << 1,
    DIRTY_LDT       = 1u << 2,
    DIRTY_SEG       = 1u << 3,
    DIRTY_DEBUG     = 1u << 4,
    DIRTY_FPU       = 1u << 5,
    DIRTY_IO        = 1u << 6,
    DIRTY_VMASST    = 1u << 7,
    DIRTY_VCPU      = 1u << 8,
    DIRTY_WALLCLOCK = 1u << 9,
    DIRTY_SLOT      = 1u << 10,
    DIRTY_ALL_M2P   = 1u << 11,
};

struct fuzz_call {
    unsigned int nr;
    unsigned long arg[5];
};

/* A generator fills in one call; in_mc: as a multicall entry. */
typedef void (*gen_fn)(struct fuzz_call *c, bool in_mc);

struct gen {
    unsigned int nr;
    unsigned int weight;
    gen_fn fn;
    const char *name;
};

static uint64_t rng;
static unsigned long area;              /* VA of the first guard page */
static unsigned long own_mfn[NR_OWN], own_pfn[NR_OWN];
static unsigned int nr_own;
static unsigned long root_mfn;
static unsigned long other_mfn[MAX_M2P_FRAMES + 4];
static unsigned int nr_other;
static unsigned int nr_vcpus;
static unsigned int timer_port;
static uint32_t wc0_sec, wc0_nsec, wc0_sec_hi;

/* What the call being built may change. */
static uint32_t touched_pins, touched_maps, touched_m2p;
static unsigned int dirty;

/*
 * Bump allocator over the usable area pages, reset for every call: from
 * buf_next up to buf_limit, below which buf_tail() lays its arrays.
 */
static unsigned long buf_next, buf_limit;

static struct fuzz_call last;
static unsigned long call_no;
static char fuzz_failure[200];

/* Whole lines only: a fragment would run into the next "pvtest:" line. */
static const char console_msg[] = "fuzz: console_io write\n";

/* ---- random numbers */

/* xorshift64*: small, and the same sequence for the same seed. */
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

static unsigned long below(unsigned long n)
{
    return n ? rnd() % n : 0;
}

static bool chance(unsigned int percent)
{
    return below(100) < percent;
}

/* ---- the fuzz area */

static unsigned long area_va(unsigned int i)
{
    return area + i * PAGE_SIZE;
}

static unsigned long area_end(void)
{
    return area_va(AREA_PAGES - 1);
}

/* size bytes in the usable area (8-aligned), or 0 when it is used up. */
static unsigned long buf_alloc(size_t size)
{
    unsigned long p = buf_next;

    size = (size + 7) & ~7UL;
    if ( p + size > buf_limit )
        return 0;
    buf_next += size;
    return p;
}

/*
 * An array of size bytes laid against the end guard (the first one of a
 * call) or against the previous such array, so that a count larger than
 * what was filled in makes the hypervisor read into the guard or into
 * pool values, never into what an earlier call left behind.
 */
static unsigned long buf_tail(size_t size)
{
    unsigned long p = (buf_limit - size) & ~7UL;

    if ( size > buf_limit - area || p < buf_next )
        return buf_alloc(size);
    buf_limit = p;
    return p;
}

/*
 * An array of size bytes; against the tail if the count passed with it
 * may be larger than what is filled in, so that the hypervisor reads
 * no stale entries (whose effects would not be undone).
 */
static unsigned long array(size_t size, bool overrun)
{
    return overrun || chance(20) ? buf_tail(size) : buf_alloc(size);
}

/* ---- pools */

static unsigned long count(void)
{
    switch ( below(10) )
    {
    case 0: return 0;
    case 1: return 1;
    case 2: return 2;
    case 3: return 0x7fffffff;
    case 4: return 0x80000000UL | below(16);
    case 5: return ~0UL;
    case 6: return 512;
    case 7: return 0xffffffffUL;
    default: return below(16);
    }
}

/* An index into own[] for a call that may pin or remap it. */
static unsigned long own_frame(bool pinnable)
{
    unsigned int i = below(nr_own);

    if ( pinnable )
        touched_pins |= 1u << i;
    return own_mfn[i];
}

static unsigned long other_frame(void)
{
    return other_mfn[below(nr_other)];
}

static unsigned long any_frame(bool pinnable)
{
    return chance(65) ? own_frame(pinnable) : other_frame();
}

/*
 * An address that cannot be read: hypervisor, non-canonical, null, the
 * end guard. (The guard is noted as touched: a call may map it.)
 */
static unsigned long unreadable(void)
{
    switch ( below(6) )
    {
    case 0: return 0;
    case 1: return 0xffff800000000000UL + below(0x80000000000UL);
    case 2: return 0xffff830000000000UL;
    case 3: return 0x0000800000000000UL + (below(64) << 3);
    case 4: return 0x8000000000000000UL;
    default:
        touched_maps |= 1u << (AREA_PAGES - 1);
        return area_va(AREA_PAGES - 1) + (below(512) << 3);
    }
}

/*
 * An address that cannot be written: the above, or the read-only M2P
 * and page-table mappings. Never a VA to remap: ours are in it.
 */
static unsigned long bad_pointer(void)
{
    switch ( below(8) )
    {
    case 0: return m2p_start + (below(512) << 3);
    case 1: return start_info->pt_base + (below(512) << 3);
    default: return unreadable();
    }
}

/* A pointer the hypervisor may write through: the area or a fault. */
static unsigned long pointer(size_t size)
{
    unsigned long p;

    switch ( below(6) )
    {
    case 0:
        return bad_pointer();
    case 1:
        /* Straddling the end guard. */
        return area_end() - 8 * (1 + below(4));
    case 2:
        return area_va(1 + below(AREA_PAGES - 2)) + below(PAGE_SIZE);
    default:
        p = buf_alloc(size ? size : 8);
        return p ? p : bad_pointer();
    }
}

/* A VA for update_va_mapping and friends; notes area VAs it remaps. */
static unsigned long fuzz_va(void)
{
    unsigned int i;

    switch ( below(8) )
    {
    case 0:
        return (unsigned long)FUZZ_L4_SLOT << 39 | below(1UL << 39);
    case 1:
        return unreadable() & ~(PAGE_SIZE - 1);
    case 2:
        return below(1UL << 47);
    default:
        i = below(AREA_PAGES);
        touched_maps |= 1u << i;
        return area_va(i) + (chance(90) ? 0 : below(PAGE_SIZE));
    }
}

/* A page-table entry value mapping area, page-table or other frames. */
static uint64_t pte_value(bool may_map_tables)
{
    static const uint64_t flag_bits[] = {
        _PAGE_PRESENT, _PAGE_RW, _PAGE_USER, 0x8, 0x10, _PAGE_ACCESSED,
        _PAGE_DIRTY, _PAGE_PSE, 0x100, 0xe00, _PAGE_NX, 1UL << 52,
        1UL << 62,
    };
    unsigned long mfn;
    uint64_t v;

    if ( chance(5) )
        return 0;
    if ( may_map_tables )
        mfn = any_frame(false);
    else
        mfn = chance(65) ? own_mfn[below(AREA_PAGES)] : other_frame();
    v = (uint64_t)mfn << PAGE_SHIFT;
    if ( chance(80) )
        v |= _PAGE_PRESENT | _PAGE_USER;
    if ( chance(50) )
        v |= _PAGE_RW;
    for ( unsigned int i = 0; i < 2; i++ )
        if ( chance(30) )
            v |= flag_bits[below(sizeof(flag_bits) / sizeof(flag_bits[0]))];
    return v;
}

/* The machine address of a PTE we may change (and restore). */
static uint64_t pte_address(void)
{
    unsigned int i;

    switch ( below(10) )
    {
    case 0:
        dirty |= DIRTY_SLOT;
        return (root_mfn << PAGE_SHIFT) + FUZZ_L4_SLOT * 8;
    case 1:
        /* The hypervisor's L4 slots: always refused. */
        return (root_mfn << PAGE_SHIFT) + (256 + below(16)) * 8;
    case 2:
        /* An area frame (a data page, or one the fuzzer made a table). */
        return (own_mfn[below(AREA_PAGES)] << PAGE_SHIFT) + (below(512) << 3);
    case 3:
        return (other_frame() << PAGE_SHIFT) + (below(512) << 3);
    default:
        i = below(AREA_PAGES);
        touched_maps |= 1u << i;
        return pte_maddr(area_va(i), 1);
    }
}

static unsigned long domid(void)
{
    static const unsigned long ids[] = {
        DOMID_SELF, DOMID_SELF, DOMID_SELF, 0, 1, 2, DOMID_IO, DOMID_XEN,
        DOMID_COW, DOMID_INVALID, DOMID_IDLE, 0x7fff, 0xffff, ~0UL,
    };

    return ids[below(sizeof(ids) / sizeof(ids[0]))];
}

static unsigned long port(void)
{
    switch ( below(6) )
    {
    case 0: return timer_port;
    case 1: return below(4096);
    case 2: return 4095 + below(3);
    case 3: return ~0U;
    default: return below(16);
    }
}

/* A vCPU id; existing ones only where live_ok. */
static unsigned long vcpu_id(bool live_ok)
{
    static const unsigned long past[] = { 32, 64, 127, 4095, 4096, ~0U };

    if ( live_ok && chance(60) )
        return below(nr_vcpus);
    if ( chance(40) )
        return nr_vcpus + below(4);
    return past[below(sizeof(past) / sizeof(past[0]))];
}

/* Anything from the pools above: safe as a pointer, frame or count. */
static unsigned long value(void)
{
    switch ( below(10) )
    {
    case 0: return count();
    case 1: return other_frame();
    case 2: return pointer(8);
    case 3: return domid();
    case 4: return port();
    case 5: return pte_value(false);
    case 6: return own_mfn[below(AREA_PAGES)];
    case 7: return below(64);
    case 8: return own_pfn[below(AREA_PAGES)];
    default: return rnd() & 0xffff;
    }
}

static void fill(unsigned long va, size_t bytes)
{
    unsigned long *w = (unsigned long *)va;

    for ( size_t i = 0; i < bytes / 8; i++ )
        w[i] = value();
}

/* A structure of size bytes filled from the pools, or a bad pointer. */
static unsigned long junk_struct(size_t size)
{
    unsigned long p;

    if ( chance(10) )
        return bad_pointer();
    p = buf_alloc(size);
    if ( !p )
        return bad_pointer();
    fill(p, size);
    return p;
}

/* ---- generators, one per hypercall */

static unsigned long now_ns(void)
{
    return system_time_ns(0);
}

static void gen_generic(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    for ( unsigned int i = 0; i < 5; i++ )
        c->arg[i] = value();
}

/* domctl, sysctl, kexec and the compat multiplexers: faulting pointers. */
static void gen_faulting(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(50) ? bad_pointer() : below(64);
    c->arg[1] = bad_pointer();
    c->arg[2] = bad_pointer();
}

static void gen_set_trap_table(struct fuzz_call *c, bool in_mc)
{
    unsigned long p = junk_struct(sizeof(trap_info_t) * (1 + below(8)));

    (void)in_mc;
    c->arg[0] = p ? p : area_end();     /* never NULL: see the deny-list */
    dirty |= DIRTY_TRAPS;
}

static void gen_mmu_update(struct fuzz_call *c, bool in_mc)
{
    unsigned int n = 1 + below(8);
    unsigned long nr = chance(70) ? n : count();
    unsigned long p = array(n * sizeof(struct mmu_update), nr != n);
    struct mmu_update *u = (struct mmu_update *)p;

    (void)in_mc;
    for ( unsigned int i = 0; u && i < n; i++ )
    {
        unsigned int kind = below(10);

        if ( kind < 2 )
        {
            /* MACHPHYS_UPDATE: an own frame's M2P entry is put back. */
            unsigned int j = below(nr_own);
            unsigned long mfn = chance(70) ? own_mfn[j] : other_frame();

            if ( mfn == own_mfn[j] )
                touched_m2p |= 1u << j;
            u[i].ptr = ((uint64_t)mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
            u[i].val = chance(50) ? own_pfn[below(nr_own)] : value();
        }
        else
        {
            u[i].ptr = pte_address() |
                       (kind == 2 ? MMU_PT_UPDATE_PRESERVE_AD :
                        kind == 3 ? MMU_PT_UPDATE_NO_TRANSLATE :
                        kind == 4 ? 4 + below(4) : MMU_NORMAL_PT_UPDATE);
            u[i].val = pte_value(true);
        }
    }
    c->arg[0] = p ? p : bad_pointer();
    c->arg[1] = nr;
    c->arg[2] = chance(50) ? 0 : pointer(4);
    c->arg[3] = chance(80) ? DOMID_SELF : domid();
    dirty |= DIRTY_SLOT | DIRTY_ALL_M2P;
}

static void gen_set_gdt(struct fuzz_call *c, bool in_mc)
{
    unsigned long p = buf_alloc(16 * 8);

    (void)in_mc;
    for ( unsigned int i = 0; p && i < 16; i++ )
        ((unsigned long *)p)[i] = any_frame(true);
    c->arg[0] = p && chance(85) ? p : bad_pointer();
    c->arg[1] = chance(70) ? below(14 * 512 + 2) : count();
    dirty |= DIRTY_GDT;
}

static void gen_stack_switch(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(50) ? FLAT_KERNEL_SS : value();
    c->arg[1] = value();
    dirty |= DIRTY_TRAPS;
}

static void gen_set_callbacks(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    for ( unsigned int i = 0; i < 3; i++ )
        c->arg[i] = value();
    dirty |= DIRTY_TRAPS;
}

static void gen_fpu_taskswitch(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(80) ? below(2) : value();
    dirty |= DIRTY_FPU;
}

static void gen_platform_op(struct fuzz_call *c, bool in_mc)
{
    /* The allowed commands; the deny-list names the others. */
    static const unsigned int cmds[] = {
        XENPF_settime32, XENPF_settime64, XENPF_firmware_info,
        XENPF_getidletime, XENPF_get_cpuinfo, XENPF_read_memtype,
        XENPF_get_cpu_version, XENPF_get_symbol, XENPF_get_dom0_console,
        XENPF_get_ucode_revision, 0, 1, 67, 200, 0xffffffff,
    };
    unsigned long p = junk_struct(sizeof(struct xen_platform_op));

    (void)in_mc;
    if ( p >= area && p < area_end() )
    {
        struct xen_platform_op *op = (struct xen_platform_op *)p;

        op->cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
        op->interface_version = chance(85) ? XENPF_INTERFACE_VERSION
                                           : (uint32_t)value();
        if ( op->cmd == XENPF_settime64 || op->cmd == XENPF_settime32 )
            dirty |= DIRTY_WALLCLOCK;
    }
    c->arg[0] = p;
}

static void gen_set_debugreg(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(90) ? below(8) : value();
    c->arg[1] = chance(30) ? below(0x10000) : value();
    dirty |= DIRTY_DEBUG;
}

static void gen_get_debugreg(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(90) ? below(8) : value();
}

static void gen_update_descriptor(struct fuzz_call *c, bool in_mc)
{
    static const uint64_t descs[] = {
        0x00cf9a000000ffffULL,      /* code, DPL 0 */
        0x00cffa000000ffffULL,      /* code, DPL 3 */
        0x00cff2000000ffffULL,      /* data, DPL 3 */
        0x0000e90000000067ULL,      /* TSS */
        0x0000ec0000000000ULL,      /* call gate */
        0,
    };
    unsigned long mfn = any_frame(true);

    (void)in_mc;
    c->arg[0] = ((uint64_t)mfn << PAGE_SHIFT) +
                (chance(90) ? below(512) << 3 : below(PAGE_SIZE));
    c->arg[1] = chance(60) ? descs[below(sizeof(descs) / sizeof(descs[0]))]
                           : value();
}

/* The extents of a reservation: frames we do not own when we give. */
static unsigned long extents(unsigned int n, bool giving)
{
    unsigned long p = array(n * 8, true);

    for ( unsigned int i = 0; p && i < n; i++ )
        ((unsigned long *)p)[i] = giving ? other_frame() : value();
    return p ? p : bad_pointer();
}

static void gen_reservation(struct xen_memory_reservation *r, bool giving)
{
    unsigned int n = below(8);

    r->extent_start.p = (void *)extents(n, giving);
    r->nr_extents = chance(70) ? n : count();
    r->extent_order = chance(80) ? below(3) : value();
    r->mem_flags = chance(70) ? 0 : value();
    r->domid = domid();
}

static void gen_memory_op(struct fuzz_call *c, bool in_mc)
{
    unsigned long cmd = chance(90) ? below(29) : value();
    unsigned long p = 0;

    (void)in_mc;
    switch ( cmd )
    {
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
        p = buf_alloc(sizeof(struct xen_memory_reservation));
        if ( p )
            gen_reservation((struct xen_memory_reservation *)p,
                            cmd == XENMEM_decrease_reservation);
        break;
    case XENMEM_exchange:
        p = buf_alloc(sizeof(struct xen_memory_exchange));
        if ( p )
        {
            struct xen_memory_exchange *x = (struct xen_memory_exchange *)p;

            gen_reservation(&x->in, true);
            gen_reservation(&x->out, false);
            x->nr_exchanged = chance(80) ? 0 : value();
        }
        break;
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        p = buf_alloc(8);
        if ( p )
            *(unsigned long *)p = domid();
        break;
    case XENMEM_machphys_mfn_list:
    case XENMEM_memory_map:
    case XENMEM_machine_memory_map:
    case XENMEM_machphys_mapping:
        p = junk_struct(24);
        if ( p >= area && p < area_end() )
            ((unsigned long *)p)[chance(50)] = pointer(64);
        break;
    case XENMEM_add_to_physmap:
    case XENMEM_remove_from_physmap:
    case XENMEM_add_to_physmap_batch:
        /* May move an own frame's pfn: every own M2P entry is put back. */
        dirty |= DIRTY_ALL_M2P;
        p = junk_struct(48);
        break;
    default:
        p = junk_struct(64);
        break;
    }
    c->arg[0] = cmd;
    c->arg[1] = p ? p : bad_pointer();
}

static void gen_update_va_mapping(struct fuzz_call *c, bool in_mc)
{
    unsigned long flags = below(4);

    (void)in_mc;
    switch ( below(3) )
    {
    case 0: flags |= UVMF_ALL; break;
    case 1: flags |= pointer(8) & ~7UL; break;     /* UVMF_MULTI mask */
    default: break;                                /* UVMF_LOCAL */
    }
    c->arg[0] = fuzz_va();
    c->arg[1] = pte_value(true);
    c->arg[2] = chance(95) ? flags : value();
    c->arg[3] = domid();        /* the _otherdomain variant's */
}

/* A multicall entry: its own generator, never iret, block or poll. */
static void gen_one(struct fuzz_call *c, bool in_mc);

static void gen_multicall(struct fuzz_call *c, bool in_mc)
{
    unsigned int n = 1 + below(6);
    unsigned long p = buf_tail(n * sizeof(struct multicall_entry));
    struct multicall_entry *e = (struct multicall_entry *)p;

    for ( unsigned int i = 0; e && i < n; i++ )
    {
        struct fuzz_call sub = { 0 };

        gen_one(&sub, true);
        e[i].op = sub.nr;
        e[i].result = value();
        for ( unsigned int a = 0; a < 5; a++ )
            e[i].args[a] = sub.arg[a];
        e[i].args[5] = value();
    }
    c->arg[0] = p && chance(95) ? p : bad_pointer();
    c->arg[1] = chance(85) || in_mc ? n : count();
}

static void gen_set_timer_op(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(50) ? now_ns() + below(2000000) : value();
    dirty |= DIRTY_VCPU;
}

static void gen_xen_version(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(90) ? below(16) : value();
    c->arg[1] = pointer(1024);
}

static void gen_console_io(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(90) ? below(2) : value();
    if ( c->arg[0] == CONSOLEIO_write && chance(50) )
    {
        c->arg[1] = chance(50) ? 0 : sizeof(console_msg) - 1;
        c->arg[2] = (unsigned long)console_msg;
    }
    else if ( c->arg[0] == CONSOLEIO_write )
    {
        c->arg[1] = count();
        c->arg[2] = unreadable();
    }
    else
    {
        c->arg[1] = count();
        c->arg[2] = pointer(64);
    }
}

static void gen_vm_assist(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(90) ? below(2) : value();
    c->arg[1] = chance(80) ? below(34) : value();
    dirty |= DIRTY_VMASST;
}

static void gen_vcpu_op(struct fuzz_call *c, bool in_mc)
{
    unsigned long cmd = chance(90) ? below(16) : value();
    bool live_ok = !(cmd == VCPUOP_initialise || cmd == VCPUOP_up ||
                     cmd == VCPUOP_down || cmd == VCPUOP_send_nmi ||
                     cmd == VCPUOP_register_vcpu_info ||
                     cmd == VCPUOP_register_runstate_phys_area ||
                     cmd == VCPUOP_register_vcpu_time_phys_area || cmd > 15);
    unsigned long p;

    (void)in_mc;
    if ( cmd == VCPUOP_set_singleshot_timer && chance(70) )
    {
        p = buf_alloc(sizeof(struct vcpu_set_singleshot_timer));
        if ( p )
        {
            struct vcpu_set_singleshot_timer *t = (void *)p;

            t->timeout_abs_ns = now_ns() + below(3000000) - 1000000;
            t->flags = below(2);
        }
    }
    else
        p = junk_struct(chance(50) ? 16 : 1024);
    c->arg[0] = cmd;
    c->arg[1] = vcpu_id(live_ok);
    c->arg[2] = p ? p : bad_pointer();
    dirty |= DIRTY_VCPU;
}

static void gen_set_segment_base(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(90) ? below(4) : value();
    c->arg[1] = chance(30) ? below(0x10000) : value();
    dirty |= DIRTY_SEG;
}

static void gen_mmuext_op(struct fuzz_call *c, bool in_mc)
{
    unsigned int n = 1 + below(6);
    unsigned long nr = chance(80) ? n : count();
    unsigned long p = array(n * sizeof(struct mmuext_op), nr != n);
    struct mmuext_op *op = (struct mmuext_op *)p;

    (void)in_mc;
    for ( unsigned int i = 0; op && i < n; i++ )
    {
        op[i].cmd = chance(95) ? below(21) : value();
        op[i].arg2.src_mfn = value();
        switch ( op[i].cmd )
        {
        case MMUEXT_PIN_L1_TABLE ... MMUEXT_UNPIN_TABLE:
            op[i].arg1.mfn = any_frame(true);
            break;
        case MMUEXT_NEW_BASEPTR:
            op[i].arg1.mfn = chance(50) ? root_mfn : other_frame();
            break;
        case MMUEXT_NEW_USER_BASEPTR:
            op[i].arg1.mfn = chance(30) ? 0 : any_frame(true);
            dirty |= DIRTY_LDT;
            break;
        case MMUEXT_SET_LDT:
            op[i].arg1.linear_addr = chance(20) ? value() : fuzz_va();
            op[i].arg2.nr_ents = chance(70) ? below(8192) : value();
            dirty |= DIRTY_LDT;
            break;
        case MMUEXT_TLB_FLUSH_MULTI:
        case MMUEXT_INVLPG_MULTI:
            op[i].arg1.linear_addr = fuzz_va();
            op[i].arg2.vcpumask.p = (void *)pointer(8);
            break;
        case MMUEXT_COPY_PAGE:
            op[i].arg2.src_mfn = any_frame(false);
            /* fall through */
        case MMUEXT_CLEAR_PAGE:
        case MMUEXT_MARK_SUPER:
        case MMUEXT_UNMARK_SUPER:
            op[i].arg1.mfn = any_frame(true);
            break;
        default:
            op[i].arg1.linear_addr = chance(50) ? fuzz_va() : value();
            break;
        }
    }
    c->arg[0] = p && chance(95) ? p : bad_pointer();
    c->arg[1] = nr;
    c->arg[2] = chance(50) ? 0 : pointer(4);
    c->arg[3] = chance(85) ? DOMID_SELF : domid();
}

static void gen_sched_op(struct fuzz_call *c, bool in_mc)
{
    static const unsigned long cmds[] = {
        SCHEDOP_yield, SCHEDOP_yield, SCHEDOP_block, SCHEDOP_poll,
        SCHEDOP_poll, SCHEDOP_pin_override, 8, 100, ~0UL,
    };
    unsigned long cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
    unsigned long p = 0;

    /*
     * Neither blocks inside a multicall: the fuzzer arms no wake-up for
     * an entry, and an earlier entry may have remapped the page a poll's
     * arguments are in, so that the hypervisor reads another frame's
     * bytes as the timeout (0: wait forever; found at seed 1, call
     * 536099, a set_gdt and update_va_mapping of the page before it).
     */
    if ( (cmd == SCHEDOP_block || cmd == SCHEDOP_poll) && in_mc )
        cmd = SCHEDOP_yield;
    if ( cmd == SCHEDOP_poll )
    {
        p = buf_alloc(sizeof(struct sched_poll));
        if ( p )
        {
            struct sched_poll *sp = (struct sched_poll *)p;
            unsigned int n = below(4);
            unsigned long ports = buf_alloc(n * 4 + 4);

            for ( unsigned int i = 0; ports && i <= n; i++ )
                ((evtchn_port_t *)ports)[i] = port();
            sp->ports.p = (void *)(ports && chance(85) ? ports : pointer(4));
            sp->nr_ports = chance(80) ? n : count();
            /* Never 0 (no timeout): see the deny-list. */
            sp->timeout = chance(20) ? 1 : now_ns() + 1000 + below(200000);
        }
    }
    else if ( cmd != SCHEDOP_yield && cmd != SCHEDOP_block )
        p = junk_struct(16);
    c->arg[0] = cmd;
    c->arg[1] = p ? p : value();
}

static void gen_sched_op_compat(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = SCHEDOP_yield;
    c->arg[1] = value();
}

static void gen_callback_op(struct fuzz_call *c, bool in_mc)
{
    unsigned long p = junk_struct(sizeof(callback_register_t));

    (void)in_mc;
    if ( p >= area && p < area_end() && chance(70) )
        ((callback_register_t *)p)->type = below(8);
    c->arg[0] = chance(90) ? below(2) : value();
    c->arg[1] = p;
    dirty |= DIRTY_TRAPS;
}

static void gen_nmi_op(struct fuzz_call *c, bool in_mc)
{
    (void)in_mc;
    c->arg[0] = chance(90) ? below(2) : value();
    c->arg[1] = value();
    dirty |= DIRTY_TRAPS;
}

static void gen_event_channel_op(struct fuzz_call *c, bool in_mc)
{
    unsigned long cmd = chance(95) ? below(14) : value();
    unsigned long p = buf_alloc(16);
    uint32_t *w = (uint32_t *)p;

    (void)in_mc;
    if ( cmd == EVTCHNOP_init_control )
        cmd = EVTCHNOP_status;
    for ( unsigned int i = 0; w && i < 4; i++ )
        w[i] = chance(50) ? port() : value();
    if ( w && cmd == EVTCHNOP_bind_virq )
        w[0] = 1 + below(24);       /* never VIRQ_TIMER */
    if ( w && cmd == EVTCHNOP_bind_vcpu && w[0] == timer_port )
        w[0] = 0;
    if ( w && cmd == EVTCHNOP_alloc_unbound )
        w[0] = (uint32_t)domid() | (uint32_t)domid() << 16;
    c->arg[0] = cmd;
    c->arg[1] = w && chance(92) ? p : bad_pointer();
}

static void gen_physdev_op(struct fuzz_call *c, bool in_mc)
{
    unsigned long cmd = chance(90) ? 5 + below(28) : value();
    unsigned long p = junk_struct(32);

    (void)in_mc;
    if ( cmd == PHYSDEVOP_apic_write )
        cmd = PHYSDEVOP_apic_read;
    if ( p >= area && p < area_end() )
    {
        if ( cmd == PHYSDEVOP_set_iopl && chance(80) )
            *(uint32_t *)p = below(4);
        if ( cmd == PHYSDEVOP_pirq_eoi_gmfn_v1 ||
             cmd == PHYSDEVOP_pirq_eoi_gmfn_v2 )
            *(unsigned long *)p = other_frame();
    }
    c->arg[0] = cmd;
    c->arg[1] = p;
    dirty |= DIRTY_IO;
}

static void gen_grant_table_op(struct fuzz_call *c, bool in_mc)
{
    unsigned long cmd = chance(95) ? below(13) : value();
    unsigned int n = 1 + below(4);
    unsigned long nr = chance(80) ? n : count();
    unsigned long p = array(n * 32, nr != n);

    (void)in_mc;
    if ( p )
    {
        fill(p, n * 32);
        for ( unsigned int i = 0; i < n; i++ )
        {
            unsigned long *e = (unsigned long *)(p + i * 32);

            if ( cmd == GNTTABOP_set_version )
                *(uint32_t *)e = 1;
            if ( cmd == GNTTABOP_transfer )
                e[0] = other_frame();
            if ( cmd == GNTTABOP_map_grant_ref ||
                 cmd == GNTTABOP_unmap_grant_ref ||
                 cmd == GNTTABOP_unmap_and_replace )
            {
                e[0] = fuzz_va();
                e[1] = fuzz_va();
            }
        }
    }
    c->arg[0] = cmd;
    c->arg[1] = p && chance(92) ? p : bad_pointer();
    c->arg[2] = nr;
}

/*
 * Weighted toward the implemented hypercalls (xen/arch/x86/pv/
 * hypercall.c's table) and the page-table ones most of all. A number
 * with no entry here gets gen_generic() at weight 1.
 */
static const struct gen gens[] = {
    { __HYPERVISOR_set_trap_table, 2, gen_set_trap_table, "set_trap_table" },
    { __HYPERVISOR_mmu_update, 12, gen_mmu_update, "mmu_update" },
    { __HYPERVISOR_set_gdt, 3, gen_set_gdt, "set_gdt" },
    { __HYPERVISOR_stack_switch, 2, gen_stack_switch, "stack_switch" },
    { __HYPERVISOR_set_callbacks, 2, gen_set_callbacks, "set_callbacks" },
    { __HYPERVISOR_fpu_taskswitch, 2, gen_fpu_taskswitch, "fpu_taskswitch" },
    { __HYPERVISOR_sched_op_compat, 1, gen_sched_op_compat,
      "sched_op_compat" },
    { __HYPERVISOR_platform_op, 3, gen_platform_op, "platform_op" },
    { __HYPERVISOR_set_debugreg, 2, gen_set_debugreg, "set_debugreg" },
    { __HYPERVISOR_get_debugreg, 2, gen_get_debugreg, "get_debugreg" },
    { __HYPERVISOR_update_descriptor, 4, gen_update_descriptor,
      "update_descriptor" },
    { __HYPERVISOR_memory_op, 8, gen_memory_op, "memory_op" },
    { __HYPERVISOR_multicall, 8, gen_multicall, "multicall" },
    { __HYPERVISOR_update_va_mapping, 10, gen_update_va_mapping,
      "update_va_mapping" },
    { __HYPERVISOR_set_timer_op, 2, gen_set_timer_op, "set_timer_op" },
    { __HYPERVISOR_event_channel_op_compat, 1, gen_faulting,
      "event_channel_op_compat" },
    { __HYPERVISOR_xen_version, 3, gen_xen_version, "xen_version" },
    { __HYPERVISOR_console_io, 2, gen_console_io, "console_io" },
    { __HYPERVISOR_physdev_op_compat, 1, gen_faulting, "physdev_op_compat" },
    { __HYPERVISOR_grant_table_op, 6, gen_grant_table_op, "grant_table_op" },
    { __HYPERVISOR_vm_assist, 2, gen_vm_assist, "vm_assist" },
    { __HYPERVISOR_update_va_mapping_otherdomain, 3, gen_update_va_mapping,
      "update_va_mapping_otherdomain" },
    { __HYPERVISOR_vcpu_op, 6, gen_vcpu_op, "vcpu_op" },
    { __HYPERVISOR_set_segment_base, 2, gen_set_segment_base,
      "set_segment_base" },
    { __HYPERVISOR_mmuext_op, 12, gen_mmuext_op, "mmuext_op" },
    { __HYPERVISOR_nmi_op, 1, gen_nmi_op, "nmi_op" },
    { __HYPERVISOR_sched_op, 4, gen_sched_op, "sched_op" },
    { __HYPERVISOR_callback_op, 2, gen_callback_op, "callback_op" },
    { __HYPERVISOR_event_channel_op, 8, gen_event_channel_op,
      "event_channel_op" },
    { __HYPERVISOR_physdev_op, 3, gen_physdev_op, "physdev_op" },
    { __HYPERVISOR_sysctl, 1, gen_faulting, "sysctl" },
    { __HYPERVISOR_domctl, 1, gen_faulting, "domctl" },
    { __HYPERVISOR_kexec_op, 1, gen_faulting, "kexec_op" },
};

#define NR_GENS (sizeof(gens) / sizeof(gens[0]))

static const struct gen *gen_of(unsigned int nr)
{
    for ( unsigned int i = 0; i < NR_GENS; i++ )
        if ( gens[i].nr == nr )
            return &gens[i];
    return NULL;
}

static unsigned int total_weight;

static void gen_one(struct fuzz_call *c, bool in_mc)
{
    unsigned long pick;

    if ( !total_weight )
    {
        /* Numbers 0-63 with no generator count 1 each (iret none). */
        total_weight = 64 - NR_GENS - 1;
        for ( unsigned int i = 0; i < NR_GENS; i++ )
            total_weight += gens[i].weight;
    }
    pick = below(total_weight);
    for ( unsigned int i = 0; i < NR_GENS; i++ )
    {
        if ( pick < gens[i].weight )
        {
            c->nr = gens[i].nr;
            gens[i].fn(c, in_mc);
            return;
        }
        pick -= gens[i].weight;
    }
    /* The pick-th number with no generator, skipping iret. */
    for ( unsigned int nr = 0; nr < 64; nr++ )
    {
        if ( gen_of(nr) || nr == __HYPERVISOR_iret )
            continue;
        if ( !pick-- )
        {
            c->nr = nr;
            gen_generic(c, in_mc);
            return;
        }
    }
    c->nr = __HYPERVISOR_xen_version;
    gen_xen_version(c, in_mc);
}

static const char *name_of(unsigned int nr)
{
    const struct gen *g = gen_of(nr);

    return g ? g->name : "(unknown)";
}

/* ---- running a call and undoing what it changed */

static long call5(unsigned int nr, const unsigned long a[5])
{
    register unsigned long r10 asm("r10") = a[3];
    register unsigned long r8 asm("r8") = a[4];
    unsigned long rdi = a[0], rsi = a[1], rdx = a[2];
    long ret;

    asm volatile ( "call *%[target]"
                   : "=a" (ret), "+D" (rdi), "+S" (rsi), "+d" (rdx),
                     "+r" (r10), "+r" (r8)
                   : [target] "r" (hypercall_page + nr * 32)
                   : "memory", "rcx", "r11", "r9" );
    return ret;
}

static void print_call(const char *prefix)
{
    printk("%scall %lu: %s (%u) %#lx %#lx %#lx %#lx %#lx\n", prefix,
           call_no, name_of(last.nr), last.nr, last.arg[0], last.arg[1],
           last.arg[2], last.arg[3], last.arg[4]);
    if ( last.nr == __HYPERVISOR_multicall && last.arg[0] >= area &&
         last.arg[0] < area_end() &&
         (read_pte(last.arg[0], 1) & _PAGE_PRESENT) )
    {
        const struct multicall_entry *e = (const void *)last.arg[0];

        for ( unsigned int i = 0; i < 6 && i < last.arg[1] &&
              (unsigned long)&e[i + 1] <= area_end(); i++ )
            printk("%s  entry %u: %s (%lu) %#lx %#lx %#lx %#lx %#lx\n",
                   prefix, i, name_of(e[i].op), e[i].op, e[i].args[0],
                   e[i].args[1], e[i].args[2], e[i].args[3], e[i].args[4]);
    }
}

static void fuzz_fail(const char *what)
{
    if ( fuzz_failure[0] )
        return;
    snprintf(fuzz_failure, sizeof(fuzz_failure), "%s", what);
}

/* Arm a wake-up on the fuzzer's own timer port before SCHEDOP_block. */
static void arm_block_timer(void)
{
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct vcpu_set_singleshot_timer st = { 0 };
    struct evtchn_unmask um;

    if ( HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv) == 0 )
        timer_port = bv.port;
    um.port = timer_port;
    HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &um);
    st.timeout_abs_ns = now_ns() + 50000;
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st);
}

static unsigned long increases_kept;

/*
 * Undo a successful increase/populate: the new frames go back. A command
 * with a continuation's start (cmd >> 6) filled extents start..rc-1 and
 * returned rc: those are given back from the same start.
 */
static void undo_reservation(unsigned long cmd, unsigned long arg, long rc)
{
    const struct xen_memory_reservation *r = (const void *)arg;
    unsigned long op = cmd & 0x3f, start = cmd >> 6;
    struct xen_memory_reservation back;

    if ( (op != XENMEM_increase_reservation &&
          op != XENMEM_populate_physmap) || rc <= (long)start ||
         arg < area || arg >= area_end() )
        return;
    back = *r;
    back.nr_extents = rc;
    /*
     * A garbage multicall entry (an array running past what was filled)
     * may have had its list overwritten by a later one: then some frames
     * stay ours. Counted, not a failure: the domain's death returns them
     * (test_pv_fuzz.py checks that, exactly, for a fuzzed domU).
     */
    if ( HYPERVISOR_memory_op(XENMEM_decrease_reservation | (start << 6),
                              &back) != rc )
        increases_kept++;
}

static void restore_m2p(uint32_t which)
{
    struct mmu_update u[NR_OWN];
    unsigned int n = 0;

    for ( unsigned int i = 0; i < nr_own; i++ )
        if ( which & (1u << i) )
        {
            u[n].ptr = ((uint64_t)own_mfn[i] << PAGE_SHIFT) |
                       MMU_MACHPHYS_UPDATE;
            u[n].val = own_pfn[i];
            n++;
        }
    if ( n && HYPERVISOR_mmu_update(u, n, NULL, DOMID_SELF) )
        fuzz_fail("cannot restore the M2P entries of our frames");
}

static void restore_after_call(void)
{
    if ( dirty & DIRTY_TRAPS )
    {
        struct callback_unregister nmi = { .type = CALLBACKTYPE_nmi };

        HYPERVISOR_set_trap_table(NULL);
        HYPERVISOR_callback_op(CALLBACKOP_unregister, &nmi);
        traps_init();
    }
    if ( dirty & DIRTY_GDT )
        HYPERVISOR_set_gdt(NULL, 0);
    if ( dirty & DIRTY_LDT )
    {
        struct mmuext_op op[2] = {
            { .cmd = MMUEXT_SET_LDT },
            { .cmd = MMUEXT_NEW_USER_BASEPTR },
        };

        HYPERVISOR_mmuext_op(op, 2, NULL, DOMID_SELF);
    }
    if ( dirty & DIRTY_SLOT )
        set_pte((root_mfn << PAGE_SHIFT) + FUZZ_L4_SLOT * 8, 0);
    for ( unsigned int i = 0; i < nr_own; i++ )
        if ( (touched_pins & (1u << i)) && own_mfn[i] != root_mfn )
            mmuext(MMUEXT_UNPIN_TABLE, own_mfn[i]);
    if ( touched_pins & (1u << PT_OWN_FIRST) )
        mmuext(MMUEXT_PIN_L4_TABLE, root_mfn);     /* if it was unpinned */
    for ( unsigned int i = 0; i < AREA_PAGES; i++ )
    {
        long rc;

        if ( !(touched_maps & (1u << i)) && !(touched_pins & (1u << i)) )
            continue;
        if ( i == 0 || i == AREA_PAGES - 1 )
            rc = HYPERVISOR_update_va_mapping(area_va(i), 0, UVMF_INVLPG);
        else
            rc = remap_rw(area_va(i));
        if ( rc )
        {
            char why[80];

            snprintf(why, sizeof(why), "cannot restore area page %u: %ld",
                     i, rc);
            fuzz_fail(why);
        }
    }
    restore_m2p(dirty & DIRTY_ALL_M2P ? ~0u : touched_m2p);
    if ( dirty & DIRTY_SEG )
    {
        HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0);
        HYPERVISOR_set_segment_base(SEGBASE_FS, 0);
        HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0);
        HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0);
    }
    if ( dirty & DIRTY_DEBUG )
        hypercall2(__HYPERVISOR_set_debugreg, 7, 0);
    if ( dirty & DIRTY_FPU )
        HYPERVISOR_fpu_taskswitch(0);
    if ( dirty & DIRTY_IO )
    {
        struct physdev_set_iopl io = { .iopl = 0 };
        struct physdev_set_iobitmap bm = { 0 };

        HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &io);
        HYPERVISOR_physdev_op(PHYSDEVOP_set_iobitmap, &bm);
    }
    if ( dirty & DIRTY_VMASST )
        for ( unsigned int t = 0; t < 34; t++ )
            HYPERVISOR_vm_assist(VMASST_CMD_disable, t);
    if ( dirty & DIRTY_VCPU )
    {
        struct vcpu_register_runstate_memory_area none = { 0 };

        for ( unsigned int v = 0; v < nr_vcpus; v++ )
        {
            HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, v, &none);
            HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_time_memory_area, v,
                               &none);
            HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, v, NULL);
        }
        HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
        HYPERVISOR_set_timer_op(0);
    }
    if ( dirty & DIRTY_WALLCLOCK )
    {
        struct xen_platform_op op = {
            .cmd = XENPF_settime64,
            .interface_version = XENPF_INTERFACE_VERSION,
            .u.settime64 = {
                .secs = (uint64_t)wc0_sec_hi << 32 | wc0_sec,
                .nsecs = wc0_nsec,
                .system_time = 0,
            },
        };

        HYPERVISOR_platform_op(&op);
    }
    /* SCHEDOP_block and the compat calls may have unmasked events. */
    vcpu_info_of[0]->evtchn_upcall_mask = 1;
}

static void after_multicall(void)
{
    const struct multicall_entry *e = (const void *)last.arg[0];

    if ( last.arg[0] < area || last.arg[0] >= area_end() )
        return;
    for ( unsigned long i = 0; i < last.arg[1] && i < 8 &&
          (unsigned long)&e[i + 1] <= area_end(); i++ )
        if ( e[i].op == __HYPERVISOR_memory_op )
            undo_reservation(e[i].args[0], e[i].args[1], e[i].result);
}

/* ---- checksums of what no call may change */

static uint64_t hash(uint64_t h, const void *p, size_t n, uint64_t mask)
{
    const uint64_t *w = p;

    for ( size_t i = 0; i < n / 8; i++ )
    {
        h ^= w[i] & mask;
        h *= 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

extern char _start_image[], __start_pvtests[], __stop_pvtests[];

/* Text, rodata and the hypercall page: fixed from the first call on. */
static uint64_t text_sum(void)
{
    return hash(0xcbf29ce484222325ULL, _start_image,
                (size_t)(__start_pvtests - _start_image) & ~7UL, ~0ULL);
}

/*
 * The data the kernel lives on: the check table, the trap table,
 * start_info, the p2m list, and the boot page tables (accessed and
 * dirty bits aside, which the CPU sets, and the root's hypervisor
 * slots, which are the hypervisor's to rewrite).
 */
enum { SUM_TABLES, SUM_START_INFO, SUM_P2M, SUM_PAGE_TABLES, NR_SUMS };
static const char *const sum_names[NR_SUMS] = {
    "check and trap tables", "start_info", "p2m list", "page tables",
};

static void data_sums(uint64_t sums[NR_SUMS])
{
    const uint64_t ad = ~(uint64_t)(_PAGE_ACCESSED | _PAGE_DIRTY);
    const uint64_t *root = (const uint64_t *)start_info->pt_base;
    uint64_t h = 0x84222325cbf29ce4ULL;

    h = hash(h, __start_pvtests, (size_t)(__stop_pvtests - __start_pvtests),
             ~0ULL);
    for ( const trap_info_t *t = trap_table; t->address; t++ )
        h = hash(h, t, sizeof(*t), ~0ULL);
    sums[SUM_TABLES] = h;
    sums[SUM_START_INFO] = hash(h, start_info, PAGE_SIZE, ~0ULL);
    sums[SUM_P2M] = hash(h, p2m, start_info->nr_pages * 8, ~0ULL);
    h = hash(h, root, 256 * 8, ad);
    h = hash(h, root + 272, (512 - 272) * 8, ad);
    sums[SUM_PAGE_TABLES] = hash(h, root + 512,
                                 (start_info->nr_pt_frames - 1) * PAGE_SIZE,
                                 ad);
}

/* One number for the log: all the data sums folded. */
static uint64_t data_sum(void)
{
    uint64_t sums[NR_SUMS];

    data_sums(sums);
    return hash(0, sums, sizeof(sums), ~0ULL);
}

static uint64_t text_before, data_before, data_before_parts[NR_SUMS];

/* ---- setup, the loop, the end */

static bool fuzz_trap(struct trap_frame *f)
{
    /*
     * Guest debug registers (set_debugreg) may fire before they are
     * cleared, an NMI may have been sent, and a selector a call left
     * behind may fail to load (failsafe): each a legitimate effect of a
     * call. Resume.
     */
    return f->vector == 1 || f->vector == 2 || f->vector == VEC_FAILSAFE;
}

static void setup_pools(void)
{
    struct xen_machphys_mfn_list ml = { 0 };
    unsigned long m2p_frames[MAX_M2P_FRAMES];
    long max_mfn;
    unsigned int pts;

    nr_vcpus = 0;
    while ( nr_vcpus < 64 &&
            HYPERVISOR_vcpu_op(VCPUOP_is_up, nr_vcpus, NULL) >= 0 )
        nr_vcpus++;

    /* The area: a guard, 14 pages, a guard, all ours. */
    area = scratch_page();
    for ( unsigned int i = 1; i < AREA_PAGES; i++ )
        if ( scratch_page() != area_va(i) )
            crash("fuzz: scratch pages not contiguous");
    for ( unsigned int i = 0; i < AREA_PAGES; i++ )
    {
        own_mfn[i] = va_to_mfn(area_va(i));
        own_pfn[i] = (area_va(i) - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
        remap_rw(area_va(i));
    }
    HYPERVISOR_update_va_mapping(area_va(0), 0, UVMF_INVLPG);
    HYPERVISOR_update_va_mapping(area_va(AREA_PAGES - 1), 0, UVMF_INVLPG);

    /* The boot page tables, root first. */
    root_mfn = va_to_mfn(start_info->pt_base);
    pts = start_info->nr_pt_frames;
    if ( pts > NR_OWN - AREA_PAGES )
        pts = NR_OWN - AREA_PAGES;
    for ( unsigned int i = 0; i < pts; i++ )
    {
        unsigned long va = start_info->pt_base + i * PAGE_SIZE;

        own_mfn[AREA_PAGES + i] = va_to_mfn(va);
        own_pfn[AREA_PAGES + i] = (va - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
    }
    nr_own = AREA_PAGES + pts;

    /* Frames we do not own. */
    ml.max_extents = MAX_M2P_FRAMES;
    ml.extent_start.p = m2p_frames;
    if ( HYPERVISOR_memory_op(XENMEM_machphys_mfn_list, &ml) == 0 )
        for ( unsigned int i = 0; i < ml.nr_extents && i < MAX_M2P_FRAMES;
              i++ )
            other_mfn[nr_other++] = m2p_frames[i];
    max_mfn = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    other_mfn[nr_other++] = 0;
    other_mfn[nr_other++] = max_mfn > 0 ? max_mfn + 1 : 0x100000;
    other_mfn[nr_other++] = 0x000fffffffffUL;   /* the largest MFN */
    other_mfn[nr_other++] = ~0UL;

    wc0_sec = shared->wc_sec;
    wc0_nsec = shared->wc_nsec;
    wc0_sec_hi = shared->wc_sec_hi;

    arm_block_timer();
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
}

/* Leave the domain as the checks expect it: no ports, no timers. */
static void teardown(void)
{
    struct evtchn_reset rs = { .dom = DOMID_SELF };

    touched_pins = (1u << nr_own) - 1;
    touched_maps = (1u << AREA_PAGES) - 1;
    touched_m2p = (1u << nr_own) - 1;
    dirty = ~0u;
    restore_after_call();
    if ( HYPERVISOR_event_channel_op(EVTCHNOP_reset, &rs) )
        for ( unsigned int p = 1; p < 4096; p++ )
        {
            struct evtchn_close cl = { .port = p };

            HYPERVISOR_event_channel_op(EVTCHNOP_close, &cl);
        }
    memset(shared->evtchn_pending, 0, sizeof(shared->evtchn_pending));
    vcpu_info_of[0]->evtchn_pending_sel = 0;
    vcpu_info_of[0]->evtchn_upcall_pending = 0;
}

static unsigned long calls_done, calls_zero, calls_error;
static unsigned long fuzz_asked;
static struct pv_jmp_buf fuzz_recovery;
extern struct pv_jmp_buf *check_jmp;
extern char unexpected_trap[160];

static void fuzz_loop(unsigned long n, unsigned long log_from)
{
    unsigned long tenth = n / 10 ? n / 10 : 1;

    for ( call_no = 1; call_no <= n; call_no++ )
    {
        long rc;

        touched_pins = touched_maps = touched_m2p = 0;
        dirty = 0;
        buf_next = area_va(1);
        buf_limit = area_end();
        memset(&last, 0, sizeof(last));
        gen_one(&last, false);
        if ( last.nr == __HYPERVISOR_sched_op && last.arg[0] == SCHEDOP_block )
            arm_block_timer();
        if ( log_from && call_no >= log_from )
            print_call("pvtest: fuzz: ");
        rc = call5(last.nr, last.arg);
        calls_done++;
        if ( rc == 0 )
            calls_zero++;
        else if ( rc < 0 )
            calls_error++;
        /* Remapped first: the call may have moved its own arguments. */
        restore_after_call();
        if ( last.nr == __HYPERVISOR_memory_op )
            undo_reservation(last.arg[0], last.arg[1], rc);
        else if ( last.nr == __HYPERVISOR_multicall )
            after_multicall();
        if ( fuzz_failure[0] )
        {
            printk("pvtest: FAIL fuzz: %s after\n", fuzz_failure);
            print_call("pvtest: fuzz: ");
            return;
        }
        if ( call_no % tenth == 0 )
            printk("pvtest: fuzz: %lu/%lu calls\n", call_no, n);
    }
}

void fuzz_run(unsigned long n, uint64_t seed, unsigned long log_from)
{
    fuzz_asked = n;
    if ( KERNEL_VIRT_BASE != 0xffffffff80000000UL )
    {
        /* Small pool values would be kernel addresses at VIRT_BASE 0. */
        printk("pvtest: FAIL fuzz: needs the VIRT_BASE 0xffffffff80000000 "
               "build\n");
        return;
    }
    rng = seed ? seed : 1;
    printk("pvtest: fuzz: %lu calls, seed %#llx\n", n,
           (unsigned long long)seed);
    setup_pools();
    text_before = text_sum();
    data_before = data_sum();
    data_sums(data_before_parts);

    if ( !pv_setjmp(&fuzz_recovery) )
    {
        check_jmp = &fuzz_recovery;
        trap_hook = fuzz_trap;
        fuzz_loop(n, log_from);
    }
    else
    {
        /* A fault while reporting must not come back here. */
        check_jmp = NULL;
        printk("pvtest: FAIL fuzz: %s after\n", unexpected_trap);
        print_call("pvtest: fuzz: ");
        unexpected_trap[0] = '\0';
    }
    check_jmp = NULL;
    trap_hook = NULL;
    install_trap_table();
    teardown();

    if ( text_sum() != text_before )
        printk("pvtest: FAIL fuzz: kernel text changed\n");
    else if ( data_sum() != data_before )
    {
        uint64_t now[NR_SUMS];

        data_sums(now);
        for ( unsigned int i = 0; i < NR_SUMS; i++ )
            if ( now[i] != data_before_parts[i] )
            {
                printk("pvtest: FAIL fuzz: kernel data changed: %s\n",
                       sum_names[i]);
                break;
            }
    }
    else
        printk("pvtest: fuzz: kernel memory intact (text %#llx, data "
               "%#llx)\n", (unsigned long long)text_before,
               (unsigned long long)data_before);
    /* The area goes back to the checks' scratch pages. */
    scratch_reset();
}

/* After the checks: the text once more, then the summary line. */
void fuzz_report(void)
{
    if ( !fuzz_asked )
        return;
    if ( text_before && text_sum() != text_before )
        printk("pvtest: FAIL fuzz: kernel text changed during the checks\n");
    printk("pvtest: fuzz: %lu calls, %lu returned 0, %lu errors\n",
           calls_done, calls_zero, calls_error);
    if ( increases_kept )
        printk("pvtest: fuzz: %lu reservation increase(s) not given back\n",
               increases_kept);
}

bool fuzz_ran(void)
{
    return fuzz_asked;
}
