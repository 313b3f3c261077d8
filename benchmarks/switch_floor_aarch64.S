/* switch_floor_aarch64.S — the floor for micro.switch on aarch64 (AAPCS64):
 * save the callee-saved registers x19-x30 and d8-d15 on the current stack,
 * swap stack pointers, restore. No FPCR/FPSR, no signal mask. A reference for
 * the benchmarks, not used by the runner; written by hand because no library
 * offers a bare switch.
 *
 *   void eb_floor_switch(void **save_sp, void *load_sp);
 *   void *eb_floor_prepare(void *stack_top, void (*fn)(void *), void *arg);
 *
 * eb_floor_prepare lays out a stack whose first switch-in "returns" (through
 * x30) into a trampoline that calls fn(arg); fn must never return. */
    .text

    .globl  eb_floor_switch
    .type   eb_floor_switch, %function
eb_floor_switch:
    sub     sp, sp, #160
    stp     x19, x20, [sp, #0]
    stp     x21, x22, [sp, #16]
    stp     x23, x24, [sp, #32]
    stp     x25, x26, [sp, #48]
    stp     x27, x28, [sp, #64]
    stp     x29, x30, [sp, #80]
    stp     d8, d9, [sp, #96]
    stp     d10, d11, [sp, #112]
    stp     d12, d13, [sp, #128]
    stp     d14, d15, [sp, #144]
    mov     x9, sp
    str     x9, [x0]
    mov     sp, x1
    ldp     x19, x20, [sp, #0]
    ldp     x21, x22, [sp, #16]
    ldp     x23, x24, [sp, #32]
    ldp     x25, x26, [sp, #48]
    ldp     x27, x28, [sp, #64]
    ldp     x29, x30, [sp, #80]
    ldp     d8, d9, [sp, #96]
    ldp     d10, d11, [sp, #112]
    ldp     d12, d13, [sp, #128]
    ldp     d14, d15, [sp, #144]
    add     sp, sp, #160
    ret
    .size   eb_floor_switch, .-eb_floor_switch

    .globl  eb_floor_prepare
    .type   eb_floor_prepare, %function
eb_floor_prepare:
    and     x9, x0, #~15
    sub     x9, x9, #160
    stp     x1, x2, [x9, #0]        /* x19 = fn, x20 = arg */
    stp     xzr, xzr, [x9, #16]
    stp     xzr, xzr, [x9, #32]
    stp     xzr, xzr, [x9, #48]
    stp     xzr, xzr, [x9, #64]
    adr     x10, eb_floor_trampoline
    stp     xzr, x10, [x9, #80]     /* x29 = 0, x30 = where the first switch-in returns */
    stp     xzr, xzr, [x9, #96]
    stp     xzr, xzr, [x9, #112]
    stp     xzr, xzr, [x9, #128]
    stp     xzr, xzr, [x9, #144]
    mov     x0, x9
    ret
    .size   eb_floor_prepare, .-eb_floor_prepare

    .type   eb_floor_trampoline, %function
eb_floor_trampoline:
    mov     x0, x20
    blr     x19
    brk     #0                      /* fn returned: a bug */
    .size   eb_floor_trampoline, .-eb_floor_trampoline

    .section .note.GNU-stack,"",%progbits
