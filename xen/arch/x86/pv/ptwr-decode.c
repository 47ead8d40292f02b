/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The instruction decoder and emulator of writable page tables: which
 * 64-bit instruction wrote to a page-table entry, and what it makes of
 * the entry, the registers and the flags. The contract is in
 * asm/ptwr-decode.h, the reasoning in docs/designs/ptwr.md.
 *
 * The decoder accepts a small, closed set of encodings and refuses
 * everything else: a refused write goes back to the guest as the #PF it
 * was, whereas a mis-decoded one would corrupt a page table.
 */
#include <xen/compiler.h>
#include <xen/errno.h>
#include <xen/string.h>
#include <xen/types.h>
#include <asm/ptwr-decode.h>

#define REX_B 0x01U
#define REX_X 0x02U
#define REX_R 0x04U
#define REX_W 0x08U

#define FLAG_CF (1UL << 0)
#define FLAG_PF (1UL << 2)
#define FLAG_AF (1UL << 4)
#define FLAG_ZF (1UL << 6)
#define FLAG_SF (1UL << 7)
#define FLAG_OF (1UL << 11)
#define FLAGS_ARITH (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | FLAG_OF)

/* Where each register of the encoding order lives in the saved frame. */
static const unsigned int reg_off[16] = {
    UREGS_rax, UREGS_rcx, UREGS_rdx, UREGS_rbx, UREGS_rsp, UREGS_rbp,
    UREGS_rsi, UREGS_rdi, UREGS_r8, UREGS_r9, UREGS_r10, UREGS_r11,
    UREGS_r12, UREGS_r13, UREGS_r14, UREGS_r15,
};

static unsigned long reg_read(const struct cpu_user_regs *regs,
                              unsigned int n)
{
    return *(const unsigned long *)((const char *)regs + reg_off[n & 15]);
}

static void reg_write(struct cpu_user_regs *regs, unsigned int n,
                      unsigned long val)
{
    *(unsigned long *)((char *)regs + reg_off[n & 15]) = val;
}

