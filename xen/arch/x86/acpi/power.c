/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Power-off, reset and halt.
 *
 * Power-off enters ACPI S5: the S5 sleep type from the DSDT goes into the
 * PM1 control registers named by the FADT, with SLP_EN (or into the sleep
 * control register on hardware-reduced platforms). Reset tries the FADT's
 * reset register, then the keyboard controller, then a triple fault; each
 * step is given time to work before the next one is tried. These paths
 * run after panics too, so they map nothing and wait on nothing
 * unbounded.
 *
 * dom0 may supply the S5 values itself (XENPF_enter_acpi_sleep, as Linux
 * does from its own reading of the DSDT, after running _PTS): they are
 * checked as Xen checks them and written in place of ours; if the
 * machine is still up a second later, ours are tried.
 */
#include <asm/acpi.h>
#include <asm/atomic.h>
#include <asm/bootmap.h>
#include <asm/io.h>
#include <asm/system.h>
#include <xen/errno.h>
#include <xen/init.h>
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/string.h>
#include <public/platform.h>

bool opt_noreboot;
boolean_param("noreboot", opt_noreboot);

/* A fixed-hardware register, resolved once from the FADT. */
struct acpi_reg {
    bool present;
    uint8_t space;              /* ACPI_ADR_SPACE_* */
    uint64_t addr;
    volatile void *va;          /* system memory: mapped at boot */
};

static struct acpi_reg pm1a_cnt, pm1b_cnt, sleep_ctl, reset_reg, pm_tmr;
static uint32_t pm_tmr_mask;
static uint8_t reset_value;
static bool hw_reduced;
static bool have_s5;
static uint8_t slp_typ[2];
static uint16_t smi_cmd;
static uint8_t acpi_enable_value;

/* dom0's S5 request, taken by machine_power_off(). */
static struct {
    bool valid;
    bool extended;              /* sleep control register: val_a a type */
    uint16_t val_a, val_b;      /* else full PM1 values, SLP_EN included */
} dom0_s5;

/* Sleep states as numbered by ACPI. */
#define ACPI_STATE_S3       3
#define ACPI_STATE_S5       5
/* Xen's "no value for PM1b" in an extended request. */
#define ACPI_SLEEP_TYPE_NONE 0xff
#define ACPI_SLEEP_TYPE_MAX  7

/* Legacy PC pieces: POST code port, keyboard controller. */
#define POST_PORT           0x80
#define KBD_STATUS_PORT     0x64
#define KBD_STAT_IBF        0x02   /* input buffer full */
#define KBD_CMD_PULSE_RESET 0xfe

/* The chipset's reset control register and its bits. */
#define RST_CNT_PORT        0xcf9
#define RST_CNT_SYS_RST     0x02
#define RST_CNT_RST_CPU     0x04
#define RST_CNT_FULL_RST    0x08

/*
 * Reset methods in the order they are tried; "reboot=" (Xen's letters:
 * a ACPI, k keyboard controller, p PCI 0xcf9, t triple fault) picks the
 * first one, the later ones follow if it fails.
 */
enum { RESET_ACPI, RESET_KBD, RESET_CF9, RESET_TRIPLE };
static unsigned int reset_first = RESET_ACPI;

static int parse_reboot(const char *s)
{
    switch ( s[0] )
    {
    case 'a':
        reset_first = RESET_ACPI;
        break;
    case 'k':
        reset_first = RESET_KBD;
        break;
    case 'p':
        reset_first = RESET_CF9;
        break;
    case 't':
        reset_first = RESET_TRIPLE;
        break;
    default:
        return -EINVAL;
    }
    return 0;
}
custom_param("reboot", parse_reboot);

/* PCI configuration mechanism #1, for a reset register in config space. */
#define PCI_CONF_ADDR       0xcf8
#define PCI_CONF_DATA       0xcfc

/* The ACPI PM timer runs at 3.579545 MHz on every platform. */
#define PM_TMR_HZ           3579545UL

/*
 * Writes to the POST code port take about a microsecond on PC hardware;
 * they are the delay of last resort.
 */
static void io_delay(unsigned long n)
{
    while ( n-- )
        outb(0, POST_PORT);
}

static void halt(void)
{
    __asm__ __volatile__ ( "hlt" ::: "memory" );
}

