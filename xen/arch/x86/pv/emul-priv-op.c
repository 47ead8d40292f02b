/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Privileged instructions of a PV guest kernel, emulated.
 *
 * The kernel runs in ring 3, so what a ring-0 kernel would do directly
 * faults: #GP(0) for RDMSR/WRMSR, MOV from CR, CLTS, WBINVD, I/O
 * instructions, and #UD for the forced-emulation CPUID (ud2; "xen";
 * cpuid), the guest's way to ask for the hypervisor's view of CPUID.
 * The instruction is read through the guest's page tables, emulated,
 * and RIP moved past it; anything else is bounced back to the guest as
 * the fault it was.
 *
 * CPUID, native or forced, returns a PV policy: the host's values with
 * what a PV guest cannot use hidden, HYPERVISOR set, and the
 * hypervisor leaves at 0x40000000.
 */
#include <xen/lib.h>
#include <xen/sched.h>
#include <xen/string.h>
#include <xen/time.h>
#include <asm/guest_access.h>
#include <asm/i387.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

#define MSR_TSC          0x00000010U
#define MSR_APIC_BASE    0x0000001bU
#define MSR_MISC_ENABLE  0x000001a0U
#define MISC_ENABLE_BTS_UNAVAIL  (1UL << 11)
#define MISC_ENABLE_PEBS_UNAVAIL (1UL << 12)

/* CPUID 1 ECX/EDX, 7.0 EBX/ECX, 0x80000001 ECX/EDX bits hidden from PV. */
#define C1_ECX_HIDE ((1U << 5) | (1U << 17) | (1U << 21) | (1U << 24))
/*
 * EDX: VME, PSE, MCE, MTRR, PGE, MCA, PSE36. Machine checks are the
 * hypervisor's: there is no virtual MCA (its MSRs would #GP), so a
 * guest must not think it has one.
 */
#define C1_EDX_HIDE ((1U << 1) | (1U << 3) | (1U << 7) | (1U << 12) |      \
                     (1U << 13) | (1U << 14) | (1U << 17))
#define C1_ECX_HYPERVISOR (1U << 31)
#define C7_EBX_HIDE ((1U << 0) | (1U << 7) | (1U << 10) | (1U << 20))
#define C7_ECX_HIDE ((1U << 2) | (1U << 3) | (1U << 4) | (1U << 16))
#define E1_ECX_HIDE (1U << 2)
#define E1_EDX_HIDE (1U << 26)

void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b,
              uint32_t *c, uint32_t *d)
{
    switch ( leaf )
    {
    case 0x40000000:
        *a = 0x40000002;     /* the highest hypervisor leaf */
        *b = 0x566e6558;     /* "XenV" */
        *c = 0x65584d4d;     /* "MMXe" */
        *d = 0x4d4d566e;     /* "nVMM" */
        return;
    case 0x40000001:
        *a = (4 << 16) | 17; /* the ABI version guests check */
        *b = *c = *d = 0;
        return;
    case 0x40000002:
        *a = 1;              /* hypercall pages */
        *b = 0x40000000;     /* the MSR that writes one */
        *c = *d = 0;
        return;
    }

    cpuid_count(leaf, sub, a, b, c, d);
    switch ( leaf )
    {
    case 1:
        *c = (*c & ~C1_ECX_HIDE) | C1_ECX_HYPERVISOR;
        *d &= ~C1_EDX_HIDE;
        break;
    case 7:
        if ( sub == 0 )
        {
            *b &= ~C7_EBX_HIDE;
            *c &= ~C7_ECX_HIDE;
        }
        break;
    case 0x80000001:
        *c &= ~E1_ECX_HIDE;
        *d &= ~E1_EDX_HIDE;
        break;
    }
}

static void emulate_cpuid(struct cpu_user_regs *regs)
{
    uint32_t a, b, c, d;

    pv_cpuid(regs->rax, regs->rcx, &a, &b, &c, &d);
    regs->rax = a;
    regs->rbx = b;
    regs->rcx = c;
    regs->rdx = d;
}

