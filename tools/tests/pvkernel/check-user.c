/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User mode: a user L4 (MMUEXT_NEW_USER_BASEPTR), the iret hypercall to
 * ring 3 with a CS of RPL 3, the syscall callback and its bounce frame,
 * the return to user mode with VGCF_in_syscall, int3 and int $0x80 from
 * user mode, a user #PF, and the FS/GS bases of the two modes.
 *
 * The user L4 holds the kernel's guest slots too (so that user code sees
 * the FS/GS pages at their kernel addresses) plus slot 1, USER_VA, which
 * only the user L4 maps: code, stack. The user programs are in head.S.
 */
#include "pvkernel.h"

#define USER_VA         0x0000008000000000UL    /* L4 slot 1 */
#define USER_CODE       USER_VA
#define USER_STACK_TOP  (USER_VA + 2 * PAGE_SIZE)
#define USER_PF_VA      (USER_VA + 0x100008UL)  /* user_pf writes here */
#define PTE_RW  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | \
                 _PAGE_DIRTY)
#define USER_RFLAGS     0x202UL

extern char user_prog[], user_prog_end[], user_sys1_after[],
            user_int3_after[], user_int80_after[], user_sys2_after[],
            user_fsgs[], user_pf[], user_pf_site[], user_entry_stack_top[];

/* The user address of a label of head.S's user programs. */
#define UADDR(sym) \
    (USER_CODE + ((unsigned long)(sym) - (unsigned long)user_prog))

static unsigned long user_l4;

/* Build, pin and load the user L4; false (after fail()) if refused. */
static bool user_space_create(void)
{
    unsigned long l4 = scratch_page(), l3 = scratch_page();
    unsigned long l2 = scratch_page(), l1 = scratch_page();
    unsigned long code = scratch_page(), stack = scratch_page();
    const uint64_t *kl4 = (const uint64_t *)start_info->pt_base;
    long rc;

    for ( unsigned int i = 0; i < 512; i++ )
        if ( i < 256 || i >= 272 )
            ((uint64_t *)l4)[i] = kl4[i];
    expect(!kl4[1], "kernel L4 slot 1 in use: %#lx", kl4[1]);
    ((uint64_t *)l4)[1] = (va_to_mfn(l3) << PAGE_SHIFT) | PTE_RW;
    ((uint64_t *)l3)[0] = (va_to_mfn(l2) << PAGE_SHIFT) | PTE_RW;
    ((uint64_t *)l2)[0] = (va_to_mfn(l1) << PAGE_SHIFT) | PTE_RW;
    ((uint64_t *)l1)[0] = (va_to_mfn(code) << PAGE_SHIFT) | _PAGE_PRESENT |
                          _PAGE_USER | _PAGE_ACCESSED;
    ((uint64_t *)l1)[1] = (va_to_mfn(stack) << PAGE_SHIFT) | PTE_RW;
    memcpy((void *)code, user_prog, user_prog_end - user_prog);

    EXPECT_OK(remap_ro(l1));
    EXPECT_OK(remap_ro(l2));
    EXPECT_OK(remap_ro(l3));
    EXPECT_OK(remap_ro(l4));
    rc = mmuext(MMUEXT_PIN_L4_TABLE, va_to_mfn(l4));
    EXPECT_EQ(rc, 0);
    if ( rc )
        return false;
    rc = mmuext(MMUEXT_NEW_USER_BASEPTR, va_to_mfn(l4));
    EXPECT_EQ(rc, 0);
    user_l4 = l4;
    return !rc;
}

/* Drop the user L4 (mfn 0 means none) and unpin it. */
static void user_space_destroy(void)
{
    EXPECT_OK(mmuext(MMUEXT_NEW_USER_BASEPTR, 0));
    EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, va_to_mfn(user_l4)));
}

/* What the user-mode traps looked like, filled by user_hook(). */
static struct {
    struct trap_frame sys1, int3, int80, exit, pf;
    unsigned long sys1_at, pf_cr2;
    unsigned long yield_fs, yield_gs;
    unsigned int nr_sys1, nr_int3, nr_int80, nr_pf;
} u;
static struct pv_jmp_buf user_exit;

static unsigned long read_fs0(void)
{
    unsigned long v;

    asm volatile ( "mov %%fs:0, %0" : "=r" (v) );
    return v;
}

static unsigned long read_gs0(void)
{
    unsigned long v;

    asm volatile ( "mov %%gs:0, %0" : "=r" (v) );
    return v;
}

/* Traps from user mode only: a kernel-mode trap has a CS of RPL 0. */
static bool user_hook(struct trap_frame *f)
{
    if ( (f->cs & 3) != 3 )
        return false;
    switch ( f->vector )
    {
    case VEC_SYSCALL:
        if ( f->rax == 1 )
        {
            u.sys1 = *f;
            u.sys1_at = (unsigned long)f;
            u.nr_sys1++;
            f->rax = 0x7777;
            return true;
        }
        if ( f->rax == 3 )
        {
            for ( unsigned int i = 0; i < 20; i++ )
                HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            u.yield_fs = read_fs0();
            u.yield_gs = read_gs0();
            return true;
        }
        u.exit = *f;
        pv_longjmp(&user_exit, 1);
    case 3:
        u.int3 = *f;
        u.nr_int3++;
        return true;
    case 0x80:
        u.int80 = *f;
        u.nr_int80++;
        return true;
    case 14:
        u.pf = *f;
        u.pf_cr2 = read_cr2_shared();
        u.nr_pf++;
        pv_longjmp(&user_exit, 1);
    }
    return false;
}