/*
 * Fills r from a Generic Address Structure. Memory-space registers are
 * mapped now and stay mapped: power-off and reset must not depend on
 * the bootmap window having room (they also run after panics).
 *
 * The mapping is cacheable, which is fine for chipset registers: firmware
 * sets the MTRRs to uncacheable over MMIO, and UC there wins over the
 * page tables' write-back.
 */
static bool __init reg_from_gas(struct acpi_reg *r,
                                const struct acpi_generic_address *gas,
                                size_t width)
{
    memset(r, 0, sizeof(*r));
    if ( !gas->address )
        return false;

    switch ( gas->space_id )
    {
    case ACPI_ADR_SPACE_SYSTEM_IO:
        if ( gas->address + width - 1 > 0xffff )
            return false;
        break;
    case ACPI_ADR_SPACE_SYSTEM_MEMORY:
        if ( !acpi_paddr_ok(gas->address, width) )
            return false;
        r->va = bootmap_map_registers(gas->address, width);
        break;
    case ACPI_ADR_SPACE_PCI_CONFIG:
        /* Segment 0, bus 0; device, function and offset in the address. */
        if ( (gas->address >> 48) || ((gas->address >> 32) & 0xffff) > 31 ||
             ((gas->address >> 16) & 0xffff) > 7 ||
             (gas->address & 0xffff) > 0xff )
            return false;
        break;
    default:
        return false;
    }

    r->present = true;
    r->space = gas->space_id;
    r->addr = gas->address;

    return true;
}

/*
 * A fixed-hardware block: the extended (GAS) field of the FADT wins when
 * set and usable, else the legacy I/O port field.
 */
static bool __init reg_from_fixed(struct acpi_reg *r,
                                  const struct acpi_generic_address *x,
                                  uint32_t legacy, size_t width)
{
    struct acpi_generic_address gas = {
        .space_id = ACPI_ADR_SPACE_SYSTEM_IO,
        .address = legacy,
    };

    if ( x->space_id != ACPI_ADR_SPACE_PCI_CONFIG &&
         reg_from_gas(r, x, width) )
        return true;

    return reg_from_gas(r, &gas, width);
}

static uint16_t reg_read16(const struct acpi_reg *r)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        return *(volatile const uint16_t *)r->va;

    return inw(r->addr);
}

static void reg_write16(const struct acpi_reg *r, uint16_t v)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        *(volatile uint16_t *)r->va = v;
    else
        outw(v, r->addr);
}

static uint8_t reg_read8(const struct acpi_reg *r)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        return *(volatile const uint8_t *)r->va;

    return inb(r->addr);
}

static void reg_write8(const struct acpi_reg *r, uint8_t v)
{
    uint32_t dev, fn, off;

    switch ( r->space )
    {
    case ACPI_ADR_SPACE_SYSTEM_MEMORY:
        *(volatile uint8_t *)r->va = v;
        break;
    case ACPI_ADR_SPACE_SYSTEM_IO:
        outb(v, r->addr);
        break;
    case ACPI_ADR_SPACE_PCI_CONFIG:
        dev = (r->addr >> 32) & 0x1f;
        fn = (r->addr >> 16) & 0x7;
        off = r->addr & 0xff;
        outl(0x80000000U | (dev << 11) | (fn << 8) | (off & 0xfc),
             PCI_CONF_ADDR);
        outb(v, PCI_CONF_DATA + (off & 3));
        break;
    }
}

/* Log prefix naming a register's address space; none for I/O ports. */
static const char *reg_space(const struct acpi_reg *r)
{
    switch ( r->space )
    {
    case ACPI_ADR_SPACE_SYSTEM_MEMORY:
        return "mem ";
    case ACPI_ADR_SPACE_PCI_CONFIG:
        return "pci ";
    default:
        return "";
    }
}

static uint32_t reg_read32(const struct acpi_reg *r)
{
    if ( r->space == ACPI_ADR_SPACE_SYSTEM_MEMORY )
        return *(volatile const uint32_t *)r->va;

    return inl(r->addr);
}

/*
 * No interrupts, no calibrated clock: delays use the PM timer when the
 * FADT has one, since port writes vary a hundredfold between hardware,
 * KVM and TCG. A timer that does not tick must not hang us, so the wait
 * is also bounded in reads of it (each at least tens of nanoseconds).
 */