static bool read_msr(const struct vcpu *v, uint32_t msr, uint64_t *val)
{
    bool kernel = v->arch.flags & TF_kernel_mode;

    switch ( msr )
    {
    case MSR_FS_BASE:
        *val = rdmsr(MSR_FS_BASE);
        return true;
    case MSR_GS_BASE:
        *val = rdmsr(MSR_GS_BASE);
        return true;
    case MSR_SHADOW_GS_BASE:
        *val = rdmsr(kernel ? MSR_SHADOW_GS_BASE : MSR_GS_BASE);
        return true;
    case MSR_EFER:
        *val = rdmsr(MSR_EFER);
        return true;
    case MSR_TSC:
        *val = rdtsc_ordered();
        return true;
    case MSR_APIC_BASE:
        /*
         * A virtual one, whatever CPU the vCPU is on now: the default
         * base, enabled, BSP for vCPU 0 (the host's would change with
         * every migration).
         */
        *val = 0xfee00000UL | (1UL << 11) | (v->vcpu_id ? 0 : 1UL << 8);
        return true;
    case MSR_MISC_ENABLE:
        /* Branch trace and PEBS are not for PV guests: unavailable. */
        *val = rdmsr(msr) | MISC_ENABLE_BTS_UNAVAIL | MISC_ENABLE_PEBS_UNAVAIL;
        return true;
    case MSR_PAT:
        *val = PV_PAT;
        return true;
    case MSR_UCODE_REV:
        /* The microcode is the hypervisor's business: no revision shown. */
        *val = 0;
        return true;
    default:
        return false;
    }
}

static bool write_msr(uint32_t msr, uint64_t val)
{
    switch ( msr )
    {
    case MSR_FS_BASE:
    case MSR_GS_BASE:
    case MSR_SHADOW_GS_BASE:
        if ( !pv_guest_address_ok(val) )
            return false;
        wrmsr(msr, val);
        return true;
    case MSR_PAT:
        return val == PV_PAT;
    case MSR_UCODE_REV:
        /* Linux clears it before CPUID leaf 1 to read it back: let it. */
        return val == 0;
    default:
        return false;
    }
}

/* The general register a ModRM r/m field (with REX.B) names. */
static unsigned long *gpr(struct cpu_user_regs *regs, unsigned int n)
{
    static const unsigned int off[16] = {
        UREGS_rax, UREGS_rcx, UREGS_rdx, UREGS_rbx, UREGS_rsp, UREGS_rbp,
        UREGS_rsi, UREGS_rdi, UREGS_r8, UREGS_r9, UREGS_r10, UREGS_r11,
        UREGS_r12, UREGS_r13, UREGS_r14, UREGS_r15,
    };

    return (unsigned long *)((char *)regs + off[n & 15]);
}

static unsigned long guest_cr(const struct vcpu *v, unsigned int cr)
{
    switch ( cr )
    {
    case 0:
        return (read_cr0() & ~X86_CR0_TS) | (v->arch.fpu_ts ? X86_CR0_TS : 0);
    case 2:
        return v->vcpu_info->arch.cr2;
    case 3:
        return mfn_to_maddr(pv_active_root(v));
    case 4:
        return v->arch.guest_cr4;
    default:
        return 0;
    }
}

/*
 * CR4 bits a PV kernel may flip in its own view: whether it uses XSAVE
 * (the hardware keeps OSXSAVE on for every guest), and the timestamp /
 * debug-extension bits it may think it controls. Anything else must
 * stay as it reads.
 */
#define CR4_GUEST_BITS (X86_CR4_OSXSAVE | (1UL << 2) /* TSD */ | \
                        (1UL << 3) /* DE */)

