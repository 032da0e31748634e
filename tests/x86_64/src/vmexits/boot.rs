//! From the BIOS to `main64`: the boot sector loads the image at 0x10000,
//! enters long mode with the first GiB identity-mapped by 2 MiB pages, and
//! jumps to `start64`, which clears the BSS and calls `main64`. Then the
//! 64-bit GDT with a TSS that VMX needs for the host's TR.

use core::arch::{asm, global_asm};
use core::cell::UnsafeCell;

use crate::Global;

/// GDT: null, 64-bit code (0x08), data (0x10), a 64-bit TSS (0x18): VMX
/// requires a host TR.
static GDT: Global<[u64; 5]> = Global(UnsafeCell::new([
    0,
    0x00af_9a00_0000_ffff,
    0x00cf_9200_0000_ffff,
    0,
    0,
]));
static TSS: Global<[u32; 26]> = Global(UnsafeCell::new([0; 26]));

/// The code, data and TSS selectors of [`load_gdt_and_tr`]'s GDT.
pub const CODE: u16 = 0x08;
pub const DATA: u16 = 0x10;
pub const TR: u16 = 0x18;

#[repr(C, packed)]
struct DescriptorTablePointer {
    limit: u16,
    base: u64,
}

/// The TSS's address, for the host and guest TR bases.
pub fn tss_base() -> u64 {
    TSS.get().as_ptr() as u64
}

/// Loads a GDT with the boot GDT's code and data descriptors and a TSS, and
/// loads TR.
pub fn load_gdt_and_tr() {
    let tss = tss_base();
    let gdt = GDT.get();
    gdt[3] = 0x67 | (tss & 0xff_ffff) << 16 | 0x89 << 40 | (tss >> 24 & 0xff) << 56;
    gdt[4] = tss >> 32;
    let pointer = DescriptorTablePointer {
        limit: 5 * 8 - 1,
        base: gdt.as_ptr() as u64,
    };
    // SAFETY: the new GDT has the same code and data descriptors as the boot
    // GDT; the far return reloads CS from it.
    unsafe {
        asm!(
            "lgdt [{ptr}]",
            "push {code}",
            "lea {tmp}, [rip + 2f]",
            "push {tmp}",
            "retfq",
            "2:",
            "mov ds, {data:x}",
            "mov es, {data:x}",
            "mov ss, {data:x}",
            "mov fs, {data:x}",
            "mov gs, {data:x}",
            "ltr {tr:x}",
            ptr = in(reg) &raw const pointer,
            code = in(reg) u64::from(CODE),
            tmp = out(reg) _,
            data = in(reg) u64::from(DATA),
            tr = in(reg) u64::from(TR),
        );
    }
}

/// The GDTR: (base, limit).
pub fn sgdt() -> (u64, u16) {
    let mut pointer = DescriptorTablePointer { limit: 0, base: 0 };
    // SAFETY: stores the GDTR into `pointer`.
    unsafe { asm!("sgdt [{0}]", in(reg) &raw mut pointer, options(nostack)) };
    (pointer.base, pointer.limit)
}

/// The IDTR: (base, limit).
pub fn sidt() -> (u64, u16) {
    let mut pointer = DescriptorTablePointer { limit: 0, base: 0 };
    // SAFETY: stores the IDTR into `pointer`.
    unsafe { asm!("sidt [{0}]", in(reg) &raw mut pointer, options(nostack)) };
    (pointer.base, pointer.limit)
}

extern "C" {
    /// The end of the BSS (bochs.x): everything the image occupies lies
    /// below it.
    static _bss_end: u8;
}

/// The first address past the image and its BSS.
pub fn image_end() -> u64 {
    (&raw const _bss_end) as u64
}

global_asm!(
    r#"
    .section .boot, "ax"
    .code16
    .global boot_start
boot_start:
    cli
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $0x7c00, %sp
    mov %dl, boot_drive
    mov $dap_low, %si
    mov $0x42, %ah
    mov boot_drive, %dl
    int $0x13
    jc boot_fail
    mov $dap_high, %si
    mov $0x42, %ah
    mov boot_drive, %dl
    int $0x13
    jc boot_fail
    mov $0x1000, %di
    xor %eax, %eax
    mov $0xc00, %ecx
    cld
    rep stosl
    movl $0x2003, 0x1000
    movl $0x3003, 0x2000
    mov $0x3000, %di
    mov $0x83, %eax
    mov $512, %cx
1:
    movl %eax, (%di)
    movl $0, 4(%di)
    add $0x200000, %eax
    add $8, %di
    loop 1b
    mov $0x1000, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax
    mov %eax, %cr4
    mov $0xc0000080, %ecx
    rdmsr
    or $0x100, %eax
    wrmsr
    lgdtl boot_gdt_ptr
    mov %cr0, %eax
    or $0x80000001, %eax
    mov %eax, %cr0
    ljmp $0x08, $boot_long
boot_fail:
    mov $0xe9, %dx
    mov $'!', %al
    out %al, %dx
    hlt
    jmp boot_fail
    .code64
boot_long:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %ax, %fs
    mov %ax, %gs
    mov $start64, %rax
    jmp *%rax
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
boot_gdt_ptr:
    .word 23
    .long boot_gdt
dap_low:
    .byte 0x10, 0
    .word 64
    .word 0, 0x1000
    .quad 1
dap_high:
    .byte 0x10, 0
    .word 64
    .word 0, 0x1800
    .quad 65
boot_drive:
    .byte 0
    .org 510
    .word 0xaa55

    .section .text.start64, "ax"
    .global start64
start64:
    lea _stack_top(%rip), %rsp
    lea _bss_start(%rip), %rdi
    lea _bss_end(%rip), %rcx
    sub %rdi, %rcx
    xor %eax, %eax
    rep stosb
    call main64
2:
    hlt
    jmp 2b

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space 65536
_stack_top:
    "#,
    options(att_syntax)
);
