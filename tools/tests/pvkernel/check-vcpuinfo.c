/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VCPUOP_register_vcpu_info: vCPU 0's vcpu_info moves into a page of the
 * kernel's own, for good (once only), so this check runs last and the
 * kernel's pointer follows it. Events and time must then arrive there.
 * Then shared_info, rid of it, is shown to stay an ordinary page.
 */
#include "pvkernel.h"

static uint8_t vcpu_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

PVTEST(vcpu_register_vcpu_info)
{
    struct vcpu_register_vcpu_info info = {
        .mfn = va_to_mfn((unsigned long)vcpu_info_page),
        .offset = 64,
    };
    vcpu_info_t *vi = (vcpu_info_t *)(vcpu_info_page + 64);
    uint64_t t0, t1;

    /* Bad input first: it must leave the registration possible. */
    info.offset = PAGE_SIZE - sizeof(vcpu_info_t) + 8;
    EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info),
               ENXIO);
    info.offset = 64;
    EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, NULL),
               EFAULT);

    vcpu_info_of[0]->evtchn_upcall_mask = 1;
    EXPECT_OK(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info));
    vcpu_info_of[0] = vi;
    /* The state came along, and every event is to be looked at again. */
    EXPECT_EQ(vi->evtchn_upcall_mask, 1);
    EXPECT_EQ(vi->evtchn_upcall_pending, 1);
    expect(vi->time.tsc_to_system_mul != 0, "no time in the new vcpu_info");
    ack_events();

    /* Time goes on there. */
    t0 = system_time_ns(0);
    for ( unsigned int i = 0; i < 3; i++ )
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    t1 = system_time_ns(0);
    expect(t1 >= t0, "system time went back: %lu -> %lu", (unsigned long)t0,
           (unsigned long)t1);

    /* Once only. */
    EXPECT_ERR(HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info),
               EINVAL);
}

/*
 * shared_info is a hypervisor page the hypervisor keeps writing (event
 * bits, the wallclock): it must never take another type than writable,
 * even with no writable mapping of it left. With vCPU 0's vcpu_info
 * moved out (above), its contents can be made a valid empty L1 (all
 * zeros), so only the hypervisor's own type reference refuses the pin.
 */
PVTEST(vcpu_shared_info_never_a_page_table)
{
    static uint8_t saved[PAGE_SIZE];
    unsigned long mfn = start_info->shared_info >> PAGE_SHIFT;
    long rc;

    if ( (unsigned long)vcpu_info_of[0] - (unsigned long)shared < PAGE_SIZE )
        check_skip("vCPU 0's vcpu_info is still in shared_info");
    memcpy(saved, shared, PAGE_SIZE);
    memset(shared, 0, PAGE_SIZE);
    EXPECT_OK(remap_ro((unsigned long)shared));
    rc = mmuext(MMUEXT_PIN_L1_TABLE, mfn);
    expect(rc < 0, "shared_info was pinned as an L1 (rc %ld)", rc);
    if ( !rc )
        EXPECT_OK(mmuext(MMUEXT_UNPIN_TABLE, mfn));
    EXPECT_OK(remap_rw((unsigned long)shared));
    memcpy(shared, saved, PAGE_SIZE);
}