static bool write_guest_cr(struct vcpu *v, unsigned int cr, unsigned long val)
{
    switch ( cr )
    {
    case 0:
        /* Only TS is the guest's (fpu_taskswitch by another name). */
        if ( (val ^ guest_cr(v, 0)) & ~X86_CR0_TS )
            return false;
        v->arch.fpu_ts = val & X86_CR0_TS;
        if ( v->arch.fpu_ts )
            write_cr0(read_cr0() | X86_CR0_TS);
        else
            clts();
        return true;
    case 4:
        if ( (val ^ v->arch.guest_cr4) & ~CR4_GUEST_BITS )
            return false;
        if ( (val & X86_CR4_OSXSAVE) && !xcr0_host )
            return false;
        v->arch.guest_cr4 = val;
        return true;
    default:
        return false;
    }
}

/* XSETBV of XCR0: x87 always, AVX only with SSE, nothing the host lacks. */
static bool emulate_xsetbv(struct vcpu *v, const struct cpu_user_regs *regs)
{
    uint64_t val = ((uint64_t)(uint32_t)regs->rdx << 32) | (uint32_t)regs->rax;

    if ( (uint32_t)regs->rcx != 0 || !(v->arch.guest_cr4 & X86_CR4_OSXSAVE) ||
         !(val & 1) || (val & ~xcr0_host) || ((val & 4) && !(val & 2)) )
        return false;
    v->arch.xcr0 = val;
    xsetbv(0, val);

    return true;
}

/* The ports the hypervisor keeps for itself: its serial line. */
static bool port_denied(unsigned int port, unsigned int bytes)
{
    return port + bytes > 0x3f8 && port < 0x400;
}

static bool io_allowed(const struct vcpu *v)
{
    /* A PV kernel runs with virtual CPL 1 (0 for this purpose), user 3. */
    unsigned int cpl = (v->arch.flags & TF_kernel_mode) ? 1 : 3;

    return v->arch.iopl >= cpl;
}

/*
 * The ports a domain reaches: dom0 all but the hypervisor's, a domU
 * none. A domU with the IOPL for it still gets its instruction done,
 * as Xen does it: reads give all ones, writes go nowhere (Linux as a
 * domU probes PCI's 0xcf8 this way at boot and expects no fault).
 */
static bool port_denied_to(const struct domain *d, unsigned int port,
                           unsigned int bytes)
{
    return !d->is_privileged || port_denied(port, bytes);
}

static void emulate_in(struct cpu_user_regs *regs, unsigned int port,
                       unsigned int bytes)
{
    unsigned long mask = bytes == 4 ? 0xffffffffUL : (1UL << (bytes * 8)) - 1;
    unsigned long val = mask; /* a denied port reads all ones */

    if ( !port_denied_to(current->domain, port, bytes) )
        val = bytes == 1 ? inb(port) : bytes == 2 ? inw(port) : inl(port);
    if ( bytes == 4 )
        regs->rax = val & mask;
    else
        regs->rax = (regs->rax & ~mask) | (val & mask);
}

static void emulate_out(struct cpu_user_regs *regs, unsigned int port,
                        unsigned int bytes)
{
    if ( port_denied_to(current->domain, port, bytes) )
        return;
    if ( bytes == 1 )
        outb(regs->rax, port);
    else if ( bytes == 2 )
        outw(regs->rax, port);
    else
        outl(regs->rax, port);
}

/* Port I/O: e4/e5 e6/e7 (imm8), ec/ed ee/ef (dx); 66 for 16-bit. */
static unsigned int emulate_io(struct cpu_user_regs *regs, const uint8_t *p,
                               unsigned int len)
{
    unsigned int opsz = 4, i = 0, port, op;

    if ( p[0] == 0x66 )
    {
        opsz = 2;
        i = 1;
    }
    if ( i >= len )
        return 0;
    op = p[i];
    switch ( op )
    {
    case 0xe4: case 0xe5: case 0xe6: case 0xe7:
        if ( i + 1 >= len )
            return 0;
        port = p[i + 1];
        i += 2;
        break;
    case 0xec: case 0xed: case 0xee: case 0xef:
        port = regs->rdx & 0xffff;
        i += 1;
        break;
    default:
        return 0;
    }
    if ( !(op & 1) )
        opsz = 1;
    if ( !io_allowed(current) )
        return 0;
    if ( op & 2 )
        emulate_out(regs, port, opsz);
    else
        emulate_in(regs, port, opsz);

    return i;
}