static void mdelay(unsigned int ms)
{
    unsigned long need = ms * (PM_TMR_HZ / 1000), done = 0, reads;
    uint32_t last, now;

    if ( !pm_tmr.present )
    {
        io_delay(ms * 1000UL);
        return;
    }

    last = reg_read32(&pm_tmr) & pm_tmr_mask;
    for ( reads = 0; done < need && reads < ms * 20000UL; reads++ )
    {
        now = reg_read32(&pm_tmr) & pm_tmr_mask;
        done += (now - last) & pm_tmr_mask;
        last = now;
    }
}

void __init acpi_power_init(const struct acpi_fadt *fadt, const uint8_t s5[2])
{
    have_s5 = s5;
    if ( s5 )
    {
        slp_typ[0] = s5[0];
        slp_typ[1] = s5[1];
    }

    if ( !fadt )
    {
        printk(XENLOG_WARNING "ACPI: no FADT: power-off will halt; reset "
               "through the keyboard controller\n");
        return;
    }

    hw_reduced = fadt->flags & ACPI_FADT_HW_REDUCED_ACPI;
    if ( !hw_reduced && fadt->pm_tmr_len >= 4 &&
         reg_from_fixed(&pm_tmr, &fadt->x_pm_tmr_blk, fadt->pm_tmr_blk,
                        sizeof(uint32_t)) )
        pm_tmr_mask = fadt->flags & ACPI_FADT_TMR_VAL_EXT ? ~0U : 0xffffffU;
    if ( fadt->smi_cmd <= 0xffff )
    {
        smi_cmd = fadt->smi_cmd;
        acpi_enable_value = fadt->acpi_enable;
    }

    if ( hw_reduced )
    {
        if ( reg_from_gas(&sleep_ctl, &fadt->sleep_control_reg, 1) && s5 )
            printk("ACPI: S5 via SLEEP_CONTROL %s%#lx SLP_TYP %u\n",
                   reg_space(&sleep_ctl), sleep_ctl.addr, slp_typ[0]);
        else if ( s5 )
            printk(XENLOG_WARNING "ACPI: hardware-reduced, without a usable "
                   "sleep control register: power-off will halt\n");
    }
    else if ( reg_from_fixed(&pm1a_cnt, &fadt->x_pm1a_cnt_blk,
                             fadt->pm1a_cnt_blk, sizeof(uint16_t)) )
    {
        reg_from_fixed(&pm1b_cnt, &fadt->x_pm1b_cnt_blk, fadt->pm1b_cnt_blk,
                       sizeof(uint16_t));
        if ( s5 && pm1b_cnt.present )
            printk("ACPI: S5 via PM1a_CNT %s%#lx SLP_TYP %u, PM1b_CNT %s%#lx "
                   "SLP_TYP %u\n", reg_space(&pm1a_cnt), pm1a_cnt.addr,
                   slp_typ[0], reg_space(&pm1b_cnt), pm1b_cnt.addr,
                   slp_typ[1]);
        else if ( s5 )
            printk("ACPI: S5 via PM1a_CNT %s%#lx SLP_TYP %u\n",
                   reg_space(&pm1a_cnt), pm1a_cnt.addr, slp_typ[0]);
    }
    else
        printk(XENLOG_WARNING
               "ACPI: no usable PM1a_CNT: power-off will halt\n");

    if ( !s5 )
        printk(XENLOG_WARNING "ACPI: S5 unknown: power-off will halt\n");

    if ( (fadt->flags & ACPI_FADT_RESET_REG_SUP) &&
         reg_from_gas(&reset_reg, &fadt->reset_reg, 1) )
    {
        reset_value = fadt->reset_value;
        printk("ACPI: reset via RESET_REG %s%#lx value %#x\n",
               reg_space(&reset_reg), reset_reg.addr, reset_value);
    }
    else
        printk("ACPI: no reset register; reset through the keyboard "
               "controller\n");
}

bool acpi_power_off_ready(void)
{
    return have_s5 && (hw_reduced ? sleep_ctl.present : pm1a_cnt.present);
}

/*
 * Firmware may still own the fixed hardware (SCI_EN clear: legacy mode),
 * and sleep requests are then not ours to make. Writing ACPI_ENABLE to
 * SMI_CMD is how the spec has the OS take it over; give the SMI handler
 * up to a few seconds, then try regardless.
 */
