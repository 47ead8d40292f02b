/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exceptions bounced to the trap table: vector, error code, CR2, the
 * bounce frame Xen builds for a 64-bit PV kernel (rcx and r11 lowest,
 * then the error code, rip, cs with the saved upcall mask in bits 32-39,
 * rflags, rsp, ss), and the iret hypercall back.
 */
#include "pvkernel.h"

/* Fault sites, so that the checks know the rip to expect. */
extern char de_site[], ud_site[], gp_site[], pf_site[], int3_after[],
            int80_after[], int81_site[], frame_site[];

static void __attribute__((noinline)) do_divide_error(void)
{
    asm volatile ( "xor %%ecx, %%ecx\n\t"
                   "de_site: div %%rcx" ::: "rax", "rdx", "rcx", "memory" );
}

PVTEST(trap_divide_error)
{
    if ( !pv_setjmp(trap_catch()) )
    {
        do_divide_error();
        trap_catch_end();
        fail("no #DE");
        return;
    }
    EXPECT_EQ(caught.vector, 0);
    EXPECT_EQ(caught.frame.rip, (unsigned long)de_site);
    /* Xen shows the guest kernel its own CS with RPL 0 (0xe030). */
    EXPECT_EQ(caught.frame.cs & 0xffff, FLAT_KERNEL_CS & ~3);
    EXPECT_EQ(caught.frame.ss & 0xffff, FLAT_KERNEL_SS);
}

static void __attribute__((noinline)) do_ud2(void)
{
    asm volatile ( "ud_site: ud2" ::: "memory" );
}

PVTEST(trap_invalid_opcode)
{
    if ( !pv_setjmp(trap_catch()) )
    {
        do_ud2();
        trap_catch_end();
        fail("no #UD");
        return;
    }
    EXPECT_EQ(caught.vector, 6);
    EXPECT_EQ(caught.frame.rip, (unsigned long)ud_site);
}

static void __attribute__((noinline)) do_noncanonical_read(void)
{
    asm volatile ( "movabs $0x8000000000000000, %%rax\n\t"
                   "gp_site: mov (%%rax), %%rax" ::: "rax", "memory" );
}

PVTEST(trap_general_protection)
{
    if ( !pv_setjmp(trap_catch()) )
    {
        do_noncanonical_read();
        trap_catch_end();
        fail("no #GP");
        return;
    }
    EXPECT_EQ(caught.vector, 13);
    EXPECT_EQ(caught.error_code, 0);
    EXPECT_EQ(caught.frame.rip, (unsigned long)gp_site);
}

static void __attribute__((noinline)) do_unmapped_write(void)
{
    asm volatile ( "movabs $0x00007000deadb000, %%rax\n\t"
                   "pf_site: movq $1, 8(%%rax)" ::: "rax", "memory" );
}

PVTEST(trap_page_fault_cr2)
{
    if ( !pv_setjmp(trap_catch()) )
    {
        do_unmapped_write();
        trap_catch_end();
        fail("no #PF");
        return;
    }
    EXPECT_EQ(caught.vector, 14);
    EXPECT_EQ(caught.cr2, 0x00007000deadb008UL);
    EXPECT_EQ(caught.frame.rip, (unsigned long)pf_site);
    /*
     * Not present, write. The guest kernel runs in ring 3, but Xen clears
     * the user bit for faults in guest kernel mode.
     */
    EXPECT_EQ(caught.error_code & 0x7, 0x2);
}

/* int3 is a trap: the handler returns through the iret hypercall. */
PVTEST(trap_int3_iret_back)
{
    unsigned long marker = 0;

    trap_resume(0);
    asm volatile ( "int3\n\t"
                   "int3_after: movq $42, %0" : "=m" (marker) :: "memory" );
    EXPECT_EQ(caught.count, 1);
    EXPECT_EQ(caught.vector, 3);
    EXPECT_EQ(caught.frame.rip, (unsigned long)int3_after);
    EXPECT_EQ(marker, 42);
}

