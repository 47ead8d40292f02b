/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xenon's PV test kernel: a 64-bit PV guest that runs as dom0, checks the
 * hypervisor's PV ABI and prints one line per check through console_io.
 *
 * A check is a function registered with PVTEST(name); the runner calls
 * every registered check in link order (one file per area), each under a
 * recovery point, so a check that faults unexpectedly fails and the run
 * goes on. A check reports through expect()/EXPECT_EQ(); its first
 * failure is the one printed, later ones are counted but not printed.
 *
 * Traps a check provokes on purpose are caught with trap_catch():
 *
 *     if ( !pv_setjmp(trap_catch()) )
 *     {
 *         asm volatile ( "ud2" );
 *         trap_catch_end();          // not reached if the trap came
 *     }
 *     EXPECT_EQ(caught.vector, 6);
 *
 * The kernel runs with events masked (evtchn_upcall_mask 1) except where
 * a check unmasks them itself.
 */
#ifndef PVKERNEL_H
#define PVKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>
#include <public/version.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/memory.h>
#include <public/callback.h>
#include <public/physdev.h>
#include <public/platform.h>
#include <public/event_channel.h>

#include <public/elfnote.h>
#include <public/features.h>

#define PAGE_SIZE   4096UL
#define PAGE_SHIFT  12

#define EPERM   1
#define ENOENT  2
#define ESRCH   3
#define EINVAL  22
#define ENXIO   6
#define EFAULT  14
#define EACCES  13
#define EBUSY   16
#define ENOSYS  38
#define ETIME   62
#define EOPNOTSUPP 95
#define EEXIST  17
#define EIO     5
#define ENODEV  19

/* Page-table entry bits. */
#define _PAGE_PRESENT   0x001UL
#define _PAGE_RW        0x002UL
#define _PAGE_USER      0x004UL
#define _PAGE_ACCESSED  0x020UL
#define _PAGE_DIRTY     0x040UL
#define _PAGE_PSE       0x080UL
#define _PAGE_NX        (1UL << 63)
#define PTE_MFN_MASK    0x000ffffffffff000UL

/* ---- hypercalls (hypercall.S-free: one call into the hypercall page) */

extern char hypercall_page[];

/*
 * Every argument is evaluated before r10 and r8 are bound: a function
 * call in a later argument would clobber them (they are caller-saved).
 */
#define _hypercall(nr, a1, a2, a3, a4, a5)                                 \
({                                                                         \
    unsigned long rdi_ = (unsigned long)(a1), rsi_ = (unsigned long)(a2);  \
    unsigned long rdx_ = (unsigned long)(a3);                              \
    unsigned long a4_ = (unsigned long)(a4), a5_ = (unsigned long)(a5);    \
    register unsigned long r10_ asm("r10") = a4_;                          \
    register unsigned long r8_ asm("r8") = a5_;                            \
    long ret_;                                                             \
    asm volatile ( "call hypercall_page + %c[off]"                         \
                   : "=a" (ret_), "+D" (rdi_), "+S" (rsi_), "+d" (rdx_),   \
                     "+r" (r10_), "+r" (r8_)                               \
                   : [off] "i" ((nr) * 32)                                 \
                   : "memory", "rcx", "r11" );                             \
    ret_;                                                                  \
})
#define hypercall0(nr)                 _hypercall(nr, 0, 0, 0, 0, 0)
#define hypercall1(nr, a)              _hypercall(nr, a, 0, 0, 0, 0)
#define hypercall2(nr, a, b)           _hypercall(nr, a, b, 0, 0, 0)
#define hypercall3(nr, a, b, c)        _hypercall(nr, a, b, c, 0, 0)
#define hypercall4(nr, a, b, c, d)     _hypercall(nr, a, b, c, d, 0)

/* A hypercall number only known at run time (dispatch by table). */
long hypercall_any(unsigned int nr, unsigned long a1, unsigned long a2,
                   unsigned long a3);

#define HYPERVISOR_console_io(cmd, n, p) \
    hypercall3(__HYPERVISOR_console_io, cmd, n, p)
#define HYPERVISOR_xen_version(cmd, p) \
    hypercall2(__HYPERVISOR_xen_version, cmd, p)