/* Emulates the instruction at p (len bytes readable); its length or 0. */
static unsigned int emulate_one(struct cpu_user_regs *regs, const uint8_t *p,
                                unsigned int len)
{
    struct vcpu *v = current;
    uint64_t val;
    unsigned int rex = 0, i = 0;

    /*
     * CLI and STI with enough virtual IOPL: no-ops, as in Xen (the
     * guest's interrupt flag is its event mask, which POPF could not
     * restore anyway).
     */
    if ( len >= 1 && (p[0] == 0xfa || p[0] == 0xfb) )
        return io_allowed(v) ? 1 : 0;
    if ( len >= 1 && (p[0] & 0xf0) == 0x40 )
        rex = p[i++];
    if ( len < i + 2 || p[i] != 0x0f )
        return emulate_io(regs, p, len);

    switch ( p[i + 1] )
    {
    case 0x06: /* clts */
        v->arch.fpu_ts = false;
        clts();
        return i + 2;
    case 0x09: /* wbinvd */
        if ( v->domain->is_privileged )
            __asm__ __volatile__ ( "wbinvd" ::: "memory" );
        return i + 2;
    case 0x30: /* wrmsr */
        if ( !write_msr(regs->rcx, (regs->rdx << 32) | (uint32_t)regs->rax) )
            return 0;
        return i + 2;
    case 0x32: /* rdmsr */
        if ( !read_msr(v, regs->rcx, &val) )
            return 0;
        regs->rax = (uint32_t)val;
        regs->rdx = val >> 32;
        return i + 2;
    case 0x01: /* xsetbv is 0f 01 d1 */
        if ( len < i + 3 || p[i + 2] != 0xd1 || !emulate_xsetbv(v, regs) )
            return 0;
        return i + 3;
    case 0x22: /* mov %reg, %crN */
    {
        unsigned int modrm;

        if ( len < i + 3 )
            return 0;
        modrm = p[i + 2];
        if ( (modrm >> 6) != 3 ||
             !write_guest_cr(v, ((modrm >> 3) & 7) | ((rex & 4) << 1),
                             *gpr(regs, (modrm & 7) | ((rex & 1) << 3))) )
            return 0;
        return i + 3;
    }
    case 0x20: /* mov %crN, %reg */
    {
        unsigned int modrm;

        if ( len < i + 3 )
            return 0;
        modrm = p[i + 2];
        if ( (modrm >> 6) != 3 )
            return 0;
        *gpr(regs, (modrm & 7) | ((rex & 1) << 3)) =
            guest_cr(v, ((modrm >> 3) & 7) | ((rex & 4) << 1));
        return i + 3;
    }
    default:
        return 0;
    }
}

/* ud2; .ascii "xen"; cpuid */
static const uint8_t forced_cpuid[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };

bool pv_emulate_privileged_op(struct cpu_user_regs *regs)
{
    uint8_t insn[15];
    unsigned int len, n;

    /* Read what is readable of the longest instruction there can be. */
    for ( len = sizeof(insn); len; len-- )
        if ( !copy_from_guest_va(insn, regs->rip, len) )
            break;
    if ( !len )
        return false;

    if ( regs->vector == X86_EXC_UD )
    {
        if ( len < sizeof(forced_cpuid) ||
             memcmp(insn, forced_cpuid, sizeof(forced_cpuid)) )
            return false;
        emulate_cpuid(regs);
        regs->rip += sizeof(forced_cpuid);
        return true;
    }

    n = emulate_one(regs, insn, len);
    if ( !n )
        return false;
    regs->rip += n;

    return true;
}
