/* micro_main.c — execbench-micro: the costs that explain the runner's results,
 * each a C benchmark on the shim; every Google Benchmark flag works. */
#include "eb_bench.h"
#include "eb_build_info.h"
#include "micro.h"

#include <stdio.h>
#include <string.h>

/* --help says what this program measures before libbenchmark lists its flags
 * (and exits); the man page is made from it (help2man). */
static const char micro_help[] =
    "usage: execbench-micro [--benchmark_filter=REGEX] [GOOGLE BENCHMARK FLAGS]\n"
    "\n"
    "The costs behind execbench's results, each beside its floor, timed by Google\n"
    "Benchmark (every --benchmark_* flag below works):\n"
    "  micro.switch/*   a coroutine switch (fcontext, ucontext, both stack modes)\n"
    "                   against a bare register switch; thread and process hand-offs\n"
    "  micro.spawn/*    create, start and reap a coroutine, a pthread, a process\n"
    "                   (fork, vfork, posix_spawn)\n"
    "  micro.wait/*     how late a wait of 10, 100, 1000 us wakes, per mechanism\n"
    "  micro.memory/*   resident bytes per idle coroutine, thread, process\n"
    "  micro.kernel/sumsq  elements per ns of the sum-of-squares kernel\n"
    "execbench --micro runs this program and folds its rows into its document.\n"
    "\n";

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("execbench-micro %s\n", EB_VERSION);
            return 0;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(micro_help, stdout);
            fflush(stdout);
        }
    }
    micro_sumsq_register();
    micro_switch_register();
    micro_spawn_register();
    micro_wait_register();
    micro_memory_register();
    micro_hybrid_register();
    micro_gil_register();
    eb_add_custom_context("execbench_version", EB_VERSION);
    eb_add_custom_context("execbench_build_type", EB_BUILD_TYPE);
    eb_add_custom_context("execbench_compiler", EB_C_COMPILER " " EB_C_FLAGS);
    return eb_bench_main(&argc, argv);
}