#define HYPERVISOR_sched_op(cmd, p) hypercall2(__HYPERVISOR_sched_op, cmd, p)
#define HYPERVISOR_set_trap_table(t) hypercall1(__HYPERVISOR_set_trap_table, t)
#define HYPERVISOR_callback_op(cmd, p) \
    hypercall2(__HYPERVISOR_callback_op, cmd, p)
#define HYPERVISOR_stack_switch(ss, sp) \
    hypercall2(__HYPERVISOR_stack_switch, ss, sp)
#define HYPERVISOR_memory_op(cmd, p) hypercall2(__HYPERVISOR_memory_op, cmd, p)
#define HYPERVISOR_update_va_mapping(va, pte, fl) \
    hypercall3(__HYPERVISOR_update_va_mapping, va, pte, fl)
#define HYPERVISOR_mmu_update(req, n, done, dom) \
    hypercall4(__HYPERVISOR_mmu_update, req, n, done, dom)
#define HYPERVISOR_mmuext_op(op, n, done, dom) \
    hypercall4(__HYPERVISOR_mmuext_op, op, n, done, dom)
#define HYPERVISOR_vcpu_op(cmd, id, p) hypercall3(__HYPERVISOR_vcpu_op, cmd, id, p)
#define HYPERVISOR_set_segment_base(w, v) \
    hypercall2(__HYPERVISOR_set_segment_base, w, v)
#define HYPERVISOR_physdev_op(cmd, p) hypercall2(__HYPERVISOR_physdev_op, cmd, p)
#define HYPERVISOR_platform_op(p) hypercall1(__HYPERVISOR_platform_op, p)
#define HYPERVISOR_event_channel_op(cmd, p) \
    hypercall2(__HYPERVISOR_event_channel_op, cmd, p)
#define HYPERVISOR_set_timer_op(t) hypercall1(__HYPERVISOR_set_timer_op, t)
#define HYPERVISOR_vm_assist(cmd, t) hypercall2(__HYPERVISOR_vm_assist, cmd, t)
#define HYPERVISOR_set_gdt(f, n) hypercall2(__HYPERVISOR_set_gdt, f, n)
#define HYPERVISOR_update_descriptor(ma, d) \
    hypercall2(__HYPERVISOR_update_descriptor, ma, d)
#define HYPERVISOR_fpu_taskswitch(set) \
    hypercall1(__HYPERVISOR_fpu_taskswitch, set)

/* ---- boot state (main.c) */

extern start_info_t *start_info;
extern shared_info_t *shared;
/*
 * Each vCPU's vcpu_info: in shared_info until VCPUOP_register_vcpu_info
 * moves it (check-vcpu.c), after which the old slot is no longer kept.
 */
extern vcpu_info_t *vcpu_info_of[2];
extern unsigned long *p2m;          /* start_info->mfn_list */
extern unsigned long *m2p;          /* read-only machine-to-phys table */
extern unsigned long m2p_start, m2p_end;
extern char _start[], _end[];

/* VIRT_BASE of this build: kernel VA = VIRT_BASE + pfn * PAGE_SIZE. */
#define KERNEL_VIRT_BASE ((unsigned long)PVK_VIRT_BASE)

/*
 * dom0 or a domU (no SIF_INITDOMAIN): checks that need privilege expect
 * dom0's answers from the one and a domU's refusals from the other.
 */
static inline bool is_dom0(void)
{
    return start_info->flags & SIF_INITDOMAIN;
}

/*
 * The other domain of a dom0/domU pair: "peer=<id>" on the command line,
 * else 1 for dom0 (the first domU module is domain 1) and 0 for a domU.
 */
extern domid_t peer_domid;
/* This kernel's own domain id (learnt through an event channel's status). */
extern domid_t my_domid;

void crash(const char *why) __attribute__((noreturn));
/* The grant_hold option (check-grant.c). */
void grant_hold_for_audit(void);
/* Whether option name (name or name=...) is on the command line. */
bool option_set(const char *name);
/* The number given as name=N (decimal or 0x hex), or 0 without one. */
unsigned long option_number(const char *name);
/* True under Xenon, false under Xen: for the few checks where they differ. */
bool on_xenon(void);
void poweroff(unsigned int reason) __attribute__((noreturn));

