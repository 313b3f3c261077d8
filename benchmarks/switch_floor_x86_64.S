/* switch_floor_x86_64.S — the floor for micro.switch: the least a stackful
 * context switch can do on x86-64 (System V ABI). Save the six callee-saved
 * general registers on the current stack, swap stack pointers, restore. No
 * x87/MXCSR control words (Boost.Context saves those), no signal mask
 * (ucontext saves that). A reference for the benchmarks, not used by the
 * runner; written by hand because no library offers a bare switch.
 *
 *   void eb_floor_switch(void **save_sp, void *load_sp);
 *   void *eb_floor_prepare(void *stack_top, void (*fn)(void *), void *arg);
 *
 * eb_floor_prepare lays out a stack whose first switch-in "returns" into a
 * trampoline that calls fn(arg); fn must never return. */
    .text

    .globl  eb_floor_switch
    .type   eb_floor_switch, @function
eb_floor_switch:
    pushq   %rbp
    pushq   %rbx
    pushq   %r12
    pushq   %r13
    pushq   %r14
    pushq   %r15
    movq    %rsp, (%rdi)
    movq    %rsi, %rsp
    popq    %r15
    popq    %r14
    popq    %r13
    popq    %r12
    popq    %rbx
    popq    %rbp
    ret
    .size   eb_floor_switch, .-eb_floor_switch

    .globl  eb_floor_prepare
    .type   eb_floor_prepare, @function
eb_floor_prepare:
    movq    %rdi, %rax
    andq    $-16, %rax
    subq    $72, %rax               /* 6 registers + return address; the trampoline starts 16-aligned */
    movq    $0, 0(%rax)             /* r15 */
    movq    $0, 8(%rax)             /* r14 */
    movq    %rdx, 16(%rax)          /* r13 = arg */
    movq    %rsi, 24(%rax)          /* r12 = fn */
    movq    $0, 32(%rax)            /* rbx */
    movq    $0, 40(%rax)            /* rbp */
    leaq    eb_floor_trampoline(%rip), %rcx
    movq    %rcx, 48(%rax)          /* where the first switch-in returns */
    ret
    .size   eb_floor_prepare, .-eb_floor_prepare

    .type   eb_floor_trampoline, @function
eb_floor_trampoline:
    movq    %r13, %rdi
    callq   *%r12
    ud2                             /* fn returned: a bug */
    .size   eb_floor_trampoline, .-eb_floor_trampoline

    .section .note.GNU-stack,"",@progbits
