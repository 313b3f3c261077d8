/* coro_sanitize.h — inside eb_coro: AddressSanitizer's fiber annotations
 * (a no-op in other builds), for coro.c and coro_run_stack.c. */
#ifndef EB_CORO_SANITIZE_H
#define EB_CORO_SANITIZE_H

#if defined(__SANITIZE_ADDRESS__)
#define EB_CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EB_CORO_ASAN 1
#endif
#endif

#ifdef EB_CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define asan_start_switch(fake_save, bottom, size)                                                 \
    __sanitizer_start_switch_fiber(fake_save, bottom, size)
#define asan_finish_switch(fake, bottom_old, size_old)                                             \
    __sanitizer_finish_switch_fiber(fake, bottom_old, size_old)
#else
#define asan_start_switch(fake_save, bottom, size) ((void)(fake_save), (void)(bottom), (void)(size))
#define asan_finish_switch(fake, bottom_old, size_old)                                             \
    ((void)(fake), (void)(bottom_old), (void)(size_old))
#endif

#endif