/* ---- output (lib.c) */

void console_write(const char *s, size_t n);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *h, const char *n);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* ---- recovery points (head.S) */

struct pv_jmp_buf {
    unsigned long rbx, rbp, r12, r13, r14, r15, rsp, rip;
};
int pv_setjmp(struct pv_jmp_buf *b) __attribute__((returns_twice));
void pv_longjmp(struct pv_jmp_buf *b, int val) __attribute__((noreturn));

/* ---- checks (main.c) */

struct pvtest {
    const char *name;
    void (*fn)(void);
};

#define PVTEST(n)                                                          \
    static void pvtest_fn_##n(void);                                       \
    static const struct pvtest pvtest_##n                                  \
        __attribute__((used, section(".pvtests"), aligned(16))) =          \
        { #n, pvtest_fn_##n };                                             \
    static void pvtest_fn_##n(void)

/* Records a failure of the running check (the first one is printed). */
/*
 * Ends the running check as skipped (counted apart from passed and
 * failed): the boot setup cannot run it, e.g. too few vCPUs.
 */
void check_skip(const char *why) __attribute__((noreturn));
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the running check now (after fail()). */
void check_abort(void) __attribute__((noreturn));

#define expect(cond, ...)                                                  \
    do {                                                                   \
        if ( !(cond) )                                                     \
            fail(__VA_ARGS__);                                             \
    } while ( 0 )

void expect_eq(long long got, long long want, const char *what, int line);

#define EXPECT_EQ(got, want)                                               \
    expect_eq((long long)(got), (long long)(want), #got, __LINE__)

/* A hypercall that must fail with exactly -err, or succeed. */
#define EXPECT_ERR(call, err)                                              \
    expect_eq((long long)(call), -(long long)(err), #call, __LINE__)
#define EXPECT_OK(call)                                                    \
    expect_eq((long long)(call), 0, #call, __LINE__)

/* ---- traps (traps.c, head.S) */

struct trap_frame {
    unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    unsigned long rax, rcx, rdx, rsi, rdi;
    unsigned long vector, error_code;
    unsigned long rip, cs, rflags, rsp, ss;
};

/* Forced-emulation CPUID (the hypervisor's view, not the hardware's). */
static inline void xen_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
    asm volatile ( XEN_CPUID
                   : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]), "=d" (r[3])
                   : "0" (leaf), "2" (subleaf) );
}

/* Pseudo-vectors of the callbacks, beyond the 256 exception vectors. */
#define VEC_EVENT       0x100
#define VEC_FAILSAFE    0x101
#define VEC_SYSCALL     0x102

struct caught_trap {
    unsigned long vector, error_code, cr2;
    struct trap_frame frame;
    unsigned int count;
};
extern struct caught_trap caught;

/*
 * Arms a catch of the next trap and returns the recovery point to
 * pv_setjmp() on: the trap handler longjmps there with 1.
 */
struct pv_jmp_buf *trap_catch(void);
/* Disarms it (the guarded code did not trap). */
void trap_catch_end(void);
/*
 * Arms a catch that returns to the trapping code through the iret
 * hypercall, rip advanced by skip bytes.
 */
void trap_resume(unsigned int skip);
/*
 * A check's own handler, tried first for every trap and callback but the
 * event upcall: returns true if it handled the trap (the frame goes back
 * through the iret hypercall, with VGCF_in_syscall for a syscall), false
 * to let the catch or the unexpected-trap path have it. It may also
 * pv_longjmp() out, e.g. when user code asks to exit.
 */
extern bool (*trap_hook)(struct trap_frame *f);
/* Called by the event upcall handler with the interrupted frame. */
extern void (*event_hook)(const struct trap_frame *f);
/* Event ports seen pending by the upcall handler since the check began. */
extern unsigned long events_seen[64];
/* Acknowledge every pending event of vCPU 0 (noting them in events_seen). */
void ack_events(void);
/*
 * Enter user mode through the iret hypercall: CS FLAT_USER_CS (RPL 3), SS
 * FLAT_USER_SS; needs a user L4 (MMUEXT_NEW_USER_BASEPTR). Comes back
 * only through a trap or syscall handler that longjmps.
 */
void enter_user(unsigned long rip, unsigned long rsp, unsigned long rflags)
    __attribute__((noreturn));

void traps_init(void);
void install_trap_table(void);
extern trap_info_t trap_table[];

unsigned int nr_upcalls(void);
/*
 * An IPI port bound to vCPU 0 and sent on, so that an event is pending
 * (it upcalls once vCPU 0 unmasks); returns the port, for the caller to
 * close.
 */
evtchn_port_t pend_self_event(void);

/*
 * Where an upcall's frame (its rip) puts the guest, relative to one call
 * made through the hypercall page with an event pending and unmasked.
 * An interrupt between the unmask and the SYSCALL delivers it before the
 * call (off the page, or on it ahead of the SYSCALL); a preempted call
 * comes back on the SYSCALL itself; a call that ran whole delivers it on
 * its return, just after the SYSCALL.
 */
enum upcall_place {
    UPCALL_NONE,
    UPCALL_BEFORE_CALL,
    UPCALL_IN_CALL,
    UPCALL_AFTER_CALL,
};
enum upcall_place upcall_place(unsigned long rip);

/* ---- vCPU 1 (check-vcpu.c) */

/*
 * Runs fn on vCPU 1 (initialised on first use; the check is skipped
 * with one vCPU); true once it has started. vcpu1_wait(): true once fn
 * has returned and vCPU 1 is down again, within ms milliseconds.
 */
bool vcpu1_run(void (*fn)(void));
bool vcpu1_wait(unsigned int ms);

/* ---- fuzz mode (fuzz.c) */

/*
 * n random hypercalls from seed, before the checks; prints a FAIL line
 * if the hypervisor trapped us or changed our memory, and each call
 * from number log_from on (0: none) before making it, to find the one
 * that brings the hypervisor down. fuzz_report(): after the checks,
 * the summary line (nothing if fuzz_run never ran).
 */
void fuzz_run(unsigned long n, uint64_t seed, unsigned long log_from);
void fuzz_report(void);
/* Whether the fuzzer ran before the checks (some counts then moved). */
bool fuzz_ran(void);

/* ---- memory (mm.c) */

unsigned long va_to_mfn(unsigned long va);
unsigned long mfn_to_va(unsigned long mfn);
/* Machine address of the PTE at level (1-4) that maps va; 0 if none. */
uint64_t pte_maddr(unsigned long va, unsigned int level);
uint64_t read_pte(unsigned long va, unsigned int level);
/* A free frame of the bootstrap padding, zeroed, mapped writable. */
unsigned long scratch_page(void);
void scratch_reset(void);
/* Remap a kernel VA read-only / writable. */
long remap_ro(unsigned long va);
long remap_rw(unsigned long va);
long mmuext(unsigned int cmd, unsigned long arg1);
long set_pte(uint64_t maddr, uint64_t val);

static inline unsigned long read_cr2_shared(void)
{
    return vcpu_info_of[0]->arch.cr2;
}

/* Port I/O, as a guest with the IOPL for it (or to see it refused). */
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    asm volatile ( "inb %1, %0" : "=a" (v) : "Nd" (port) );
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    asm volatile ( "outb %0, %1" :: "a" (v), "Nd" (port) );
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;

    asm volatile ( "inl %1, %0" : "=a" (v) : "Nd" (port) );
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    asm volatile ( "outl %0, %1" :: "a" (v), "Nd" (port) );
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    asm volatile ( "rdtsc" : "=a" (lo), "=d" (hi) );
    return ((uint64_t)hi << 32) | lo;
}

/* System time in ns from vcpu_info[cpu].time. */
uint64_t system_time_ns(unsigned int cpu);

/* ---- bench (bench.c) */

/*
 * The "bench" option's run, in place of the checks: prints
 * "pvbench: <operation> <n> instructions" lines; run as a check, so a
 * failed operation gives "pvtest: FAIL bench: ...".
 */
void pv_bench(void);

#endif /* PVKERNEL_H */