static uint64_t size_mask(unsigned int size)
{
    return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* The bytes of the instruction, bounded by what the caller has and 15. */
struct cursor {
    const uint8_t *insn;
    unsigned int avail;
    unsigned int pos;
};

static int fetch(struct cursor *c, unsigned int n, uint64_t *val)
{
    uint64_t v = 0;
    unsigned int i;

    if ( c->pos + n > PTWR_MAX_INSN_LEN )
        return -E2BIG;
    if ( c->pos + n > c->avail )
        return -EFAULT;

    for ( i = 0; i < n; i++ )
        v |= (uint64_t)c->insn[c->pos + i] << (8 * i);
    c->pos += n;
    *val = v;

    return 0;
}

static int64_t sign_extend(uint64_t v, unsigned int bytes)
{
    unsigned int shift = 64 - 8 * bytes;

    return (int64_t)(v << shift) >> shift;
}

static bool is_legacy_prefix(uint8_t b)
{
    switch ( b )
    {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
    case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
        return true;
    }

    return false;
}

/* How the operand after ModRM is given. */
enum src_kind {
    SRC_REG,     /* ModRM.reg */
    SRC_IMM8,    /* imm8, sign-extended to the operand size */
    SRC_IMMZ,    /* imm16 for 16-bit operands, else imm32 sign-extended */
    SRC_BITREG,  /* ModRM.reg is a signed bit offset (BTS/BTR/BTC) */
    SRC_BITIMM,  /* imm8 is a bit offset modulo the operand size */
    SRC_PAIR,    /* ECX:EBX (CMPXCHG8B) */
};

/* The ALU group 80/81/83 by ModRM.reg; -1 for ADC, SBB and CMP. */
static const int alu_group[8] = {
    PTWR_ADD, PTWR_OR, -1, -1, PTWR_AND, PTWR_SUB, PTWR_XOR, -1,
};

int ptwr_decode(const uint8_t *insn, unsigned int avail,
                const struct cpu_user_regs *regs, unsigned long fault_addr,
                struct ptwr_insn *out)
{
    struct cursor c = { .insn = insn, .avail = avail };
    bool opsize16 = false, lock = false, fsgs = false, byte_op = false;
    bool riprel = false, lock_ok = true;
    unsigned int rex = 0, mod, reg, rm, size;
    unsigned int base = PTWR_REG_NONE, index = PTWR_REG_NONE, scale = 0;
    enum src_kind src;
    int op;
    uint64_t b, b2, modrm, sib, v;
    int64_t disp = 0;
    unsigned long addr;
    int rc;

    /* Legacy prefixes, in any order and number, as the CPU takes them. */
    for ( ; ; )
    {
        if ( (rc = fetch(&c, 1, &b)) )
            return rc;
        if ( !is_legacy_prefix(b) )
            break;
        switch ( b )
        {
        case 0xf0:
            lock = true;
            break;
        case 0x66:
            opsize16 = true;
            break;
        case 0x64: case 0x65:
            fsgs = true;
            break;
        case 0xf2: case 0xf3: /* REP, or XACQUIRE/XRELEASE */
        case 0x67:            /* 32-bit addresses */
            return -ENOEXEC;
        }
    }

    /*
     * REX counts only right before the opcode; one followed by a prefix
     * or by another REX is ignored by the CPU. Refuse such oddities.
     */
    if ( (b & 0xf0) == 0x40 )
    {
        rex = b;
        if ( (rc = fetch(&c, 1, &b)) )
            return rc;
        if ( is_legacy_prefix(b) || (b & 0xf0) == 0x40 )
            return -ENOEXEC;
    }

    /* One-byte opcodes; VEX (C4/C5), EVEX (62) and XOP (8F) fall out. */
    switch ( b )
    {
    case 0x88: byte_op = true; /* fall through */
    case 0x89:
        op = PTWR_MOV;
        src = SRC_REG;
        lock_ok = false;
        break;
    case 0xc6: byte_op = true; /* fall through */
    case 0xc7:
        op = PTWR_MOV;
        src = b == 0xc6 ? SRC_IMM8 : SRC_IMMZ;
        lock_ok = false;
        break;
    case 0x86: byte_op = true; /* fall through */
    case 0x87:
        op = PTWR_XCHG;
        src = SRC_REG;
        break;
    case 0x00: byte_op = true; /* fall through */
    case 0x01:
        op = PTWR_ADD;
        src = SRC_REG;
        break;
    case 0x08: byte_op = true; /* fall through */
    case 0x09:
        op = PTWR_OR;
        src = SRC_REG;
        break;
    case 0x20: byte_op = true; /* fall through */
    case 0x21:
        op = PTWR_AND;
        src = SRC_REG;
        break;
    case 0x28: byte_op = true; /* fall through */
    case 0x29:
        op = PTWR_SUB;
        src = SRC_REG;
        break;
    case 0x30: byte_op = true; /* fall through */
    case 0x31:
        op = PTWR_XOR;
        src = SRC_REG;
        break;
    case 0x80: byte_op = true; /* fall through */
    case 0x81: case 0x83:
        op = -1; /* from ModRM.reg */
        src = b == 0x81 ? SRC_IMMZ : SRC_IMM8;
        break;
    case 0x0f:
        if ( (rc = fetch(&c, 1, &b2)) )
            return rc;
        b = 0x0f00 | b2;
        switch ( b2 )
        {
        case 0xb0: byte_op = true; /* fall through */
        case 0xb1:
            op = PTWR_CMPXCHG;
            src = SRC_REG;
            break;
        case 0xc7:
            op = PTWR_CMPXCHG8B;
            src = SRC_PAIR;
            break;
        case 0xab:
            op = PTWR_BTS;
            src = SRC_BITREG;
            break;
        case 0xb3:
            op = PTWR_BTR;
            src = SRC_BITREG;
            break;
        case 0xbb:
            op = PTWR_BTC;
            src = SRC_BITREG;
            break;
        case 0xba:
            op = -1; /* from ModRM.reg */
            src = SRC_BITIMM;
            break;
        default:
            return -ENOEXEC;
        }
        break;
    default:
        return -ENOEXEC;
    }

    if ( (rc = fetch(&c, 1, &modrm)) )
        return rc;
    mod = modrm >> 6;
    reg = ((modrm >> 3) & 7) | (rex & REX_R ? 8 : 0);
    rm = modrm & 7;

    /* A register destination writes no memory: not our fault. */
    if ( mod == 3 )
        return -ENOEXEC;

    /* Opcodes whose ModRM.reg is an opcode extension (REX.R ignored). */
    switch ( b )
    {
    case 0xc6: case 0xc7:
        if ( (reg & 7) != 0 )
            return -ENOEXEC;
        break;
    case 0x80: case 0x81: case 0x83:
        op = alu_group[reg & 7];
        if ( op < 0 )
            return -ENOEXEC;
        break;
    case 0x0fc7:
        if ( (reg & 7) != 1 || opsize16 )
            return -ENOEXEC;
        break;
    case 0x0fba:
        switch ( reg & 7 )
        {
        case 5: op = PTWR_BTS; break;
        case 6: op = PTWR_BTR; break;
        case 7: op = PTWR_BTC; break;
        default: return -ENOEXEC; /* BT reads; /0-/3 are undefined */
        }
        break;
    }

    /* The CPU raises #UD for LOCK MOV: these bytes are not what ran. */
    if ( lock && !lock_ok )
        return -ENOEXEC;

    if ( byte_op )
        size = 1;
    else if ( op == PTWR_CMPXCHG8B )
        size = rex & REX_W ? 16 : 8;
    else if ( rex & REX_W )
        size = 8;
    else
        size = opsize16 ? 2 : 4;

    /* The memory operand; in 64-bit mode mod 00 r/m 101 is RIP-relative. */
    if ( rm == 4 )
    {
        if ( (rc = fetch(&c, 1, &sib)) )
            return rc;
        scale = sib >> 6;
        index = ((sib >> 3) & 7) | (rex & REX_X ? 8 : 0);
        if ( index == 4 )
            index = PTWR_REG_NONE; /* r12 only with REX.X */
        if ( (sib & 7) == 5 && mod == 0 )
            mod = 2;               /* no base, disp32 (r13 too: REX.B) */
        else
            base = (sib & 7) | (rex & REX_B ? 8 : 0);
    }
    else if ( rm == 5 && mod == 0 )
    {
        riprel = true;
        mod = 2;
    }
    else
        base = rm | (rex & REX_B ? 8 : 0);

    if ( mod == 1 )
    {
        if ( (rc = fetch(&c, 1, &v)) )
            return rc;
        disp = sign_extend(v, 1);
    }
    else if ( mod == 2 )
    {
        if ( (rc = fetch(&c, 4, &v)) )
            return rc;
        disp = sign_extend(v, 4);
    }

    memset(out, 0, sizeof(*out));
    out->op = op;
    out->size = size;
    out->lock = lock;
    out->reg = PTWR_REG_NONE;

    switch ( src )
    {
    case SRC_IMM8:
    case SRC_BITIMM:
        if ( (rc = fetch(&c, 1, &v)) )
            return rc;
        out->src = sign_extend(v, 1) & size_mask(size);
        if ( src == SRC_BITIMM )
        {
            out->bit = v & (size * 8 - 1);
            out->src = 0;
        }
        break;
    case SRC_IMMZ:
        if ( (rc = fetch(&c, size == 2 ? 2 : 4, &v)) )
            return rc;
        out->src = sign_extend(v, size == 2 ? 2 : 4) & size_mask(size);
        break;
    case SRC_REG:
    case SRC_BITREG:
        out->reg = reg;
        /* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
        if ( size == 1 && !rex && reg >= 4 )
        {
            out->reg = reg - 4;
            out->high8 = true;
            out->src = (reg_read(regs, reg - 4) >> 8) & 0xff;
        }
        else
            out->src = reg_read(regs, reg) & size_mask(size);
        break;
    case SRC_PAIR:
        out->src = ((regs->rcx & 0xffffffffUL) << 32) |
                   (regs->rbx & 0xffffffffUL);
        break;
    }

    out->len = c.pos;

    addr = disp;
    if ( riprel )
        addr += regs->rip + out->len;
    if ( base != PTWR_REG_NONE )
        addr += reg_read(regs, base);
    if ( index != PTWR_REG_NONE )
        addr += reg_read(regs, index) << scale;

    /*
     * A register bit offset is signed and unbounded: the CPU reaches the
     * operand floor(offset / bits) operands away and writes that one.
     */
    if ( src == SRC_BITREG )
    {
        unsigned int bits = size * 8;
        int64_t offset = sign_extend(out->src, size);

        addr += (offset >> __builtin_ctz(bits)) * (int64_t)size;
        out->bit = offset & (bits - 1);
        out->src = 0;
        out->reg = PTWR_REG_NONE;
    }

    out->addr = addr;

    if ( fsgs )
        return -EPERM;
    if ( addr != fault_addr )
        return -EINVAL;
    if ( (addr & 7) + size > 8 )
        return -ERANGE;

    return 0;
}

static unsigned long parity_flag(uint64_t res)
{
    unsigned int b = res & 0xff;

    b ^= b >> 4;
    b ^= b >> 2;
    b ^= b >> 1;

    return b & 1 ? 0 : FLAG_PF;
}

/* ZF, SF and PF of a result of bits bits. */
static unsigned long result_flags(uint64_t res, unsigned int bits)
{
    return (res ? 0 : FLAG_ZF) | ((res >> (bits - 1)) & 1 ? FLAG_SF : 0) |
           parity_flag(res);
}

static unsigned long add_flags(uint64_t dst, uint64_t src, uint64_t res,
                               unsigned int bits)
{
    /* Operands and result are within the operand size: carry wraps. */
    return result_flags(res, bits) |
           (res < dst ? FLAG_CF : 0) |
           ((~(dst ^ src) & (dst ^ res)) >> (bits - 1) & 1 ? FLAG_OF : 0) |
           ((dst ^ src ^ res) & 0x10 ? FLAG_AF : 0);
}

static unsigned long sub_flags(uint64_t dst, uint64_t src, uint64_t res,
                               unsigned int bits)
{
    return result_flags(res, bits) |
           (dst < src ? FLAG_CF : 0) |
           (((dst ^ src) & (dst ^ res)) >> (bits - 1) & 1 ? FLAG_OF : 0) |
           ((dst ^ src ^ res) & 0x10 ? FLAG_AF : 0);
}

/* A register written with an operand of size bytes, as the CPU merges. */
static unsigned long reg_merge(unsigned long old, uint64_t val,
                               unsigned int size, bool high8)
{
    switch ( size )
    {
    case 1:
        if ( high8 )
            return (old & ~0xff00UL) | (val << 8);
        return (old & ~0xffUL) | val;
    case 2:
        return (old & ~0xffffUL) | val;
    default:
        return val; /* 32-bit results are zero-extended */
    }
}

static void set_gpr(struct ptwr_result *res, unsigned int reg,
                    unsigned long val)
{
    res->gpr[res->nr_gprs].reg = reg;
    res->gpr[res->nr_gprs].val = val;
    res->nr_gprs++;
}

int ptwr_emulate(const struct ptwr_insn *insn, uint64_t old,
                 const struct cpu_user_regs *regs, struct ptwr_result *res)
{
    unsigned int size = insn->size, bits = size * 8;
    unsigned int shift = (insn->addr & 7) * 8;
    uint64_t mask = size_mask(size), dst, src = insn->src, val, acc;
    unsigned long flags = regs->rflags;

    if ( (size != 1 && size != 2 && size != 4 && size != 8) ||
         (insn->addr & 7) + size > 8 || (src & ~mask) ||
         (insn->op == PTWR_CMPXCHG8B && size != 8) ||
         ((insn->op == PTWR_XCHG || insn->op == PTWR_CMPXCHG) &&
          insn->reg > 15) ||
         (insn->high8 && (size != 1 || insn->reg > 3)) )
        return -EINVAL;

    memset(res, 0, sizeof(*res));
    res->store = true;
    dst = (old >> shift) & mask;

    switch ( insn->op )
    {
    case PTWR_MOV:
        val = src;
        break;
    case PTWR_XCHG:
        val = src;
        set_gpr(res, insn->reg,
                reg_merge(reg_read(regs, insn->reg), dst, size, insn->high8));
        break;
    case PTWR_CMPXCHG:
        /* Flags as CMP accumulator, destination. */
        acc = regs->rax & mask;
        flags = (flags & ~FLAGS_ARITH) |
                sub_flags(acc, dst, (acc - dst) & mask, bits);
        if ( acc == dst )
            val = src;
        else
        {
            val = dst;
            res->store = false;
            set_gpr(res, 0, reg_merge(regs->rax, dst, size, false));
        }
        break;
    case PTWR_CMPXCHG8B:
        acc = ((regs->rdx & 0xffffffffUL) << 32) | (regs->rax & 0xffffffffUL);
        if ( acc == dst )
        {
            val = src;
            flags |= FLAG_ZF;
        }
        else
        {
            val = dst;
            res->store = false;
            flags &= ~FLAG_ZF;
            set_gpr(res, 0, dst & 0xffffffffUL);
            set_gpr(res, 2, dst >> 32);
        }
        break;
    case PTWR_OR:
    case PTWR_AND:
    case PTWR_XOR:
        val = insn->op == PTWR_OR ? dst | src :
              insn->op == PTWR_AND ? dst & src : dst ^ src;
        /* CF, OF cleared; AF is undefined, and cleared as CPUs do. */
        flags = (flags & ~FLAGS_ARITH) | result_flags(val, bits);
        break;
    case PTWR_ADD:
        val = (dst + src) & mask;
        flags = (flags & ~FLAGS_ARITH) | add_flags(dst, src, val, bits);
        break;
    case PTWR_SUB:
        val = (dst - src) & mask;
        flags = (flags & ~FLAGS_ARITH) | sub_flags(dst, src, val, bits);
        break;
    case PTWR_BTS:
    case PTWR_BTR:
    case PTWR_BTC:
        if ( insn->bit >= bits )
            return -EINVAL;
        /* CF is the old bit; ZF is kept; OF, SF, AF, PF are undefined. */
        flags = (flags & ~FLAG_CF) | ((dst >> insn->bit) & 1 ? FLAG_CF : 0);
        val = insn->op == PTWR_BTS ? dst | (1ULL << insn->bit) :
              insn->op == PTWR_BTR ? dst & ~(1ULL << insn->bit) :
                                     dst ^ (1ULL << insn->bit);
        break;
    default:
        return -EINVAL;
    }

    res->new_pte = (old & ~(mask << shift)) | (val << shift);
    res->rflags = flags;

    return 0;
}

void ptwr_commit(const struct ptwr_insn *insn, const struct ptwr_result *res,
                 struct cpu_user_regs *regs)
{
    unsigned int i;

    for ( i = 0; i < res->nr_gprs; i++ )
        reg_write(regs, res->gpr[i].reg, res->gpr[i].val);
    regs->rflags = res->rflags;
    regs->rip += insn->len;
}