/* Run user code from rip until it exits (syscall 2) or faults. */
static void run_user(unsigned long rip)
{
    memset(&u, 0, sizeof(u));
    trap_hook = user_hook;
    if ( !pv_setjmp(&user_exit) )
        enter_user(rip, USER_STACK_TOP, USER_RFLAGS);
    trap_hook = NULL;
}

PVTEST(user_syscall_int3_int80)
{
    unsigned long top = (unsigned long)user_entry_stack_top;

    if ( !user_space_create() )
        return;
    /* Only the user L4 maps USER_VA. */
    if ( !pv_setjmp(trap_catch()) )
    {
        (void)*(volatile unsigned long *)USER_CODE;
        trap_catch_end();
        fail("the kernel reads USER_VA: not a separate user L4");
    }
    run_user(USER_CODE);

    /* The first syscall: the bounce frame on the kernel stack. */
    EXPECT_EQ(u.nr_sys1, 1);
    expect(u.sys1_at < top && u.sys1_at >= top - 1024,
           "syscall frame at %#lx, kernel stack top %#lx", u.sys1_at, top);
    EXPECT_EQ(u.sys1.rip, UADDR(user_sys1_after));
    /* syscall put the return RIP in rcx and RFLAGS in r11. */
    EXPECT_EQ(u.sys1.rcx, UADDR(user_sys1_after));
    EXPECT_EQ(u.sys1.r11 & 0x200, 0x200);
    EXPECT_EQ(u.sys1.cs & 0xffff, FLAT_USER_CS);
    EXPECT_EQ(u.sys1.ss & 0xffff, FLAT_USER_SS);
    EXPECT_EQ(u.sys1.rsp, USER_STACK_TOP);
    EXPECT_EQ(u.sys1.rdi, 0x1111);

    /* Back in user mode after the syscall, rax as the kernel set it. */
    EXPECT_EQ(u.nr_int3, 1);
    EXPECT_EQ(u.int3.rip, UADDR(user_int3_after));
    EXPECT_EQ(u.int3.cs & 0xffff, FLAT_USER_CS);
    EXPECT_EQ(u.int3.rdi, 0x7777);
    EXPECT_EQ(u.nr_int80, 1);
    EXPECT_EQ(u.int80.rip, UADDR(user_int80_after));
    EXPECT_EQ(u.int80.cs & 0xffff, FLAT_USER_CS);

    /* The exit syscall. */
    EXPECT_EQ(u.exit.vector, VEC_SYSCALL);
    EXPECT_EQ(u.exit.rax, 2);
    EXPECT_EQ(u.exit.rip, UADDR(user_sys2_after));
    user_space_destroy();
}

PVTEST(user_page_fault)
{
    if ( !user_space_create() )
        return;
    run_user(UADDR(user_pf));
    EXPECT_EQ(u.nr_pf, 1);
    EXPECT_EQ(u.pf.vector, 14);
    EXPECT_EQ(u.pf_cr2, USER_PF_VA);
    EXPECT_EQ(u.pf.rip, UADDR(user_pf_site));
    /* Not present, write, user. */
    EXPECT_EQ(u.pf.error_code & 7, 6);
    EXPECT_EQ(u.pf.cs & 0xffff, FLAT_USER_CS);
    user_space_destroy();
}

PVTEST(user_fs_gs_bases)
{
    unsigned long fsp = scratch_page(), gsu = scratch_page();
    unsigned long gsk = scratch_page();

    *(unsigned long *)fsp = 0xf5f5f5f5UL;
    *(unsigned long *)gsu = 0x65757365UL;
    *(unsigned long *)gsk = 0x65736b6bUL;
    EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_FS, fsp));
    EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, gsk));
    EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, gsu));
    EXPECT_EQ(read_fs0(), 0xf5f5f5f5UL);
    EXPECT_EQ(read_gs0(), 0x65736b6bUL);
    for ( unsigned int i = 0; i < 20; i++ )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    EXPECT_EQ(read_fs0(), 0xf5f5f5f5UL);
    EXPECT_EQ(read_gs0(), 0x65736b6bUL);

    if ( user_space_create() )
    {
        run_user(UADDR(user_fsgs));
        /* User mode: FS shared, GS the user one, before and after yields. */
        EXPECT_EQ(u.exit.rax, 2);
        EXPECT_EQ(u.exit.rdi, 0xf5f5f5f5UL);
        EXPECT_EQ(u.exit.rsi, 0x65757365UL);
        EXPECT_EQ(u.exit.rdx, 0xf5f5f5f5UL);
        EXPECT_EQ(u.exit.r8, 0x65757365UL);
        /* The kernel, entered from user mode, has its own GS again. */
        EXPECT_EQ(u.yield_fs, 0xf5f5f5f5UL);
        EXPECT_EQ(u.yield_gs, 0x65736b6bUL);
        EXPECT_EQ(read_gs0(), 0x65736b6bUL);
        user_space_destroy();
    }
    EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_FS, 0));
    EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, 0));
    EXPECT_OK(HYPERVISOR_set_segment_base(SEGBASE_GS_USER, 0));
}