static void acpi_enter_acpi_mode(void)
{
    unsigned int ms;

    if ( !smi_cmd || !acpi_enable_value ||
         (reg_read16(&pm1a_cnt) & ACPI_PM1_SCI_EN) )
        return;

    outb(acpi_enable_value, smi_cmd);
    for ( ms = 0; ms < 3000; ms++ )
    {
        if ( reg_read16(&pm1a_cnt) & ACPI_PM1_SCI_EN )
            return;
        mdelay(1);
    }
}

/*
 * Both halves get their sleep type before either gets SLP_EN, as the two
 * halves of the register must agree when the state is entered. a and b
 * are whole PM1 control values, SLP_EN set.
 */
static void pm1_enter(uint16_t a, uint16_t b)
{
    reg_write16(&pm1a_cnt, a & ~ACPI_PM1_SLP_EN);
    if ( pm1b_cnt.present )
        reg_write16(&pm1b_cnt, b & ~ACPI_PM1_SLP_EN);
    reg_write16(&pm1a_cnt, a);
    if ( pm1b_cnt.present )
        reg_write16(&pm1b_cnt, b);
}

/* Other bits of the register keep their values. */
static uint16_t pm1_s5_value(const struct acpi_reg *r, uint8_t typ)
{
    uint16_t v = reg_read16(r) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);

    return v | (typ << ACPI_PM1_SLP_TYP_SHIFT) | ACPI_PM1_SLP_EN;
}

static void sleep_ctl_enter(uint8_t typ)
{
    uint8_t v = reg_read8(&sleep_ctl);

    v &= ~(ACPI_SLEEP_CTL_SLP_TYP_MASK | ACPI_SLEEP_CTL_SLP_EN);
    v |= (typ << ACPI_SLEEP_CTL_SLP_TYP_SHIFT) & ACPI_SLEEP_CTL_SLP_TYP_MASK;
    reg_write8(&sleep_ctl, v | ACPI_SLEEP_CTL_SLP_EN);
}

int acpi_dom0_sleep_request(unsigned int state, uint16_t val_a,
                            uint16_t val_b, uint32_t flags)
{
    /* Xen's checks, in Xen's order, so that dom0 sees Xen's errors. */
    if ( state == ACPI_STATE_S3 )
        return -EOPNOTSUPP;         /* no wakeup path to resume through */
    if ( flags & XENPF_ACPI_SLEEP_EXTENDED )
    {
        if ( !hw_reduced || !sleep_ctl.present )
            return -EPERM;
        if ( flags & ~XENPF_ACPI_SLEEP_EXTENDED )
            return -EINVAL;
        if ( val_a > ACPI_SLEEP_TYPE_MAX ||
             (val_b != ACPI_SLEEP_TYPE_NONE && val_b > ACPI_SLEEP_TYPE_MAX) )
            return -ERANGE;
    }
    else if ( !pm1a_cnt.present )
        return -EPERM;
    else if ( val_b && ((val_a ^ val_b) & ACPI_PM1_SLP_EN) )
        return -EINVAL;
    else if ( flags )
        return -EINVAL;

    /* S1, S2 and S4 are refused too, as Xen does past these checks. */
    if ( state != ACPI_STATE_S5 )
        return -EINVAL;

    dom0_s5.extended = flags & XENPF_ACPI_SLEEP_EXTENDED;
    dom0_s5.val_a = val_a;
    dom0_s5.val_b = val_b;
    smp_wmb();
    dom0_s5.valid = true;

    return 0;
}

void machine_power_off(void)
{
    local_irq_disable();

    if ( dom0_s5.valid )
    {
        smp_rmb();
        if ( dom0_s5.extended )
            printk("Powering off: ACPI S5 with dom0's SLP_TYP %u\n",
                   dom0_s5.val_a);
        else if ( pm1b_cnt.present )
            printk("Powering off: ACPI S5 with dom0's PM1a_CNT %#x, "
                   "PM1b_CNT %#x\n", dom0_s5.val_a, dom0_s5.val_b);
        else
            printk("Powering off: ACPI S5 with dom0's PM1a_CNT %#x\n",
                   dom0_s5.val_a);
        /* Let the UART's FIFO drain: the last line is the one that matters. */
        mdelay(20);
        if ( dom0_s5.extended )
            sleep_ctl_enter(dom0_s5.val_a);
        else
        {
            acpi_enter_acpi_mode();
            pm1_enter(dom0_s5.val_a, dom0_s5.val_b);
        }
        mdelay(1000);
        printk(XENLOG_ERR "ACPI S5 with dom0's values failed; trying "
               "the hypervisor's own\n");
    }
    else
        printk("Powering off\n");

    if ( !acpi_power_off_ready() )
    {
        printk(XENLOG_ERR "No ACPI power-off method\n");
        machine_halt();
    }

    mdelay(20);

    if ( hw_reduced )
        sleep_ctl_enter(slp_typ[0]);
    else
    {
        /* The values keep the register's other bits: SCI_EN set here. */
        acpi_enter_acpi_mode();
        pm1_enter(pm1_s5_value(&pm1a_cnt, slp_typ[0]),
                  pm1b_cnt.present ? pm1_s5_value(&pm1b_cnt, slp_typ[1]) : 0);
    }

    mdelay(1000);
    printk(XENLOG_ERR "ACPI power-off failed\n");
    machine_halt();
}

