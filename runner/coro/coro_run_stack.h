/* coro_run_stack.h — inside eb_coro: the COPY mode's run stack (coro.h's
 * eb_coro_run_stack), shared by coro.c (switching) and coro_run_stack.c (the
 * stack, its save buffers and their arena). Not for other users. */
#ifndef EB_CORO_RUN_STACK_H
#define EB_CORO_RUN_STACK_H

#include "coro.h"

#include <stdbool.h>
#include <stddef.h>

/* Save buffers' size classes (coro_run_stack.c): 64-byte steps up to
 * SMALL_CLASSES x 64 bytes, then powers of two. */
#define SMALL_CLASSES 64
#define CLASSES 88

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t bytes;
} arena_chunk;

struct eb_coro_run_stack {
    char *map; /* guard page, then the stack */
    size_t map_bytes;
    char *lo, *top; /* the stack: [lo, top), top 64-byte aligned */
    eb_coro *owner; /* whose frames are on it now (NULL: nobody's) */
    bool running;   /* one of its coroutines runs now */
    void *free_list[CLASSES];
    char *bump, *bump_end; /* the rest of the chunk being carved */
    arena_chunk *chunks;   /* oldest first */
    arena_chunk *cursor;   /* the chunk being carved */
    size_t next_chunk;
    eb_coro_copy_stats stats;
    unsigned valgrind_id;
};

/* Copies the parked owner's frames out to its buffer (growing it to the
 * class that fits): 0 or -ENOMEM, leaving it on the stack. */
int eb_coro_run_stack_save_frames(eb_coro_run_stack *rs, eb_coro *co);
/* Copies co's saved frames back to the top of the run stack. */
void eb_coro_run_stack_restore_frames(eb_coro_run_stack *rs, eb_coro *co);
/* A finished coroutine's buffer goes back to its class. */
void eb_coro_run_stack_release_frames(eb_coro_run_stack *rs, eb_coro *co);

#endif