PVTEST(trap_int80_allowed)
{
    trap_resume(0);
    asm volatile ( "int $0x80\n\tint80_after:" ::: "memory" );
    EXPECT_EQ(caught.count, 1);
    EXPECT_EQ(caught.vector, 0x80);
    EXPECT_EQ(caught.frame.rip, (unsigned long)int80_after);
}

static void __attribute__((noinline)) do_int81(void)
{
    asm volatile ( "int81_site: int $0x81" ::: "memory" );
}

/* DPL 0 in the trap table: even the guest kernel may not `int` to it. */
PVTEST(trap_int81_dpl0_gp)
{
    if ( !pv_setjmp(trap_catch()) )
    {
        do_int81();
        trap_catch_end();
        fail("int $0x81 reached its handler or nothing happened");
        return;
    }
    EXPECT_EQ(caught.vector, 13);
    EXPECT_EQ(caught.error_code, (0x81 << 3) | 2);
    EXPECT_EQ(caught.frame.rip, (unsigned long)int81_site);
}

static void __attribute__((noinline)) do_fault_with_regs(void)
{
    asm volatile ( "movabs $0x1122334455667788, %%rcx\n\t"
                   "movabs $0x0102030405060708, %%r11\n\t"
                   "frame_site: ud2" ::: "rcx", "r11", "memory" );
}

/* rcx and r11 of the frame are the interrupted code's, restored by head.S. */
PVTEST(trap_bounce_frame_layout)
{
    unsigned long rsp_before;

    asm volatile ( "mov %%rsp, %0" : "=r" (rsp_before) );
    if ( !pv_setjmp(trap_catch()) )
    {
        do_fault_with_regs();
        trap_catch_end();
        fail("no #UD");
        return;
    }
    EXPECT_EQ(caught.frame.rcx, 0x1122334455667788UL);
    EXPECT_EQ(caught.frame.r11, 0x0102030405060708UL);
    EXPECT_EQ(caught.frame.rip, (unsigned long)frame_site);
    EXPECT_EQ(caught.frame.cs & 0xffff, FLAT_KERNEL_CS & ~3);
    /* Events were masked: the saved upcall mask is 1, IF reads 0. */
    EXPECT_EQ((caught.frame.cs >> 32) & 0xff, 1);
    EXPECT_EQ(caught.frame.rflags & 0x200, 0);
    expect(caught.frame.rsp < rsp_before && caught.frame.rsp > rsp_before - 256,
           "frame rsp %#lx, rsp before the call %#lx", caught.frame.rsp,
           rsp_before);
}

PVTEST(set_trap_table_bad_args)
{
    trap_info_t t[2] = {
        { 6, 0, FLAT_KERNEL_CS, 0x8000000000000000UL },
        { 0, 0, 0, 0 },
    };
    long rc;

    EXPECT_ERR(HYPERVISOR_set_trap_table(0x8000000000000000UL), EFAULT);
    EXPECT_ERR(HYPERVISOR_set_trap_table(0xffff830000000000UL), EFAULT);
    /*
     * Xen 4.17 takes any handler address and fails only when it bounces
     * to it; refusing a non-canonical one up front is also fine.
     */
    rc = HYPERVISOR_set_trap_table(t);
    expect(rc == 0 || rc == -EINVAL, "non-canonical handler: rc %ld", rc);
    install_trap_table();
}

PVTEST(callback_op_bad_args)
{
    callback_register_t cb = { CALLBACKTYPE_event, 0, 0x8000000000000000UL };
    callback_unregister_t un = { CALLBACKTYPE_event, 0 };

    EXPECT_ERR(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), EINVAL);
    cb.type = 99;
    cb.address = (unsigned long)do_ud2;
    EXPECT_ERR(HYPERVISOR_callback_op(CALLBACKOP_register, &cb), ENOSYS);
    EXPECT_ERR(HYPERVISOR_callback_op(CALLBACKOP_register, NULL), EFAULT);
    EXPECT_ERR(HYPERVISOR_callback_op(42, &cb), ENOSYS);
    /* The event callback cannot be unregistered on x86 PV. */
    EXPECT_ERR(HYPERVISOR_callback_op(CALLBACKOP_unregister, &un), EINVAL);
}