/*
 * The last resort: with an IDT limit of 0 every exception is undeliverable,
 * which escalates to a double fault, then to a shutdown, which the
 * chipset turns into a reset.
 */
static void __noreturn triple_fault(void)
{
    static const struct __packed {
        uint16_t limit;
        uint64_t base;
    } no_idt = { 0, 0 };

    __asm__ __volatile__ ( "lidt %0; int3" :: "m" (no_idt) : "memory" );
    for ( ;; )
        halt();
}

static void reset_acpi(void)
{
    if ( !reset_reg.present )
        return;
    printk("Reset: ACPI RESET_REG %s%#lx <- %#x\n", reg_space(&reset_reg),
           reset_reg.addr, reset_value);
    mdelay(20);
    reg_write8(&reset_reg, reset_value);
    mdelay(100);
    printk(XENLOG_WARNING "ACPI reset register had no effect\n");
}

static void reset_kbd(void)
{
    unsigned int i, spin;

    printk("Reset: keyboard controller pulse\n");
    mdelay(20);
    for ( i = 0; i < 10; i++ )
    {
        /*
         * Bounded: without a keyboard controller the port reads as 0xff,
         * input buffer forever full; the command is sent regardless.
         */
        for ( spin = 0; spin < 100000; spin++ )
        {
            if ( !(inb(KBD_STATUS_PORT) & KBD_STAT_IBF) )
                break;
            io_delay(1);
        }
        outb(KBD_CMD_PULSE_RESET, KBD_STATUS_PORT);
        mdelay(50);
    }
    printk(XENLOG_WARNING "Keyboard controller reset had no effect\n");
}

/*
 * The chipset's reset control register (Intel's since the PIIX, and
 * most others): SYS_RST asks for a hard reset rather than an INIT, and
 * the reset happens when RST_CPU goes from 0 to 1.
 */
static void reset_cf9(void)
{
    uint8_t v = inb(RST_CNT_PORT) & ~(RST_CNT_SYS_RST | RST_CNT_RST_CPU |
                                       RST_CNT_FULL_RST);

    printk("Reset: PCI reset control %#x\n", RST_CNT_PORT);
    mdelay(20);
    outb(v | RST_CNT_SYS_RST, RST_CNT_PORT);
    io_delay(50);
    outb(v | RST_CNT_SYS_RST | RST_CNT_RST_CPU | RST_CNT_FULL_RST,
         RST_CNT_PORT);
    mdelay(100);
    printk(XENLOG_WARNING "PCI reset control had no effect\n");
}

void machine_restart(void)
{
    static bool restarting;
    static void (*const methods[])(void) = {
        [RESET_ACPI] = reset_acpi,
        [RESET_KBD] = reset_kbd,
        [RESET_CF9] = reset_cf9,
    };
    unsigned int m;

    local_irq_disable();

    /* A fault on the way down must not loop back through here. */
    if ( restarting )
        triple_fault();
    restarting = true;

    printk("Rebooting\n");

    /*
     * From the method "reboot=" chose, each of the later ones in turn:
     * firmware's way, then the ways of PC hardware that firmware may not
     * describe, then the one that needs nothing but the CPU.
     */
    for ( m = reset_first; m < ARRAY_SIZE(methods); m++ )
        methods[m]();
    printk("Reset: triple fault\n");
    mdelay(20);
    triple_fault();
}

void machine_halt(void)
{
    local_irq_disable();
    printk("System halted\n");
    for ( ;; )
        halt();
}
